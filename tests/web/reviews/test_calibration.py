"""Calibration in the reviews app: groups, the board, adjustments with reasons, notes nobody but
the group and HR reads, confirmation, closing — and every refusal leaves everything as it was."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people.models import Person
from trellis.web.reviews import calibration_services as services
from trellis.web.reviews.models import (
    Assessment,
    CalibrationAdjustment,
    CalibrationGroup,
    CalibrationNote,
    CycleParticipant,
    Rating,
    ReviewCycle,
    Source,
)

from ..conftest import make_person

pytestmark = pytest.mark.django_db

COMPETENCIES = ("communication", "delivery", "software_craft")


def _cycle(name: str, ends_on: datetime.date) -> ReviewCycle:
    return ReviewCycle.objects.create(
        name=name,
        framework_version=FrameworkVersion.objects.get(number=1),
        starts_on=ends_on - datetime.timedelta(days=180),
        ends_on=ends_on,
        phase=ReviewCycle.Phase.CALIBRATION,
    )


def _rate(cycle: ReviewCycle, subject: Person, author: Person, scores: tuple[int | None, ...]) -> None:
    assessment = Assessment.objects.create(cycle=cycle, subject=subject, source=Source.MANAGER, author=author)
    Rating.objects.bulk_create(
        Rating(
            assessment=assessment,
            cycle=cycle,
            subject=subject,
            source=Source.MANAGER,
            competency_id=competency,
            score=score,
        )
        for competency, score in zip(COMPETENCIES, scores, strict=True)
    )


def _participant(
    cycle: ReviewCycle, person: Person, group: CalibrationGroup | None = None
) -> CycleParticipant:
    return CycleParticipant.objects.create(
        cycle=cycle,
        person=person,
        family_id=person.family_id,
        track_id=person.track_id,
        level_code=person.level_code,
        manager=person.manager,
        calibration_group=group,
    )


@pytest.fixture
def session(personas: dict[str, User], published_framework: FrameworkVersion) -> dict[str, Any]:
    """A cycle in calibration: the manager's reports (the employee, rated 3 3 4, and a teammate),
    the other manager's report (the outsider), and the manager themselves (rated by the
    skip-level manager) — all in one open group whose members are the two managers. The employee
    was rated 2 2 2 in the cycle before."""
    employee = personas["employee"].person
    manager = personas["manager"].person
    other = personas["other_manager"].person
    teammate = make_person(
        None, employee_id="E050", full_name="Tia Teammate", level_code="IC2", manager=manager
    )
    previous = _cycle("First half 2026", datetime.date(2026, 6, 30))
    _participant(previous, employee)
    _rate(previous, employee, manager, (2, 2, 2))
    cycle = _cycle("Second half 2026", datetime.date(2026, 12, 31))
    group = CalibrationGroup.objects.create(cycle=cycle, name="Engineering managers")
    group.members.set([manager, other])
    participants = {
        "employee": _participant(cycle, employee, group),
        "teammate": _participant(cycle, teammate, group),
        "outsider": _participant(cycle, personas["outsider"].person, group),
        "manager": _participant(cycle, manager, group),
    }
    _rate(cycle, employee, manager, (3, 3, 4))
    _rate(cycle, teammate, manager, (4, 4, None))
    _rate(cycle, personas["outsider"].person, other, (2, 3, 2))
    _rate(cycle, manager, personas["skip_level_manager"].person, (3, 4, 4))
    return {**personas, "cycle": cycle, "group": group, "participants": participants, "previous": previous}


def _adjust_delivery(
    actor: User, participant: CycleParticipant, score: int, *, reason: str = "Scope.", revision: int = 0
) -> CalibrationAdjustment:
    return services.calibration_rating_adjust(
        actor=actor,
        participant=participant,
        competency_id="delivery",
        score=score,
        reason=reason,
        revision=revision,
    )


def _stored() -> tuple[Any, ...]:
    """What calibration writes, to compare before and after a refusal."""
    return (
        list(Rating.objects.order_by("pk").values_list("pk", "score", "revision", "source")),
        list(CalibrationAdjustment.objects.values_list("pk", flat=True)),
        list(CalibrationNote.objects.values_list("pk", flat=True)),
        list(
            CycleParticipant.objects.order_by("pk").values_list(
                "pk", "calibration_confirmed_at", "calibration_group_id"
            )
        ),
        list(CalibrationGroup.objects.order_by("pk").values_list("pk", "status")),
        list(ReviewCycle.objects.order_by("pk").values_list("pk", "target_distribution")),
        AuditEvent.objects.count(),
    )


def test_an_adjustment_keeps_before_after_who_when_and_why(session: dict[str, Any]) -> None:
    participant = session["participants"]["employee"]
    other_manager = session["other_manager"]
    adjustment = _adjust_delivery(other_manager, participant, 4, reason="Led the migration end to end.")
    rating = adjustment.rating
    assert (rating.source, rating.competency_id, rating.score, rating.revision) == (
        Source.CALIBRATED,
        "delivery",
        4,
        1,
    )
    assert (adjustment.before, adjustment.after, adjustment.adjusted_by, adjustment.reason) == (
        3, 4, other_manager, "Led the migration end to end.",
    )  # fmt: skip
    assert adjustment.group == session["group"]
    event = AuditEvent.objects.get(action=AuditAction.CALIBRATION_RATING_ADJUSTED)
    assert (event.actor, event.fields) == (other_manager, ["reason", "score"])
    # A second adjustment from the revision now shown moves it again and keeps both.
    again = _adjust_delivery(session["hr_admin"], participant, 3, reason="Back.", revision=1)
    assert (again.before, again.after, again.rating.revision) == (4, 3, 2)


def test_a_stale_revision_is_refused_and_changes_nothing(session: dict[str, Any]) -> None:
    participant = session["participants"]["employee"]
    _adjust_delivery(session["hr_admin"], participant, 4)
    before = _stored()
    with pytest.raises(ValidationError) as refused:
        _adjust_delivery(session["other_manager"], participant, 2, reason="Saw the old page.")
    assert refused.value.messages == [services.CONFLICT_MESSAGE.format(now="4")]
    assert _stored() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reason": "   "}, "reason", "Say why the rating changes: the reason is kept with it."),
        ({"score": 9}, "score", "Choose a point of the rating scale."),
        ({"score": 3}, "score", "That is the manager's rating already: nothing to adjust."),
        ({"competency_id": "hiring"}, "competency_id", "This competency has no rating to calibrate."),
    ],
)
def test_bad_adjustments_name_the_field_and_store_nothing(
    session: dict[str, Any], changes: dict[str, Any], field: str, message: str
) -> None:
    arguments = {"competency_id": "delivery", "score": 4, "reason": "Because.", "revision": 0, **changes}
    before = _stored()
    with pytest.raises(ValidationError) as refused:
        services.calibration_rating_adjust(
            actor=session["other_manager"], participant=session["participants"]["employee"], **arguments
        )
    assert refused.value.message_dict == {field: [message]}
    assert _stored() == before


def test_nobody_calibrates_themselves_and_outsiders_cannot_at_all(session: dict[str, Any]) -> None:
    before = _stored()
    # The manager is a member of the group and one of its people: their own ratings are not theirs to move.
    for actor, participant in (
        (session["manager"], session["participants"]["manager"]),
        (session["employee"], session["participants"]["teammate"]),
        (session["skip_level_manager"], session["participants"]["employee"]),
        (session["it_admin"], session["participants"]["employee"]),
    ):
        with pytest.raises(PermissionDenied):
            _adjust_delivery(actor, participant, 5, reason="Mine.")
        with pytest.raises(PermissionDenied):
            services.calibration_confirm(actor=actor, participant=participant)
        with pytest.raises(PermissionDenied):
            services.calibration_note_add(actor=actor, participant=participant, text="About me.")
    assert _stored() == before


def test_notes_are_read_by_the_group_and_hr_and_never_by_the_subject(
    session: dict[str, Any], client: Any
) -> None:
    group = session["group"]
    employee = session["participants"]["employee"]
    manager = session["participants"]["manager"]
    services.calibration_note_add(
        actor=session["other_manager"], participant=employee, text="Strong incident work."
    )
    services.calibration_note_add(actor=session["hr_admin"], participant=manager, text="Rates generously.")
    employee_page = f"/reviews/calibration/groups/{group.pk}/people/{employee.pk}/"
    manager_page = f"/reviews/calibration/groups/{group.pk}/people/{manager.pk}/"
    for reader in ("manager", "other_manager", "hr_admin"):
        client.force_login(session[reader])
        assert "Strong incident work." in client.get(employee_page).content.decode()
    # The employee is no member: the session does not exist for them.
    client.force_login(session["employee"])
    assert client.get(employee_page).status_code == 404
    assert client.get(f"/reviews/calibration/groups/{group.pk}/").status_code == 404
    # The manager is a member and a subject: they see the session and their own page, never its notes.
    client.force_login(session["manager"])
    own = client.get(manager_page).content.decode()
    assert "Rates generously." not in own
    assert "Calibration notes" not in own
    assert "Rates generously." not in client.get(f"/reviews/calibration/groups/{group.pk}/").content.decode()
    client.force_login(session["other_manager"])
    assert "Rates generously." in client.get(manager_page).content.decode()


def test_confirming_and_closing_lock_the_calibrated_ratings(session: dict[str, Any]) -> None:
    group = session["group"]
    employee = session["participants"]["employee"]
    _adjust_delivery(session["other_manager"], employee, 4)
    services.calibration_confirm(actor=session["other_manager"], participant=employee)
    employee.refresh_from_db()
    assert employee.calibration_confirmed_by == session["other_manager"]
    with pytest.raises(PermissionDenied):
        services.calibration_group_close(actor=session["manager"], group=group)
    written = services.calibration_group_close(actor=session["hr_admin"], group=group)
    # 12 manager ratings, one adjusted already: 11 carried over, the missing one stays missing.
    assert written == 11
    calibrated = dict(
        Rating.objects.filter(
            subject=employee.person, cycle=session["cycle"], source=Source.CALIBRATED
        ).values_list("competency_id", "score")
    )
    assert calibrated == {"communication": 3, "delivery": 4, "software_craft": 4}
    teammate = session["participants"]["teammate"].person
    assert (
        Rating.objects.get(subject=teammate, source=Source.CALIBRATED, competency_id="software_craft").score
        is None
    )
    before = _stored()
    with pytest.raises(ValidationError) as refused:
        _adjust_delivery(session["hr_admin"], employee, 5, reason="Late.", revision=1)
    assert refused.value.messages == [services.CLOSED_MESSAGE]
    with pytest.raises(ValidationError):
        services.calibration_group_close(actor=session["hr_admin"], group=group)
    assert _stored() == before


def test_hr_creates_groups_of_managers_and_their_people_join(session: dict[str, Any]) -> None:
    cycle = session["cycle"]
    CycleParticipant.objects.filter(cycle=cycle).update(calibration_group=None)
    before = _stored()
    with pytest.raises(ValidationError) as refused:
        services.calibration_group_create(
            actor=session["hr_admin"], cycle=cycle, name="Leads", members=[session["employee"].person]
        )
    assert refused.value.message_dict == {"members": ["Not a manager of anyone in this cycle: Emi Employee."]}
    with pytest.raises(ValidationError) as refused:
        services.calibration_group_create(
            actor=session["hr_admin"],
            cycle=cycle,
            name="Engineering managers",
            members=[session["manager"].person],
        )
    assert refused.value.message_dict == {
        "name": ['This cycle already has a group called "Engineering managers".']
    }
    with pytest.raises(PermissionDenied):
        services.calibration_group_create(
            actor=session["manager"], cycle=cycle, name="Mine", members=[session["manager"].person]
        )
    assert _stored() == before
    group = services.calibration_group_create(
        actor=session["hr_admin"],
        cycle=cycle,
        name="  Platform   leads ",
        members=[session["manager"].person],
    )
    assert group.name == "Platform leads"
    assert sorted(p.person.full_name for p in group.participants.all()) == ["Emi Employee", "Tia Teammate"]


def test_the_target_distribution_is_checked_then_kept(session: dict[str, Any]) -> None:
    cycle = session["cycle"]
    before = _stored()
    with pytest.raises(ValidationError) as refused:
        services.calibration_target_set(actor=session["hr_admin"], cycle=cycle, shares={3: 0.5, 4: 0.2})
    assert refused.value.messages == ["The target shares must add up to 100%."]
    with pytest.raises(ValidationError):
        services.calibration_target_set(actor=session["hr_admin"], cycle=cycle, shares={7: 1.0})
    with pytest.raises(PermissionDenied):
        services.calibration_target_set(actor=session["manager"], cycle=cycle, shares={3: 1.0})
    assert _stored() == before
    services.calibration_target_set(actor=session["hr_admin"], cycle=cycle, shares={2: 0.2, 3: 0.6, 4: 0.2})
    cycle.refresh_from_db()
    assert cycle.target_distribution == {"2": 0.2, "3": 0.6, "4": 0.2}


def test_the_board_shows_charts_people_and_changes(session: dict[str, Any], client: Any) -> None:
    services.calibration_target_set(
        actor=session["hr_admin"], cycle=session["cycle"], shares={2: 0.2, 3: 0.6, 4: 0.2}
    )
    client.force_login(session["other_manager"])
    response = client.get(f"/reviews/calibration/groups/{session['group'].pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart') == 2
    assert "<script" not in page.split("<main", 1)[1]
    # The employee averaged 2 last cycle and 10/3 now.
    assert "+1.33 (from 2.00)" in page
    assert "3.33" in page
    assert "Target" in page


def test_the_board_costs_the_same_queries_for_more_people(session: dict[str, Any], client: Any) -> None:
    client.force_login(session["hr_admin"])
    url = f"/reviews/calibration/groups/{session['group'].pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    manager = session["manager"].person
    for index in range(20):
        person = make_person(
            None, employee_id=f"E{200 + index}", full_name=f"Extra {index}", level_code="IC3", manager=manager
        )
        _participant(session["cycle"], person, session["group"])
        _rate(session["cycle"], person, manager, (index % 5 + 1, 3, 4))
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


def test_pages_answer_forms_with_field_errors(session: dict[str, Any], client: Any) -> None:
    group = session["group"]
    employee = session["participants"]["employee"]
    client.force_login(session["other_manager"])
    before = _stored()
    response = client.post(
        f"/reviews/calibration/groups/{group.pk}/people/{employee.pk}/adjust/",
        {
            "competency": "delivery",
            "delivery-competency_id": "delivery",
            "delivery-revision": "0",
            "delivery-score": "4",
            "delivery-reason": "",
        },
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert _stored() == before
    response = client.post(
        f"/reviews/calibration/groups/{group.pk}/people/{employee.pk}/adjust/",
        {
            "competency": "delivery",
            "delivery-competency_id": "delivery",
            "delivery-revision": "0",
            "delivery-score": "4",
            "delivery-reason": "Scope grew.",
        },
    )
    assert response.status_code == 302
    assert CalibrationAdjustment.objects.get().reason == "Scope grew."


def test_closing_costs_the_same_queries_for_more_people(session: dict[str, Any]) -> None:
    group = session["group"]
    with CaptureQueriesContext(connection) as small:
        services.calibration_group_close(
            actor=session["hr_admin"], group=CalibrationGroup.objects.get(pk=group.pk)
        )
    # The same session again, reopened with twenty more people.
    Rating.objects.filter(source=Source.CALIBRATED).delete()
    Assessment.objects.filter(source=Source.CALIBRATED).delete()
    CalibrationGroup.objects.filter(pk=group.pk).update(status=CalibrationGroup.Status.OPEN)
    manager = session["manager"].person
    for index in range(20):
        person = make_person(
            None, employee_id=f"E{300 + index}", full_name=f"More {index}", level_code="IC3", manager=manager
        )
        _participant(session["cycle"], person, group)
        _rate(session["cycle"], person, manager, (3, 3, 3))
    with CaptureQueriesContext(connection) as large:
        written = services.calibration_group_close(
            actor=session["hr_admin"], group=CalibrationGroup.objects.get(pk=group.pk)
        )
    assert written == 12 + 20 * 3
    assert len(large) == len(small)


def test_hr_sets_the_target_in_percent_on_the_cycle_page(session: dict[str, Any], client: Any) -> None:
    cycle = session["cycle"]
    client.force_login(session["hr_admin"])
    url = f"/reviews/calibration/cycles/{cycle.pk}/"
    refused = client.post(f"{url}target/", {"share_3": "50", "share_4": "20"})
    assert refused.status_code == 400
    assert "The target shares must add up to 100%." in refused.content.decode()
    cycle.refresh_from_db()
    assert cycle.target_distribution is None
    saved = client.post(f"{url}target/", {"share_2": "20", "share_3": "62.5", "share_4": "17.5"})
    assert saved.status_code == 302
    cycle.refresh_from_db()
    assert cycle.target_distribution == {"1": 0.0, "2": 0.2, "3": 0.625, "4": 0.175, "5": 0.0}
    page = client.get(url).content.decode()
    assert 'name="share_2" value="20"' in page
    assert 'name="share_3" value="62.5"' in page
    assert "Now: 1: 0% · 2: 20% · 3: 62.5% · 4: 17.5% · 5: 0%" in page


@pytest.mark.parametrize(
    ("phase", "label"),
    [
        ("assessment", "Assessment"),
        ("sign_off", "Sign-off"),
        ("shared", "Shared with employees"),
        ("closed", "Closed"),
    ],
)
def test_outside_the_calibration_phase_nothing_is_adjusted_noted_or_confirmed(
    session: dict[str, Any], client: Any, phase: str, label: str
) -> None:
    """A session works in its cycle's calibration phase only; before or after it each write is
    refused with the phase named, and nothing changes (the page says so and offers no form)."""
    employee = session["participants"]["employee"]
    member = session["other_manager"]
    _adjust_delivery(member, employee, 4)  # in the phase: it works
    ReviewCycle.objects.filter(pk=session["cycle"].pk).update(phase=phase)
    message = services.PHASE_MESSAGE.format(phase=label)
    assert message == (
        f"Calibration happens while the cycle is in its calibration phase; this cycle is in {label}. "
        "Nothing was changed."
    )
    before = _stored()
    writes = [
        lambda: _adjust_delivery(member, employee, 5, reason="Later.", revision=1),
        lambda: services.calibration_note_add(actor=member, participant=employee, text="A note."),
        lambda: services.calibration_confirm(actor=member, participant=employee),
        lambda: _adjust_delivery(session["hr_admin"], session["participants"]["teammate"], 2),
    ]
    for write in writes:
        with pytest.raises(ValidationError) as refused:
            write()
        assert refused.value.messages == [message]
    assert _stored() == before

    client.force_login(member)
    url = f"/reviews/calibration/groups/{session['group'].pk}/people/{employee.pk}/"
    page = client.get(url).content.decode()
    assert f"this cycle is in {label}." in page
    assert 'name="reason"' not in page and f'action="{url}confirm/"' not in page
    for action, data in (
        ("adjust/", {"competency": "delivery", "delivery-competency_id": "delivery", "delivery-score": "5",
                     "delivery-reason": "Later.", "delivery-revision": "1"}),
        ("notes/", {"text": "A note."}),
        ("confirm/", {}),
    ):  # fmt: skip
        response = client.post(url + action, data)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert _stored() == before
