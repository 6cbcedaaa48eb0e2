"""1:1s: the guide a manager gets for a report (from their gaps, readiness, plan, feedback and the
applications the manager may see), meetings, their agenda and notes, and the refusals — bad input
names the field and stores nothing; anyone but the pair is told a meeting does not exist.

The framework is tests/evaluation/readiness.yaml (see test_gaps_page.py): the employee, IC2, is
short of IC3 on Software craft (2 of 4) and Communication (2 of 3), and meets Delivery.
"""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404
from django.test import Client
from django.utils import timezone

from trellis.framework import wording
from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.growth.models import (
    Action as PlanAction,
)
from trellis.web.growth.models import (
    AgendaItem,
    CheckIn,
    DevelopmentPlan,
    Goal,
    OneOnOne,
    PrivateNote,
    ProgressUpdate,
    SharedNote,
)
from trellis.web.growth.one_on_one_selectors import guide_page_get, one_on_ones_mine, pair_meetings
from trellis.web.growth.one_on_one_services import (
    NOTE_TEXT_MAX_LENGTH,
    OneOnOneProblem,
    agenda_item_add,
    agenda_item_tick,
    private_note_add,
    shared_note_add,
)
from trellis.web.mobility.models import Application, ApplicationStageChange, Opportunity
from trellis.web.reviews.models import EvidenceItem

pytestmark = pytest.mark.django_db


def _meeting(manager: User, employee: User, days_ago: int = 7) -> OneOnOne:
    return OneOnOne.objects.create(
        manager=manager.person,
        report=employee.person,
        happens_on=timezone.localdate() - datetime.timedelta(days=days_ago),
    )


def _stored() -> tuple[int, int, int, int]:
    return (
        OneOnOne.objects.count(),
        AgendaItem.objects.count(),
        SharedNote.objects.count(),
        PrivateNote.objects.count(),
    )


# --- the guide ---------------------------------------------------------------------------------


@pytest.fixture
def plan(employee: User, manager: User) -> DevelopmentPlan:
    """An active plan of the employee: one goal moving (40 %) with an overdue action, one stalled."""
    today = timezone.localdate()
    plan = DevelopmentPlan.objects.create(
        person=employee.person, target_family_id="engineering", target_track_id="ic", target_level_code="IC3"
    )
    moving = Goal.objects.create(plan=plan, title="Own a service's design", competency_id="craft", position=0)
    Goal.objects.create(plan=plan, title="Present at the guild", competency_id="communication", position=1)
    Goal.objects.create(plan=plan, title="Done already", status=Goal.Status.DONE, position=2)
    ProgressUpdate.objects.create(goal=moving, author=employee.person, text="Drafted it", percent=40)
    PlanAction.objects.create(
        goal=moving, title="Read the design guide", due_on=today - datetime.timedelta(days=3)
    )
    PlanAction.objects.create(
        goal=moving,
        title="Done on time",
        due_on=today - datetime.timedelta(days=3),
        status=PlanAction.Status.DONE,
    )
    CheckIn.objects.create(plan=plan, author=manager.person, summary="On track for the design goal.")
    return plan


def _applications(employee: User, other_manager: User) -> None:
    """One application shown to the chain, one hidden from it, one saved, one declined."""
    titles = ("Payments gig", "Secret role", "Bookmarked gig", "Old gig")
    opportunities = [
        Opportunity.objects.create(
            kind=Opportunity.Kind.GIG, title=title, hiring_manager=other_manager.person, status="open"
        )
        for title in titles
    ]
    person = employee.person
    Application.objects.create(opportunity=opportunities[0], person=person, stage=Application.Stage.APPLIED)
    Application.objects.create(
        opportunity=opportunities[1], person=person, stage=Application.Stage.APPLIED, hidden_from_manager=True
    )
    Application.objects.create(opportunity=opportunities[2], person=person, stage=Application.Stage.SAVED)
    declined = Application.objects.create(
        opportunity=opportunities[3], person=person, stage=Application.Stage.DECLINED
    )
    ApplicationStageChange.objects.create(application=declined, from_stage="applied", to_stage="declined")


def test_the_guide_asks_about_the_plan_the_largest_gaps_feedback_and_the_visible_applications(
    rated: None, plan: DevelopmentPlan, employee: User, manager: User, other_manager: User
) -> None:
    _applications(employee, other_manager)
    _meeting(manager, employee, days_ago=10)
    recent = timezone.localdate() - datetime.timedelta(days=2)
    EvidenceItem.objects.create(
        subject=employee.person,
        author=other_manager.person,
        text="Great review comments.",
        occurred_on=recent,
    )
    EvidenceItem.objects.create(  # a win, not feedback
        subject=employee.person, author=manager.person, kind="win", text="Shipped.", occurred_on=recent
    )
    EvidenceItem.objects.create(  # before the last 1:1: not counted
        subject=employee.person,
        author=other_manager.person,
        text="Old feedback.",
        occurred_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    page = guide_page_get(
        viewer=manager, report=employee.person, published=framework_published_get(viewer=manager)
    )

    assert page.guide.questions == (
        wording.guide_overdue("Own a service's design", 1),
        wording.guide_stalled("Present at the guild"),
        wording.guide_gap("Software craft", "IC3"),
        wording.guide_gap("Communication", "IC3"),
        wording.guide_feedback(1),
        wording.guide_application("Payments gig"),
    )
    assert [name for name, _ in page.guide.behaviours] == ["Software craft", "Communication"]
    assert [(goal.title, goal.progress, goal.overdue_actions) for goal in page.goals] == [
        ("Own a service's design", 0.4, 1),
        ("Present at the guild", None, 0),
    ]
    assert [check_in.summary for check_in in page.check_ins] == ["On track for the design goal."]
    assert [item.text for item in page.feedback] == ["Great review comments."]
    # The hidden application, the bookmark and the closed one never reach the manager.
    assert [application.opportunity.title for application in page.applications] == ["Payments gig"]


def test_the_guide_page_shows_the_guide_and_no_hidden_application(
    rated: None, plan: DevelopmentPlan, employee: User, manager: User, other_manager: User, login: object
) -> None:
    _applications(employee, other_manager)
    client: Client = login(manager)  # type: ignore[operator]
    html = client.get(f"/growth/{employee.person.pk}/one-on-one/").content.decode()
    assert "Questions to ask" in html and "Payments gig" in html
    assert "Secret role" not in html and "Bookmarked gig" not in html


def test_the_guide_is_the_direct_managers_alone(
    employee: User, skip_level_manager: User, hr_admin: User
) -> None:
    for other in (skip_level_manager, hr_admin, employee):
        with pytest.raises(Http404):
            guide_page_get(viewer=other, report=employee.person, published=None)
        with pytest.raises(Http404):
            pair_meetings(viewer=other, report=employee.person)


# --- meetings --------------------------------------------------------------------------------------


def test_the_manager_starts_a_1_1_and_both_see_it_in_their_lists(
    employee: User, manager: User, login: object
) -> None:
    client: Client = login(manager)  # type: ignore[operator]
    day = timezone.localdate()
    response = client.post(f"/growth/{employee.person.pk}/one-on-one/start/", {"happens_on": day.isoformat()})
    meeting = OneOnOne.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/growth/one-on-ones/{meeting.pk}/"
    assert (meeting.manager, meeting.report, meeting.happens_on) == (manager.person, employee.person, day)
    assert AuditEvent.objects.filter(action="one_on_one.created", target_id=str(meeting.pk)).count() == 1
    assert one_on_ones_mine(viewer=employee) == [meeting] == one_on_ones_mine(viewer=manager)
    assert pair_meetings(viewer=manager, report=employee.person) == [meeting]


def test_a_date_that_is_not_one_or_too_far_away_is_a_field_error(
    employee: User, manager: User, login: object
) -> None:
    client: Client = login(manager)  # type: ignore[operator]
    for value, message in (
        ("not a date", "Enter a valid date."),
        ("2001-01-01", "Choose a date within a year"),
    ):
        response = client.post(f"/growth/{employee.person.pk}/one-on-one/start/", {"happens_on": value})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert _stored() == (0, 0, 0, 0)


def test_either_of_the_pair_adds_to_the_agenda_and_ticks_it_off(employee: User, manager: User) -> None:
    meeting = _meeting(manager, employee)
    topic = agenda_item_add(actor=employee, meeting=meeting, text="  Conference budget  ")
    agenda_item_add(actor=manager, meeting=meeting, text="Quarter goals")
    agenda_item_tick(actor=manager, meeting=meeting, item_id=topic.pk, done=True)
    assert [(item.text, item.author, item.done) for item in meeting.agenda.all()] == [
        ("Conference budget", employee.person, True),
        ("Quarter goals", manager.person, False),
    ]
    agenda_item_tick(actor=employee, meeting=meeting, item_id=topic.pk, done=False)
    assert AgendaItem.objects.get(pk=topic.pk).done is False
    assert AuditEvent.objects.filter(action="one_on_one.agenda_ticked").count() == 2


def test_an_agenda_item_of_another_meeting_cannot_be_ticked(employee: User, manager: User) -> None:
    mine = _meeting(manager, employee)
    other = _meeting(manager, employee, days_ago=14)
    item = agenda_item_add(actor=employee, meeting=other, text="Elsewhere")
    with pytest.raises(Http404):
        agenda_item_tick(actor=employee, meeting=mine, item_id=item.pk, done=True)
    assert AgendaItem.objects.get(pk=item.pk).done is False


def test_the_pages_show_the_pair_the_agenda_and_shared_notes(
    employee: User, manager: User, login: object
) -> None:
    meeting = _meeting(manager, employee)
    client: Client = login(employee)  # type: ignore[operator]
    assert (
        client.post(f"/growth/one-on-ones/{meeting.pk}/agenda/", {"agenda-text": "Career talk"}).status_code
        == 302
    )
    response = client.post(
        f"/growth/one-on-ones/{meeting.pk}/shared-notes/", {"shared-text": "We agreed on X."}
    )
    assert response.status_code == 302 and response["Location"].endswith("#shared-notes")
    item = AgendaItem.objects.get()
    assert (
        client.post(
            f"/growth/one-on-ones/{meeting.pk}/agenda/tick/", {"item": item.pk, "done": "1"}
        ).status_code
        == 302
    )
    assert AgendaItem.objects.get().done
    client.force_login(manager)
    html = client.get(f"/growth/one-on-ones/{meeting.pk}/").content.decode()
    assert "Career talk" in html and "We agreed on X." in html
    assert f'href="/growth/{employee.person.pk}/one-on-one/"' in html  # back to the guide


@pytest.mark.parametrize(
    ("path", "field", "text", "message"),
    [
        ("agenda", "agenda-text", "", "This field is required."),
        ("agenda", "agenda-text", "x" * 401, "Ensure this value has at most 400 characters"),
        ("shared-notes", "shared-text", "   ", "This field is required."),
        ("shared-notes", "shared-text", "x" * (NOTE_TEXT_MAX_LENGTH + 1), "at most 4000 characters"),
        ("private-notes", "private-text", "", "This field is required."),
        ("private-notes", "private-text", "x" * (NOTE_TEXT_MAX_LENGTH + 1), "at most 4000 characters"),
    ],
)
def test_an_empty_or_too_long_text_is_an_error_on_its_field_and_stores_nothing(
    employee: User, manager: User, login: object, path: str, field: str, text: str, message: str
) -> None:
    meeting = _meeting(manager, employee)
    before = _stored()
    client: Client = login(manager)  # type: ignore[operator]
    response = client.post(f"/growth/one-on-ones/{meeting.pk}/{path}/", {field: text})
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    # The error is tied to the field that caused it.
    assert f'id="id_{field}_error"' in html
    assert _stored() == before


def test_the_services_refuse_empty_and_too_long_text_naming_the_field(employee: User, manager: User) -> None:
    meeting = _meeting(manager, employee)
    for write in (agenda_item_add, shared_note_add, private_note_add):
        with pytest.raises(OneOnOneProblem) as empty:
            write(actor=manager, meeting=meeting, text=" \n ")
        assert empty.value.field == "text"
        with pytest.raises(OneOnOneProblem) as long:
            write(actor=manager, meeting=meeting, text="x" * (NOTE_TEXT_MAX_LENGTH + 1))
        assert long.value.field == "text" and "Keep it to" in long.value.message
    assert _stored() == (1, 0, 0, 0)


def test_a_note_on_someone_elses_meeting_is_404_and_changes_nothing(
    employee: User, manager: User, other_manager: User, outsider: User, hr_admin: User, login: object
) -> None:
    meeting = _meeting(manager, employee)
    before = _stored()
    events = AuditEvent.objects.count()
    for actor in (other_manager, outsider, hr_admin):
        client: Client = login(actor)  # type: ignore[operator]
        for path, field in (
            ("agenda", "agenda-text"),
            ("shared-notes", "shared-text"),
            ("private-notes", "private-text"),
        ):
            assert (
                client.post(f"/growth/one-on-ones/{meeting.pk}/{path}/", {field: "Sneaky"}).status_code == 404
            )
        assert client.get(f"/growth/one-on-ones/{meeting.pk}/").status_code == 404
        for write in (agenda_item_add, shared_note_add, private_note_add):
            with pytest.raises(Http404):
                write(actor=actor, meeting=meeting, text="Sneaky")
    assert client.post("/growth/one-on-ones/999999/shared-notes/", {"shared-text": "x"}).status_code == 404
    assert _stored() == before
    assert AuditEvent.objects.count() == events


def test_the_audit_records_no_note_text_and_no_private_note(employee: User, manager: User) -> None:
    meeting = _meeting(manager, employee)
    shared_note_add(actor=manager, meeting=meeting, text="Shared words here")
    private_note_add(actor=manager, meeting=meeting, text="Private words here")
    events = list(AuditEvent.objects.values_list("action", "target_type", "fields"))
    assert events == [("one_on_one.shared_note_added", "growth.sharednote", ["text"])]
