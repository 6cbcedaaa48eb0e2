"""The writes of internal mobility: posting with the field named on a refusal, the applicant's own
moves, the hiring side's stages with every change recorded, and filling — a role moves the person
through the people services with history; a gig counts its capacity."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trellis.web.audit.models import AuditEvent
from trellis.web.mobility import services
from trellis.web.mobility.models import (
    Application,
    ApplicationStageChange,
    Opportunity,
    OpportunityRequirement,
)
from trellis.web.mobility.services import (
    RequirementInput,
    application_act,
    application_move,
    opportunity_save,
)
from trellis.web.notifications.models import Notification
from trellis.web.people.models import Person, PersonChange

from .conftest import open_gig

pytestmark = pytest.mark.django_db

Stage = Application.Stage


def _counts() -> tuple[int, int, int, int, int]:
    return (
        Opportunity.objects.count(),
        OpportunityRequirement.objects.count(),
        Application.objects.count(),
        ApplicationStageChange.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_manager_posts_a_gig_as_a_draft_and_opens_it(rated: dict[str, Any]) -> None:
    manager = rated["manager"]
    gig = opportunity_save(
        actor=manager,
        opportunity=None,
        kind="gig",
        title="  Data quality gig ",
        starts_on=datetime.date(2027, 1, 4),
        ends_on=datetime.date(2027, 3, 26),
        time_share=20,
        capacity=2,
        requirements=[RequirementInput("communication", 3), RequirementInput("craft", 3.5)],
    )
    assert (gig.status, gig.title, gig.hiring_manager, gig.opened_at) == (
        "draft",
        "Data quality gig",
        manager.person,
        None,
    )
    assert list(gig.requirements.values_list("competency_id", "minimum")) == [
        ("communication", 3.0),
        ("craft", 3.5),
    ]
    opened = services.opportunity_status_set(actor=manager, opportunity=gig, status="open")
    assert opened.status == "open" and opened.opened_at is not None
    assert list(
        AuditEvent.objects.filter(action__startswith="opportunity.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "opportunity.created",
        "opportunity.status_changed",
    ]
    with pytest.raises(ValidationError) as refused:
        services.opportunity_status_set(actor=manager, opportunity=gig, status="filled")
    assert refused.value.message_dict == {
        "status": ["This opportunity is open: it cannot be set to “filled”."]
    }


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"title": "  "}, {"title": ["This field is required."]}),
        ({"kind": "role"}, {"level": ["Choose the role's level from the published framework."]}),
        (
            {"kind": "role", "level": "engineering/ic/IC9"},
            {"level": ["Choose the role's level from the published framework."]},
        ),
        ({"kind": "job"}, {"kind": ["“job” is not a kind of opportunity (role, project or gig)."]}),
        ({"time_share": 0}, {"time_share": ["The share of the week is between 1 and 100 percent."]}),
        ({"capacity": 0}, {"capacity": ["It takes at least one person."]}),
        (
            {"starts_on": datetime.date(2027, 2, 1), "ends_on": datetime.date(2027, 1, 1)},
            {"ends_on": ["The end date is before the start date."]},
        ),
        (
            {"requirements": [RequirementInput("juggling", 3)]},
            {"requirements": ["“juggling” is not a competency of the published framework."]},
        ),
        (
            {"requirements": [RequirementInput("craft", 3), RequirementInput("craft", 4)]},
            {"requirements": ["Software craft is required twice: keep one minimum."]},
        ),
        (
            {"requirements": [RequirementInput("craft", 6)]},
            {"requirements": ["The minimum for Software craft must be between 1 and 5, not 6."]},
        ),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    rated: dict[str, Any], fields: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    values: dict[str, Any] = {"kind": "gig", "title": "Gig", "time_share": 20, "capacity": 1}
    values.update(fields)
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        opportunity_save(actor=rated["manager"], opportunity=None, **values)
    assert refused.value.message_dict == errors
    assert _counts() == before


def test_only_hiring_managers_and_hr_post_and_only_its_hiring_manager_changes_it(
    rated: dict[str, Any],
) -> None:
    before = _counts()
    with pytest.raises(PermissionDenied):
        opportunity_save(actor=rated["employee"], opportunity=None, kind="gig", title="Mine")
    gig = open_gig(rated["other_manager"].person)
    with pytest.raises(PermissionDenied):
        opportunity_save(actor=rated["manager"], opportunity=gig, kind="gig", title="Taken over")
    with pytest.raises(PermissionDenied):
        services.opportunity_status_set(actor=rated["manager"], opportunity=gig, status="closed")
    gig.refresh_from_db()
    assert gig.title == "Checkout reliability gig" and gig.status == "open"
    assert _counts()[0] == before[0] + 1 and _counts()[4] == before[4]


def test_the_applicant_applies_hidden_with_a_note_and_every_stage_is_kept(
    gig: Opportunity, rated: dict[str, Any]
) -> None:
    employee = rated["employee"]
    saved = application_act(actor=employee, opportunity=gig, action="save")
    assert saved.stage == "saved"
    applied = application_act(
        actor=employee,
        opportunity=gig,
        action="apply",
        note=" I ran checkout's on-call. ",
        hidden_from_manager=True,
    )
    assert (applied.pk, applied.stage, applied.note, applied.hidden_from_manager) == (
        saved.pk,
        "applied",
        "I ran checkout's on-call.",
        True,
    )
    withdrawn = application_act(actor=employee, opportunity=gig, action="withdraw")
    assert withdrawn.stage == "withdrawn"
    assert list(ApplicationStageChange.objects.values_list("from_stage", "to_stage", "changed_by")) == [
        ("", "saved", employee.pk),
        ("saved", "applied", employee.pk),
        ("applied", "withdrawn", employee.pk),
    ]


def test_the_applicants_refusals_change_nothing(gig: Opportunity, rated: dict[str, Any]) -> None:
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        application_act(actor=rated["employee"], opportunity=gig, action="withdraw")
    assert refused.value.message_dict == {"action": ["There is no application to change."]}
    with pytest.raises(PermissionDenied):  # the hiring manager does not apply to their own gig
        application_act(actor=rated["other_manager"], opportunity=gig, action="apply")
    draft = open_gig(rated["other_manager"].person, title="Draft", status=Opportunity.Status.DRAFT)
    with pytest.raises(PermissionDenied):  # a draft is not there to apply to
        application_act(actor=rated["employee"], opportunity=draft, action="apply")
    closed = open_gig(rated["other_manager"].person, title="Closed", status=Opportunity.Status.CLOSED)
    with pytest.raises(ValidationError) as refused:
        application_act(actor=rated["employee"], opportunity=closed, action="apply")
    assert refused.value.message_dict == {
        "action": ["This opportunity is not open: it takes no new applications."]
    }
    assert _counts()[2:] == before[2:]


def test_the_hiring_manager_moves_a_candidate_and_the_applicant_is_told(
    gig: Opportunity, rated: dict[str, Any]
) -> None:
    hiring = rated["other_manager"]
    applied = application_act(
        actor=rated["employee"], opportunity=gig, action="apply", hidden_from_manager=True
    )
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        application_move(actor=hiring, application=applied, stage="accepted")
    assert refused.value.message_dict == {
        "stage": ["Emi Employee's application is applied: it cannot move to accepted."]
    }
    with pytest.raises(ValidationError):
        application_move(actor=hiring, application=applied, stage="talking", revision=applied.revision - 1)
    with pytest.raises(PermissionDenied):
        application_move(actor=rated["manager"], application=applied, stage="talking")
    assert _counts() == before
    talking = application_move(actor=hiring, application=applied, stage="talking", revision=applied.revision)
    assert talking.stage == "talking"
    last = ApplicationStageChange.objects.order_by("-id").first()
    assert last is not None and (last.from_stage, last.to_stage, last.changed_by) == (
        "applied",
        "talking",
        hiring,
    )
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.title, notification.link) == (
        rated["employee"].person,
        "application_moved",
        "Your application to “Checkout reliability gig” is now talking",
        "/opportunities/mine/",
    )


def _accept(actor: Any, application: Application) -> Application:
    for stage in ("talking", "offered", "accepted"):
        application = application_move(actor=actor, application=application, stage=stage)
    return application


def test_accepting_a_role_fills_it_and_moves_the_person_with_history(rated: dict[str, Any]) -> None:
    hiring = rated["other_manager"]
    role = open_gig(hiring.person, title="Senior engineer", kind=Opportunity.Kind.ROLE, family_id="engineering",
                    track_id="ic", level_code="IC3", capacity=1, time_share=100)  # fmt: skip
    employee = rated["employee"].person
    applied = application_act(actor=rated["employee"], opportunity=role, action="apply")
    _accept(hiring, applied)
    role.refresh_from_db()
    moved = Person.objects.get(pk=employee.pk)
    assert (role.status, moved.level_code, moved.manager) == ("filled", "IC3", hiring.person)
    assert role.filled_at is not None and role.time_to_fill == role.filled_at - role.opened_at
    changes = list(
        PersonChange.objects.filter(person=employee)
        .order_by("id")
        .values_list("kind", "old_value", "new_value", "changed_by")
    )
    # The people services are HR's: the move is made as the HR admin's account.
    assert changes == [
        ("level", "engineering/ic/IC2", "engineering/ic/IC3", rated["hr_admin"].pk),
        ("manager", "E002", "E004", rated["hr_admin"].pk),
    ]
    accepted = ApplicationStageChange.objects.get(to_stage="accepted")
    assert accepted.changed_by == hiring
    with pytest.raises(ValidationError):  # filled: nobody else is accepted
        application_act(actor=rated["coauthor"], opportunity=role, action="apply")


def test_a_role_the_people_services_refuse_changes_nothing(rated: dict[str, Any]) -> None:
    # The manager hires for a role: accepting their own skip-level manager would close a loop.
    hiring = rated["manager"]
    role = open_gig(hiring.person, title="Principal", kind=Opportunity.Kind.ROLE, family_id="engineering",
                    track_id="ic", level_code="IC4", capacity=1, time_share=100)  # fmt: skip
    applied = application_act(actor=rated["skip_level_manager"], opportunity=role, action="apply")
    applied = application_move(actor=hiring, application=applied, stage="talking")
    applied = application_move(actor=hiring, application=applied, stage="offered")
    before = (_counts(), PersonChange.objects.count())
    with pytest.raises(ValidationError) as refused:
        application_move(actor=hiring, application=applied, stage="accepted")
    assert "manager" in refused.value.message_dict
    assert (_counts(), PersonChange.objects.count()) == before
    role.refresh_from_db()
    skip = Person.objects.get(pk=rated["skip_level_manager"].person.pk)
    assert (role.status, skip.level_code, skip.manager_id) == ("open", "M2", None)


def test_a_gig_fills_at_its_capacity_and_changes_nobodys_level(
    gig: Opportunity, rated: dict[str, Any]
) -> None:
    hiring = rated["other_manager"]
    first = application_act(actor=rated["employee"], opportunity=gig, action="apply")
    second = application_act(actor=rated["coauthor"], opportunity=gig, action="interest")
    _accept(hiring, first)
    gig.refresh_from_db()
    assert gig.status == "open"
    _accept(hiring, second)
    gig.refresh_from_db()
    assert gig.status == "filled" and gig.filled_at is not None
    assert Person.objects.get(pk=rated["employee"].person.pk).level_code == "IC2"
    assert PersonChange.objects.count() == 0
