"""Development plans: drafted in one click from the gaps toward a level (largest first, nothing
twice), goals, actions (their evidence recorded for the goal's competency), progress updates and
check-ins; who may read and write them; completion where the person and their manager see it.

The framework is tests/evaluation/readiness.yaml (see test_gaps_page.py): the employee (IC2) stands
at Communication 2, Delivery 4, Software craft 2; IC3 expects 3, 4, 4; IC1 expects 2, 2, 2.
"""

from __future__ import annotations

import datetime
import html as markup
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.growth import plan_services
from trellis.web.growth.models import Action, CheckIn, DevelopmentPlan, Goal, ProgressUpdate
from trellis.web.growth.plan_selectors import completion_by_person, plan_review_summary_get
from trellis.web.reviews.models import EvidenceItem

from ..conftest import HttpsClient

pytestmark = pytest.mark.django_db

IC3 = "engineering/ic/IC3"


def signed_in(user: User) -> Client:
    client = HttpsClient()
    client.force_login(user)
    return client


def text_of(html: str) -> str:
    return " ".join(markup.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def draft(employee: User, actor: User | None = None, target: str = IC3) -> plan_services.DraftResult:
    return plan_services.plan_draft_from_gaps(actor=actor or employee, person=employee.person, target=target)


# --- drafting from gaps --------------------------------------------------------------------------


def test_a_draft_has_a_goal_per_gap_largest_first(rated: None, employee: User) -> None:
    result = draft(employee)
    assert result.created is True and result.kept == []
    plan = DevelopmentPlan.objects.get(person=employee.person)
    assert (plan.target_family_id, plan.target_track_id, plan.target_level_code) == (
        "engineering",
        "ic",
        "IC3",
    )
    goals = list(
        plan.goals.values_list("title", "competency_id", "from_score", "target_proficiency", "position")
    )
    assert goals == [
        ("Software craft at the level IC3 expects", "craft", 2.0, 4, 0),
        ("Communication at the level IC3 expects", "communication", 2.0, 3, 1),
    ]
    assert AuditEvent.objects.filter(action="plan.drafted", target_id=str(plan.pk)).count() == 1


def test_drafting_again_adds_nothing_twice_and_a_new_target_starts_a_new_plan(
    rated: None, employee: User, manager: User
) -> None:
    first = draft(employee)
    again = draft(employee, actor=manager)
    assert again.created is False and again.plan.pk == first.plan.pk and again.added == []
    assert again.kept == ["Software craft", "Communication"] and again.archived is None
    Goal.objects.filter(competency_id="communication").update(status=Goal.Status.DONE)
    moved = draft(employee, actor=manager, target="engineering/management/M1")
    # A new target archives the plan toward the old one, its goals kept with it, and starts a new one
    # from the gaps toward M1 (Communication 4, Delivery 3, People development 3).
    assert moved.created is True and moved.archived is not None and moved.archived.pk == first.plan.pk
    old, new = DevelopmentPlan.objects.order_by("id")
    assert old.status == DevelopmentPlan.Status.ARCHIVED and old.target_level_code == "IC3"
    assert sorted(old.goals.values_list("competency_id", flat=True)) == ["communication", "craft"]
    assert new.status == DevelopmentPlan.Status.ACTIVE and new.target_level_code == "M1"
    assert [goal.competency_id for goal in moved.added] == [goal.competency_id for goal in new.goals.all()]
    assert "people" in [goal.competency_id for goal in moved.added]
    assert draft(employee, target="engineering/management/M1").added == []


def test_nothing_short_is_refused_on_the_target_and_stores_nothing(rated: None, employee: User) -> None:
    with pytest.raises(ValidationError) as refused:
        draft(employee, target="engineering/ic/IC1")
    assert refused.value.message_dict == {
        "target": ["Every competency IC1 expects is met already: there is no gap to plan for."]
    }
    with pytest.raises(ValidationError) as refused:
        draft(employee, target="engineering/ic/IC9")
    assert refused.value.message_dict["target"] == ["Track 'ic' of family 'engineering' has no level 'IC9'."]
    assert (
        not DevelopmentPlan.objects.exists() and not AuditEvent.objects.filter(action="plan.drafted").exists()
    )


def test_only_the_person_their_manager_and_hr_draft(
    rated: None, employee: User, skip_level_manager: User, other_manager: User, hr_admin: User
) -> None:
    for actor in (skip_level_manager, other_manager):
        with pytest.raises(PermissionDenied):
            draft(employee, actor=actor)
    assert not DevelopmentPlan.objects.exists()
    assert draft(employee, actor=hr_admin).created


def test_the_gaps_page_button_drafts_and_lands_on_the_plan(rated: None, employee: User) -> None:
    client = signed_in(employee)
    gaps = client.get(f"/growth/{employee.person.pk}/gaps/?target={IC3}").content.decode()
    assert f'action="/growth/{employee.person.pk}/plan/draft/"' in gaps
    assert f'name="target" value="{IC3}"' in gaps and "Draft a plan toward IC3" in gaps
    response = client.post(f"/growth/{employee.person.pk}/plan/draft/", {"target": IC3}, follow=True)
    assert response.redirect_chain == [(f"/growth/{employee.person.pk}/plan/", 302)]
    page = text_of(response.content.decode())
    assert (
        "Plan drafted: Software craft at the level IC3 expects and Communication at the level IC3 expects."
        in page
    )
    assert "Toward IC3 Senior Engineer · Engineering, Individual contributor" in page
    assert "0 of 2 goals done" in page


def test_a_draft_toward_another_level_says_the_old_plan_is_archived_and_lists_it(
    rated: None, employee: User
) -> None:
    client = signed_in(employee)
    client.post(f"/growth/{employee.person.pk}/plan/draft/", {"target": IC3})
    response = client.post(
        f"/growth/{employee.person.pk}/plan/draft/", {"target": "engineering/management/M1"}, follow=True
    )
    page = text_of(response.content.decode())
    assert (
        "Your plan toward IC3 Senior Engineer · Engineering, Individual contributor is archived: its goals,"
        " actions and evidence are kept under Earlier plans." in page
    )
    earlier = page[page.index("Earlier plans") :]
    assert "Toward IC3 Senior Engineer · Engineering, Individual contributor · started" in earlier
    assert "· archived" in earlier and "Software craft at the level IC3 expects · open" in earlier


def test_a_refused_draft_returns_to_the_gaps_saying_why(rated: None, employee: User) -> None:
    client = signed_in(employee)
    response = client.post(
        f"/growth/{employee.person.pk}/plan/draft/", {"target": "engineering/ic/IC1"}, follow=True
    )
    assert response.redirect_chain == [(f"/growth/{employee.person.pk}/gaps/?target=engineering/ic/IC1", 302)]
    assert "Every competency IC1 expects is met already" in response.content.decode()
    assert not DevelopmentPlan.objects.exists()


def test_the_paths_page_offers_a_draft_per_move_to_editors_only(
    rated: None, employee: User, skip_level_manager: User
) -> None:
    html = signed_in(employee).get(f"/growth/{employee.person.pk}/paths/").content.decode()
    assert f'name="target" value="{IC3}"' in html
    html = signed_in(skip_level_manager).get(f"/growth/{employee.person.pk}/paths/").content.decode()
    assert "Draft a plan" not in html


# --- the plan page and its writes -------------------------------------------------------------------


def test_confidential_the_plan_page_is_404_for_anyone_outside_the_chain(
    rated: None, employee: User, other_manager: User, outsider: User, skip_level_manager: User
) -> None:
    draft(employee)
    url = f"/growth/{employee.person.pk}/plan/"
    assert signed_in(other_manager).get(url).status_code == 404
    assert signed_in(outsider).get(url).status_code == 404
    page = signed_in(skip_level_manager).get(url).content.decode()
    assert "Development plan of Emi Employee" in page and "Add an action" not in page


def test_an_action_done_records_evidence_for_the_goal_competency(
    rated: None, employee: User, manager: User
) -> None:
    goal = draft(employee).added[0]
    client = signed_in(employee)
    response = client.post(
        f"/growth/goals/{goal.pk}/actions/",
        {
            f"action-{goal.pk}-kind": "course",
            f"action-{goal.pk}-title": "Refactoring workshop",
            f"action-{goal.pk}-due_on": "2026-03-01",
            f"action-{goal.pk}-link": "https://learn.example/refactoring",
        },
    )
    assert (
        response.status_code == 302
        and response["Location"] == f"/growth/{employee.person.pk}/plan/#goal-{goal.pk}"
    )
    action = Action.objects.get()
    assert (action.kind, action.title, action.due_on, action.status) == (
        "course", "Refactoring workshop", datetime.date(2026, 3, 1), "planned"
    )  # fmt: skip
    response = client.post(
        f"/growth/actions/{action.pk}/status/",
        {
            f"action-status-{action.pk}-status": "done",
            f"action-status-{action.pk}-evidence": "Split the billing module.",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.completed_at is not None
    item = EvidenceItem.objects.get(kind="win")
    assert action.evidence == item
    assert (item.subject, item.author, item.kind, item.competency_ids, item.link) == (
        employee.person, employee.person, "win", ["craft"], "https://learn.example/refactoring"
    )  # fmt: skip
    page = text_of(signed_in(manager).get(f"/growth/{employee.person.pk}/plan/").content.decode())
    assert "Evidence recorded for Software craft: “Split the billing module.”" in page
    assert "0 of 2 goals done · 1 of 1 action done" in page
    gaps = signed_in(manager).get(f"/growth/{employee.person.pk}/gaps/?target={IC3}").content.decode()
    assert "Split the billing module." in gaps


def test_a_bad_action_names_its_field_and_stores_nothing(rated: None, employee: User) -> None:
    goal = draft(employee).added[0]
    revision = DevelopmentPlan.objects.get().revision
    response = signed_in(employee).post(
        f"/growth/goals/{goal.pk}/actions/",
        {
            f"action-{goal.pk}-kind": "course",
            f"action-{goal.pk}-title": "Read",
            f"action-{goal.pk}-link": "ftp://x",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(
        rf'id="id_action-{goal.pk}-link_error".*A link starts with http:// or https://', html, re.S
    )
    response = signed_in(employee).post(
        f"/growth/goals/{goal.pk}/actions/", {f"action-{goal.pk}-kind": "nap", f"action-{goal.pk}-title": " "}
    )
    assert response.status_code == 400
    assert "Select a valid choice. nap is not one of the available choices." in response.content.decode()
    assert not Action.objects.exists() and DevelopmentPlan.objects.get().revision == revision


def test_evidence_only_with_done_and_never_twice(rated: None, employee: User) -> None:
    goal = draft(employee).added[0]
    action = plan_services.action_add(
        actor=employee, goal=goal, kind="mentoring", title="Pair weekly", due_on=None
    )
    with pytest.raises(ValidationError) as refused:
        plan_services.action_status_set(
            actor=employee, action=action, status="in_progress", evidence="Paired."
        )
    assert refused.value.message_dict == {"evidence": ["Evidence is recorded when the action is done."]}
    plan_services.action_status_set(actor=employee, action=action, status="done", evidence="Paired.")
    with pytest.raises(ValidationError) as refused:
        plan_services.action_status_set(actor=employee, action=action, status="done", evidence="Again.")
    assert refused.value.message_dict == {"evidence": ["This action's evidence is recorded already."]}
    assert EvidenceItem.objects.filter(kind="win").count() == 1


def test_goal_status_progress_and_a_goal_of_ones_own(rated: None, employee: User, manager: User) -> None:
    goal = draft(employee).added[1]
    client = signed_in(manager)
    assert (
        client.post(f"/growth/goals/{goal.pk}/status/", {f"goal-status-{goal.pk}-status": "done"}).status_code
        == 302
    )
    goal.refresh_from_db()
    assert goal.status == "done" and goal.completed_at is not None
    response = client.post(
        f"/growth/goals/{goal.pk}/progress/",
        {f"progress-{goal.pk}-text": "Ran two design reviews.", f"progress-{goal.pk}-percent": "140"},
    )
    assert (
        response.status_code == 400
        and "Ensure this value is less than or equal to 100." in response.content.decode()
    )
    client.post(
        f"/growth/goals/{goal.pk}/progress/",
        {f"progress-{goal.pk}-text": "Ran two design reviews.", f"progress-{goal.pk}-percent": "60"},
    )
    assert list(ProgressUpdate.objects.values_list("author__full_name", "percent")) == [("Mo Manager", 60)]
    response = client.post(
        f"/growth/{employee.person.pk}/plan/goals/",
        {
            "goal-title": "Run the on-call rota",
            "goal-competency_id": "delivery",
            "goal-target_proficiency": "4",
        },
    )
    assert response.status_code == 302
    assert Goal.objects.filter(
        title="Run the on-call rota", competency_id="delivery", target_proficiency=4
    ).exists()
    response = client.post(
        f"/growth/{employee.person.pk}/plan/goals/", {"goal-title": "", "goal-competency_id": "juggling"}
    )
    assert response.status_code == 400
    assert "Select a valid choice. juggling is not one of the available choices." in response.content.decode()
    assert Goal.objects.count() == 3


def test_check_ins_show_on_the_plan_and_in_the_review_form_summary(
    rated: None, employee: User, manager: User, outsider: User
) -> None:
    plan = draft(employee).plan
    client = signed_in(employee)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        f"/growth/{employee.person.pk}/plan/check-ins/",
        {"check-in-happened_on": tomorrow.isoformat(), "check-in-summary": "Later."},
    )
    assert response.status_code == 400
    assert "The day is still to come: record a check-in that happened." in response.content.decode()
    assert not CheckIn.objects.exists()
    response = client.post(
        f"/growth/{employee.person.pk}/plan/check-ins/",
        {
            "check-in-happened_on": "2026-01-15",
            "check-in-summary": "Craft goal on track; the workshop is booked.",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("/plan/#check-ins")
    page = text_of(signed_in(manager).get(f"/growth/{employee.person.pk}/plan/").content.decode())
    assert "15 Jan 2026 · Craft goal on track; the workshop is booked. — Emi Employee" in page
    summary = plan_review_summary_get(viewer=manager, person=employee.person, framework=None)
    assert summary is not None and summary.check_ins[0].summary.startswith("Craft goal")
    assert summary.completion.text == "0 of 2 goals done"
    assert plan_review_summary_get(viewer=outsider, person=employee.person, framework=None) is None
    assert plan.check_ins.count() == 1


def test_completion_on_the_homes_of_the_person_and_their_manager(
    rated: None, employee: User, manager: User, other_manager: User
) -> None:
    goal = draft(employee).added[0]
    plan_services.goal_status_set(actor=employee, goal=goal, status="done")
    plan_services.action_add(actor=employee, goal=goal, kind="other", title="Dropped one", due_on=None)
    dropped = Action.objects.get()
    plan_services.action_status_set(actor=employee, action=dropped, status="dropped")
    completion = completion_by_person(viewer=manager, people=[employee.person])[employee.person.pk]
    assert (completion.goals_done, completion.goals, completion.actions_done, completion.actions) == (
        1,
        2,
        0,
        0,
    )
    assert completion_by_person(viewer=other_manager, people=[employee.person]) == {}
    home = text_of(signed_in(employee).get("/").content.decode())
    assert "Development plan: 1 of 2 goals done" in home
    home = signed_in(manager).get("/").content.decode()
    assert (
        f'<a href="/growth/{employee.person.pk}/plan/">Emi Employee</a> <span class="muted">1 of 2 goals done</span>'
        in home
    )


def test_the_next_cycle_s_forms_show_the_plan_and_its_check_ins(
    rated: None, version: object, employee: User, manager: User, hr_admin: User
) -> None:
    from trellis.web.reviews.cycle_services import Selection, cycle_open
    from trellis.web.reviews.models import CycleParticipant

    plan = draft(employee).plan
    plan_services.check_in_add(
        actor=manager,
        plan=plan,
        happened_on=datetime.date(2026, 2, 2),
        summary="Craft is moving; keep pairing.",
    )
    cycle = cycle_open(
        actor=hr_admin,
        name="2026 H2",
        framework_version=version,  # type: ignore[arg-type]
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 12, 31),
        selection=Selection(everyone=True),
    ).cycle
    participant = CycleParticipant.objects.get(cycle=cycle, person=employee.person)
    for user, source in ((employee, "self"), (manager, "manager")):
        page = text_of(
            signed_in(user).get(f"/reviews/participants/{participant.pk}/{source}/").content.decode()
        )
        assert "Development plan toward IC3 Senior Engineer · Engineering, Individual contributor" in page
        assert "0 of 2 goals done" in page
        assert "Open Software craft at the level IC3 expects · Software craft to 4" in page
        assert "2 Feb 2026 · Craft is moving; keep pairing. — Mo Manager" in page
