"""Promotion writes, actor by actor: requests, nominations, endorsements, decisions, committees,
and an approved promotion entering the level history on its date. Each refusal changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.people.models import Person, PersonChange
from trellis.web.promotions import services
from trellis.web.promotions.models import Endorsement, Nomination, PromotionCommittee, Readiness
from trellis.web.promotions.selectors import overview_get, own_case_list
from trellis.web.promotions.tasks import apply_due

from ..conftest import make_person, make_user
from ..task_worker import run_queued_tasks
from .conftest import IC3, stored, worded

pytestmark = pytest.mark.django_db


def _events() -> list[tuple[str, list[str]]]:
    return [(e.action, e.fields) for e in AuditEvent.objects.filter(action__contains="omin").order_by("pk")]


def _submitted(company: dict[str, User], case: str = "Leads the design reviews.") -> Nomination:
    return services.nomination_create(
        actor=company["manager"], person=company["employee"].person, target=IC3, case=case, submit=True
    )


def test_an_employee_asks_for_a_conversation_about_their_next_level(company: dict[str, User]) -> None:
    nomination = services.promotion_request(actor=company["employee"])
    assert (nomination.status, nomination.requested_by_id, nomination.target_level_code) == (
        "requested",
        company["employee"].person.pk,
        "IC3",
    )
    assert AuditEvent.objects.filter(action="promotion.requested", target_id=str(nomination.pk)).count() == 1
    before = stored()
    with pytest.raises(ValidationError) as refused:
        services.promotion_request(actor=company["employee"])
    assert refused.value.message_dict == {"target": ["There is already an open promotion case for IC3."]}
    assert stored() == before


def test_a_request_without_a_manager_or_for_an_unknown_own_or_lower_level_is_refused(
    company: dict[str, User],
) -> None:
    before = stored()
    with pytest.raises(ValidationError) as refused:
        services.promotion_request(actor=company["other_manager"])
    assert refused.value.messages == ["You have no manager on record to ask; HR can set one."]
    with pytest.raises(ValidationError) as unknown:
        services.promotion_request(actor=company["employee"], target=("engineering", "ic", "IC99"))
    assert unknown.value.message_dict == {"target": ["Choose a level of the published framework."]}
    with pytest.raises(ValidationError) as same:
        services.promotion_request(actor=company["employee"], target=("engineering", "ic", "IC2"))
    assert same.value.message_dict == {"target": ["Emi Employee is already at IC2."]}
    with pytest.raises(ValidationError) as below:
        services.nomination_create(
            actor=company["manager"],
            person=company["employee"].person,
            target=("engineering", "ic", "IC1"),
            case="",
        )
    assert below.value.message_dict == {
        "target": ["IC1 is below Emi Employee's level (IC2): a promotion goes up."]
    }
    assert stored() == before


def test_the_manager_submits_a_nomination_with_the_readiness_and_their_endorsement(
    company: dict[str, User], committee: PromotionCommittee, readiness: Readiness
) -> None:
    nomination = _submitted(company)
    nomination.refresh_from_db()
    assert nomination.status == "submitted"
    assert nomination.committee_id == committee.pk
    assert nomination.nominated_by_id == company["manager"].person.pk
    assert nomination.readiness_at_submission is not None
    kept = dict(nomination.readiness_at_submission)
    # Recomputed with the manager's endorsement the submission records.
    readiness = Readiness.objects.get(person=readiness.person_id, is_next_level=True)
    assert kept.pop("computed_at") == readiness.computed_at.isoformat()
    endorsement = [c for c in kept["criteria"] if c["kind"] == "manager_endorsement"]
    assert [c["met"] for c in endorsement] == [True]
    assert kept == {
        "ready": False,
        "met_count": readiness.met_count,
        "criteria_count": readiness.criteria_count,
        "criteria": worded(readiness),
    }
    assert readiness.criteria_count > readiness.met_count
    assert all(criterion["explanation"] for criterion in kept["criteria"])
    assert list(nomination.endorsements.values_list("role", "endorser_id", "note")) == [
        ("manager", company["manager"].person.pk, "")
    ]
    assert _events() == [
        ("nomination.created", ["case", "status"]),
        (
            "nomination.submitted",
            ["committee", "endorsement", "readiness_at_submission", "status", "submitted_at"],
        ),
    ]
    # The packet keeps the readiness of the day: a later evaluation does not rewrite it.
    Readiness.objects.filter(pk=readiness.pk).update(ready=True, met_count=readiness.criteria_count)
    nomination.refresh_from_db()
    assert nomination.readiness_at_submission["met_count"] == readiness.met_count


@pytest.mark.parametrize("actor", ["skip_level_manager", "other_manager", "coauthor", "it_admin", "employee"])
def test_only_the_direct_manager_nominates(
    company: dict[str, User], committee: PromotionCommittee, actor: str
) -> None:
    before = stored()
    with pytest.raises(PermissionDenied):
        services.nomination_create(
            actor=company[actor], person=company["employee"].person, target=IC3, case="Ready.", submit=True
        )
    assert stored() == before


def _hr_with_a_person(company: dict[str, User], *, manager: Person | None = None) -> User:
    hr = make_user("people.lead@example.com", "Pat People", is_hr_admin=True)
    make_person(hr, employee_id="E100", full_name="Pat People", level_code="IC3", manager=manager)
    return User.objects.get(pk=hr.pk)


def test_nobody_acts_on_themselves_hr_included(
    company: dict[str, User], committee: PromotionCommittee
) -> None:
    """HR may nominate, view, endorse, decide and apply, but never about themselves."""
    hr = _hr_with_a_person(company, manager=company["manager"].person)
    hr_person = hr.person
    committee.members.add(hr_person)
    case = services.nomination_create(
        actor=company["manager"],
        person=hr_person,
        target=("engineering", "ic", "IC4"),
        case="Ready.",
        submit=True,
    )
    before = stored()
    for attempt in (
        lambda: services.nomination_create(
            actor=hr, person=hr_person, target=("engineering", "ic", "IC5"), case="Me.", submit=True
        ),
        lambda: services.nomination_endorse(actor=hr, nomination=case, note="I endorse myself."),
        lambda: services.nomination_decide(
            actor=hr, nomination=case, approved=True, reason="Deserved.", effective_on=timezone.localdate()
        ),
        lambda: services.promotion_apply(actor=hr, nomination=case),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert stored() == before
    # Someone else may.
    services.nomination_decide(
        actor=company["other_manager"], nomination=case, approved=False, reason="One more cycle at IC3."
    )
    assert Nomination.objects.get(pk=case.pk).decided_by_id == company["other_manager"].person.pk


def test_a_committee_member_does_not_decide_on_their_own_reports_at_any_distance(
    company: dict[str, User], committee: PromotionCommittee
) -> None:
    committee.members.add(company["skip_level_manager"].person)
    hr_manager = _hr_with_a_person(company)
    Person.objects.filter(pk=company["skip_level_manager"].person.pk).update(manager=hr_manager.person)
    nomination = _submitted(company)
    before = stored()
    for actor in (company["skip_level_manager"], User.objects.get(pk=hr_manager.pk)):
        with pytest.raises(PermissionDenied):
            services.nomination_decide(actor=actor, nomination=nomination, approved=False, reason="Not yet.")
    assert stored() == before


def test_submitting_needs_a_case_and_a_committee(company: dict[str, User]) -> None:
    draft = services.nomination_create(
        actor=company["manager"], person=company["employee"].person, target=IC3, case=""
    )
    before = stored()
    with pytest.raises(ValidationError) as no_case:
        services.nomination_save(actor=company["manager"], nomination=draft, case="  ", submit=True)
    assert no_case.value.message_dict == {"case": ["This field is required."]}
    with pytest.raises(ValidationError) as no_committee:
        services.nomination_save(actor=company["manager"], nomination=draft, case="Ready.", submit=True)
    assert no_committee.value.messages == [
        "No promotion committee decides for engineering; HR configures committees."
    ]
    assert stored() == before


def test_the_manager_turns_a_request_into_a_nomination_or_declines_it(
    company: dict[str, User], committee: PromotionCommittee
) -> None:
    asked = services.promotion_request(actor=company["employee"])
    services.nomination_save(actor=company["manager"], nomination=asked, case="Ready for IC3.", submit=True)
    asked.refresh_from_db()
    assert (asked.status, asked.nominated_by_id, asked.requested_by_id) == (
        "submitted",
        company["manager"].person.pk,
        company["employee"].person.pk,
    )
    other = services.promotion_request(actor=company["employee"], target=("engineering", "ic", "IC4"))
    before = stored()
    with pytest.raises(ValidationError) as no_reason:
        services.nomination_decline_request(actor=company["manager"], nomination=other, reason="")
    assert no_reason.value.message_dict == {"reason": ["This field is required."]}
    with pytest.raises(PermissionDenied):
        services.nomination_decline_request(
            actor=company["skip_level_manager"], nomination=other, reason="No."
        )
    assert stored() == before
    services.nomination_decline_request(actor=company["manager"], nomination=other, reason="IC3 first.")
    cases = own_case_list(viewer=company["employee"], framework=None)
    assert [(c.target, c.status, c.reason) for c in cases] == [
        ("IC4", "Declined by your manager", "IC3 first."),
        ("IC3", "Requested", ""),
    ]


def test_the_skip_level_manager_endorses_once_with_a_note(
    company: dict[str, User], committee: PromotionCommittee
) -> None:
    nomination = _submitted(company)
    before = stored()
    with pytest.raises(PermissionDenied):
        services.nomination_endorse(actor=company["manager"], nomination=nomination, note="Me again.")
    with pytest.raises(ValidationError):
        services.nomination_endorse(actor=company["skip_level_manager"], nomination=nomination, note="")
    assert stored() == before
    services.nomination_endorse(actor=company["skip_level_manager"], nomination=nomination, note="Seen it.")
    assert list(nomination.endorsements.values_list("role", "note")) == [
        ("manager", ""),
        ("skip_level", "Seen it."),
    ]
    before = stored()
    with pytest.raises(ValidationError) as again:
        services.nomination_endorse(actor=company["skip_level_manager"], nomination=nomination, note="Twice.")
    assert again.value.messages == ["The skip-level endorsement is already recorded."]
    assert stored() == before


def test_an_approval_today_enters_the_level_history_through_the_task_queue(
    company: dict[str, User], committee: PromotionCommittee, django_capture_on_commit_callbacks: Any
) -> None:
    nomination = _submitted(company)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_decide(
            actor=company["other_manager"], nomination=nomination, approved=True, reason="Clear case.",
            effective_on=today,
        )  # fmt: skip
    person = Person.objects.get(pk=company["employee"].person.pk)
    assert person.level_code == "IC2"  # not before the worker runs
    ran = run_queued_tasks("trellis.web.promotions.tasks.promotions_apply_due")
    assert [(task.status, task.return_value) for task in ran] == [("SUCCESSFUL", 1)]
    person.refresh_from_db()
    assert (person.level_code, person.level_since) == ("IC3", today)
    change = PersonChange.objects.get(person=person, kind="level")
    assert (change.old_value, change.new_value, change.changed_by_id) == (
        "engineering/ic/IC2",
        "engineering/ic/IC3",
        company["hr_admin"].pk,
    )
    nomination.refresh_from_db()
    assert nomination.applied_at is not None
    assert AuditEvent.objects.filter(action="promotion.applied", target_id=str(nomination.pk)).count() == 1
    # Idempotent: running again applies nothing and writes nothing.
    before = stored()
    assert apply_due(today) == 0
    assert stored() == before


def test_a_future_approval_waits_for_its_date(
    company: dict[str, User], committee: PromotionCommittee, django_capture_on_commit_callbacks: Any
) -> None:
    nomination = _submitted(company)
    today = timezone.localdate()
    effective = today + datetime.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_decide(
            actor=company["other_manager"], nomination=nomination, approved=True, reason="Next month.",
            effective_on=effective,
        )  # fmt: skip
    queued = DBTaskResult.objects.get(task_path="trellis.web.promotions.tasks.promotions_apply_due")
    assert queued.run_after is not None and queued.run_after.date() == effective
    assert run_queued_tasks("trellis.web.promotions.tasks.promotions_apply_due") == []
    before = stored()
    assert apply_due(effective - datetime.timedelta(days=1)) == 0
    assert stored() == before
    assert apply_due(effective) == 1
    person = Person.objects.get(pk=company["employee"].person.pk)
    assert (person.level_code, person.level_since) == ("IC3", effective)


def test_the_daily_command_applies_what_is_due(
    company: dict[str, User], committee: PromotionCommittee, capsys: Any
) -> None:
    nomination = _submitted(company)
    services.nomination_decide(
        actor=company["other_manager"], nomination=nomination, approved=True, reason="Yes.",
        effective_on=timezone.localdate(),
    )  # fmt: skip
    call_command("promotions_apply_due")
    call_command("promotions_apply_due")
    assert capsys.readouterr().out == "1 promotion applied\n0 promotions applied\n"


def test_a_decision_needs_a_reason_and_an_approval_a_date_within_the_limit(
    company: dict[str, User], committee: PromotionCommittee
) -> None:
    nomination = _submitted(company)
    before = stored()
    member = company["other_manager"]
    with pytest.raises(ValidationError) as no_reason:
        services.nomination_decide(actor=member, nomination=nomination, approved=False, reason=" ")
    assert no_reason.value.message_dict == {"reason": ["This field is required."]}
    with pytest.raises(ValidationError) as no_date:
        services.nomination_decide(actor=member, nomination=nomination, approved=True, reason="Yes.")
    assert no_date.value.message_dict == {"effective_on": ["An approval needs the date it takes effect."]}
    far = timezone.localdate() + datetime.timedelta(days=93)
    with pytest.raises(ValidationError) as too_far:
        services.nomination_decide(
            actor=member, nomination=nomination, approved=True, reason="Yes.", effective_on=far
        )
    assert too_far.value.message_dict["effective_on"][0].startswith(
        f"{far.isoformat()} is more than 92 days ahead"
    )
    with pytest.raises(ValidationError) as too_early:
        services.nomination_decide(
            actor=member,
            nomination=nomination,
            approved=True,
            reason="Yes.",
            effective_on=datetime.date(2024, 1, 1),
        )
    assert too_early.value.message_dict == {
        "effective_on": [
            "2024-01-01 is before Emi Employee reached IC2 (2024-03-01); a new level starts after the current one"
        ]
    }
    with pytest.raises(PermissionDenied):
        services.nomination_decide(
            actor=company["manager"], nomination=nomination, approved=False, reason="Hm."
        )
    assert stored() == before


def test_the_not_yet_list_follows_the_passed_over(
    company: dict[str, User], committee: PromotionCommittee
) -> None:
    nomination = _submitted(company)
    services.nomination_decide(
        actor=company["coauthor"],
        nomination=nomination,
        approved=False,
        reason="Communication below the floor.",
    )
    Nomination.objects.filter(pk=nomination.pk).update(
        decided_at=timezone.now() - datetime.timedelta(days=100)
    )
    today = timezone.localdate()
    overview = overview_get(viewer=company["hr_admin"], framework=None, today=today)
    assert [(e.nomination.pk, e.since_decision, e.followed_by) for e in overview.not_yet] == [
        (nomination.pk, "3 months", None)
    ]
    again = _submitted(company, case="Communication now at 3.5.")
    overview = overview_get(viewer=company["hr_admin"], framework=None, today=today)
    assert [(e.nomination.pk, e.followed_by.pk if e.followed_by else None) for e in overview.not_yet] == [
        (nomination.pk, again.pk)
    ]
    assert [n.pk for n in overview.open] == [again.pk]
    # The subject sees the outcome, not the committee's reason.
    cases = own_case_list(viewer=company["employee"], framework=None)
    assert [(c.status, c.reason) for c in cases] == [("Decided: not yet", "")]


def test_hr_configures_committees(company: dict[str, User]) -> None:
    hr = company["hr_admin"]
    people = [company["other_manager"].person]
    before = stored()
    with pytest.raises(PermissionDenied):
        services.committee_create(actor=company["manager"], name="Mine", family_ids=[], members=people)
    with pytest.raises(ValidationError) as unknown:
        services.committee_create(actor=hr, name="Sales", family_ids=["sales"], members=people)
    assert unknown.value.message_dict == {"family_ids": ["Not a family of the published framework: sales."]}
    with pytest.raises(ValidationError) as empty:
        services.committee_create(actor=hr, name="Empty", family_ids=[], members=[])
    assert empty.value.message_dict == {"members": ["A committee needs at least one member."]}
    assert stored() == before
    everyone = services.committee_create(
        actor=hr, name=" Company  promotions ", family_ids=[], members=people
    )
    assert everyone.name == "Company promotions"
    assert services.committee_for("product") == everyone
    product = services.committee_create(actor=hr, name="Product", family_ids=["product"], members=people)
    assert services.committee_for("product") == product
    services.committee_update(
        actor=hr,
        committee=product,
        name="Product",
        family_ids=["product"],
        members=[company["coauthor"].person],
    )
    assert list(
        PromotionCommittee.objects.get(pk=product.pk).members.values_list("full_name", flat=True)
    ) == ["Cai Coauthor"]
    assert list(
        AuditEvent.objects.filter(action__startswith="promotion_committee")
        .order_by("pk")
        .values_list("action", "fields")
    ) == [
        ("promotion_committee.created", ["family_ids", "members", "name"]),
        ("promotion_committee.created", ["family_ids", "members", "name"]),
        ("promotion_committee.updated", ["members"]),
    ]
    assert Endorsement.objects.count() == 0


def test_a_step_out_of_turn_is_refused_with_the_status(
    company: dict[str, User], committee: PromotionCommittee
) -> None:
    asked = services.promotion_request(actor=company["employee"])
    before = stored()
    with pytest.raises(ValidationError) as refused:
        services.nomination_decide(
            actor=company["hr_admin"], nomination=asked, approved=False, reason="Too early."
        )
    assert refused.value.messages == [
        "Not possible now: the nomination's status is “Conversation requested”."
    ]
    with pytest.raises(ValidationError) as submit:
        services.nomination_submit(actor=company["manager"], nomination=asked)
    assert submit.value.messages == ["Not possible now: the nomination's status is “Conversation requested”."]
    assert stored() == before


def test_the_demo_has_a_committee_for_every_family(db: None) -> None:
    from trellis.web.people import demo
    from trellis.web.promotions.demo_promotions import DEMO_COMMITTEE_NAME

    demo.load_demo(employees=20)
    committee = PromotionCommittee.objects.get(name=DEMO_COMMITTEE_NAME)
    assert committee.family_ids == []
    assert sorted(committee.members.values_list("email", flat=True)) == sorted(
        [demo.HR_EMAIL, demo.COAUTHOR_EMAIL]
    )
    assert services.committee_for("engineering") == committee


def test_the_manager_withdraws_a_nomination_before_the_decision(
    company: dict[str, User], committee: PromotionCommittee
) -> None:
    asked = services.promotion_request(actor=company["employee"])
    services.nomination_save(actor=company["manager"], nomination=asked, case="Ready.", submit=True)
    before = stored()
    for actor in ("skip_level_manager", "other_manager", "employee"):
        with pytest.raises(PermissionDenied):
            services.nomination_withdraw(actor=company[actor], nomination=asked, reason="No.")
    with pytest.raises(ValidationError) as no_reason:
        services.nomination_withdraw(actor=company["manager"], nomination=asked, reason="")
    assert no_reason.value.message_dict == {"reason": ["This field is required."]}
    assert stored() == before
    services.nomination_withdraw(actor=company["manager"], nomination=asked, reason="Wait for the new scope.")
    asked.refresh_from_db()
    assert (asked.status, asked.decision_reason) == ("withdrawn", "Wait for the new scope.")
    assert AuditEvent.objects.filter(action="nomination.withdrawn", target_id=str(asked.pk)).count() == 1
    assert [(c.status, c.reason) for c in own_case_list(viewer=company["employee"], framework=None)] == [
        ("Withdrawn by your manager", "Wait for the new scope.")
    ]
    before = stored()
    with pytest.raises(ValidationError):
        services.nomination_withdraw(actor=company["manager"], nomination=asked, reason="Again.")
    assert stored() == before
