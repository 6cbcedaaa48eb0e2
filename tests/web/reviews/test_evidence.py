"""Continuous evidence: anyone records feedback or a win; the subject, their managers, HR and the
author see it, nobody else."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from trellis.web.audit.models import AuditEvent
from trellis.web.people.models import Person
from trellis.web.reviews.feedback_selectors import evidence_for_cycle
from trellis.web.reviews.models import EvidenceItem

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _form(**overrides: Any) -> dict[str, Any]:
    return {
        "subject_email": "employee@example.com",
        "kind": "win",
        "text": "Led the incident review for the payments outage.",
        "link": "https://wiki.example.com/incidents/42",
        "occurred_on": (TODAY - datetime.timedelta(days=3)).isoformat(),
        "competencies": ["communication", "operational_excellence"],
        **overrides,
    }


@pytest.fixture
def recorded(personas: dict[str, Any], published_framework: Any, login: Any) -> EvidenceItem:
    """The outsider (on another team) records a win of the employee's."""
    response = login(personas["outsider"]).post("/feedback/evidence/new/", _form())
    assert response.status_code == 302
    assert response["Location"] == "/feedback/evidence/"
    return EvidenceItem.objects.get()


def test_a_colleague_records_a_win_tagged_to_the_subjects_competencies(
    recorded: EvidenceItem, personas: dict[str, Any]
) -> None:
    assert (recorded.subject_id, recorded.author_id, recorded.kind) == (
        personas["employee"].person.pk,
        personas["outsider"].person.pk,
        "win",
    )
    assert recorded.competency_ids == ["communication", "operational_excellence"]
    assert recorded.link == "https://wiki.example.com/incidents/42"
    event = AuditEvent.objects.get(action="evidence.recorded")
    assert event.fields == ["competency_ids", "kind", "link", "occurred_on", "text"]
    assert event.target_id == str(recorded.pk)


@pytest.mark.parametrize("name", ["employee", "manager", "skip_level_manager", "hr_admin", "outsider"])
def test_the_subject_their_managers_hr_and_the_author_see_it(
    recorded: EvidenceItem, personas: dict[str, Any], name: str
) -> None:
    employee = personas["employee"].person
    assert evidence_for_cycle(viewer=personas[name], subject=employee, since=None) == [recorded]


@pytest.mark.parametrize("name", ["other_manager", "coauthor", "it_admin"])
def test_nobody_else_sees_it(recorded: EvidenceItem, personas: dict[str, Any], name: str, login: Any) -> None:
    employee = personas["employee"].person
    assert evidence_for_cycle(viewer=personas[name], subject=employee, since=None) == []
    client = login(personas[name])
    assert client.get(f"/feedback/people/{employee.pk}/evidence/").status_code in (403, 404)
    assert recorded.text not in client.get("/feedback/evidence/").content.decode()


def test_the_evidence_pages_show_it_with_the_competencies_named(
    recorded: EvidenceItem, personas: dict[str, Any], login: Any
) -> None:
    employee = personas["employee"].person
    page = login(personas["manager"]).get(f"/feedback/people/{employee.pk}/evidence/").content.decode()
    assert recorded.text in page and "Communication, Operational excellence" in page
    assert "by Ola Outsider" in page
    mine = login(personas["employee"]).get("/feedback/evidence/").content.decode()
    assert recorded.text in mine
    # The author finds it among what they recorded, though not on the employee's page.
    author = login(personas["outsider"])
    assert recorded.text in author.get("/feedback/evidence/").content.decode()
    assert author.get(f"/feedback/people/{employee.pk}/evidence/").status_code == 404


def test_evidence_for_cycle_keeps_what_happened_since_a_date(
    recorded: EvidenceItem, personas: dict[str, Any]
) -> None:
    employee = personas["employee"].person
    older = EvidenceItem.objects.create(
        subject=employee, author=employee, text="Old win.", occurred_on=TODAY - datetime.timedelta(days=400)
    )
    manager = personas["manager"]
    assert evidence_for_cycle(viewer=manager, subject=employee, since=None) == [recorded, older]
    assert evidence_for_cycle(
        viewer=manager, subject=employee, since=TODAY - datetime.timedelta(days=30)
    ) == [recorded]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"competencies": ["no_such_thing"]},
            "competencies",
            "no_such_thing is not one of the available choices.",
        ),
        ({"link": "javascript:alert(1)"}, "link", "Enter a valid URL."),
        ({"link": "ftp://files.example.com/x"}, "link", "A link starts with http:// or https://."),
        (
            {"occurred_on": (TODAY + datetime.timedelta(days=1)).isoformat()},
            "occurred_on",
            "The date is still to come",
        ),
        (
            {"subject_email": "nobody@example.com"},
            "subject_email",
            "Nobody active in the company has this e-mail address.",
        ),
        ({"text": ""}, "text", "This field is required."),
        ({"kind": "rumour"}, "kind", "Select a valid choice. rumour is not one of the available choices."),
    ],
)
def test_bad_input_is_a_form_error_naming_the_field_and_nothing_is_stored(
    personas: dict[str, Any],
    published_framework: Any,
    login: Any,
    overrides: dict[str, Any],
    field: str,
    message: str,
) -> None:
    response = login(personas["outsider"]).post("/feedback/evidence/new/", _form(**overrides))
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert not EvidenceItem.objects.exists()
    assert not AuditEvent.objects.filter(action="evidence.recorded").exists()


def test_a_competency_of_another_family_is_refused(
    personas: dict[str, Any], published_framework: Any, login: Any
) -> None:
    # The product manager's form lists product's competencies; the subject is an engineer.
    employee = personas["employee"].person
    Person.objects.filter(pk=personas["outsider"].person.pk).update(family_id="product")
    response = login(personas["outsider"]).post(
        "/feedback/evidence/new/", _form(competencies=["communication"], subject_email=employee.email)
    )
    assert response.status_code == 302
    from trellis.web.reviews.feedback_services import FeedbackProblem, evidence_record

    with pytest.raises(FeedbackProblem) as refused:
        evidence_record(
            actor=personas["outsider"],
            subject=employee,
            kind="feedback",
            text="Good discovery work.",
            link="",
            competency_ids=["product_discovery"],
            occurred_on=TODAY,
        )
    assert refused.value.field == "competencies"
    assert refused.value.message == (
        "'product_discovery': not a competency of Emi Employee's family in the published framework."
    )
    assert EvidenceItem.objects.count() == 1


def test_the_form_is_reachable_from_a_profile_with_the_person_filled_in(
    personas: dict[str, Any], published_framework: Any, login: Any
) -> None:
    employee = personas["employee"].person
    client = login(personas["manager"])
    page = client.get(f"/feedback/evidence/new/?person={employee.pk}").content.decode()
    assert 'value="employee@example.com"' in page and "System design" in page
    # Someone the viewer may not see is not filled in (nor is it said that they exist).
    stranger = client.get(f"/feedback/evidence/new/?person={personas['outsider'].person.pk}").content.decode()
    assert "outsider@example.com" not in stranger


def test_evidence_for_cycle_is_one_query(
    recorded: EvidenceItem, personas: dict[str, Any], django_assert_num_queries: Any
) -> None:
    from trellis.web.accounts.models import User

    manager = User.objects.select_related("person").get(pk=personas["manager"].pk)
    employee = Person.objects.select_related("manager").get(pk=personas["employee"].person.pk)
    with django_assert_num_queries(1):
        items = evidence_for_cycle(viewer=manager, subject=employee, since=None)
        assert [item.author.full_name for item in items] == ["Ola Outsider"]


# --- scope evidence ------------------------------------------------------------------------------

IC3_SCOPE = "Owned a multi-week project of the team from design document to launch."


def test_the_form_offers_the_scope_items_of_the_subjects_next_level(
    personas: dict[str, Any], published_framework: Any, login: Any
) -> None:
    employee = personas["employee"].person
    page = login(personas["manager"]).get(f"/feedback/evidence/new/?person={employee.pk}").content.decode()
    assert '<select name="scope"' in page
    assert f'<option value="{IC3_SCOPE}">{IC3_SCOPE}</option>' in page
    # Another level's item is not offered (IC1 → IC2's).
    assert "Delivered a feature of two weeks" not in page


def test_an_item_naming_its_scope_evidence_is_kept_shown_and_counted_by_readiness(
    personas: dict[str, Any],
    published_framework: Any,
    login: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from trellis.web.promotions.models import Readiness
    from trellis.web.promotions.readiness_services import readiness_recompute

    from ..promotions.conftest import worded
    from ..task_worker import run_queued_tasks

    employee = personas["employee"].person
    readiness_recompute(person_ids=[employee.pk])

    def scope_met() -> bool:
        criteria = worded(Readiness.objects.get(person=employee, is_next_level=True))
        [scope] = [c for c in criteria if c["kind"] == "scope_evidence"]
        assert scope["subject"] == IC3_SCOPE
        met: bool = scope["met"]
        return met

    assert scope_met() is False
    with django_capture_on_commit_callbacks(execute=True):
        # White space folded as readiness matches it; kept in the framework's words.
        response = login(personas["manager"]).post(
            "/feedback/evidence/new/",
            _form(scope="  Owned a multi-week project of the team  from design document to launch. "),
        )
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert item.scope == IC3_SCOPE
    assert AuditEvent.objects.get(action="evidence.recorded").fields == [
        "competency_ids", "kind", "link", "occurred_on", "scope", "text",
    ]  # fmt: skip
    ran = run_queued_tasks("trellis.web.promotions.tasks.readiness_recompute")
    assert [task.status for task in ran] == ["SUCCESSFUL"]
    assert scope_met() is True
    page = login(personas["employee"]).get("/feedback/evidence/").content.decode()
    assert f"Scope evidence: {IC3_SCOPE}" in page


@pytest.mark.parametrize(
    ("email", "scope", "message"),
    [
        (
            "employee@example.com",
            "Delivered a feature of two weeks or more that reached production with no more than routine review changes.",
            "Not a scope evidence item of Emi Employee&#x27;s next level: choose one of the list.",
        ),
        (
            "coauthor@example.com",
            IC3_SCOPE,
            "Not a scope evidence item of Cai Coauthor&#x27;s next level: choose one of the list.",
        ),
    ],
)
def test_an_unknown_scope_item_is_a_field_error_and_nothing_is_stored(
    personas: dict[str, Any], published_framework: Any, login: Any, email: str, scope: str, message: str
) -> None:
    events = AuditEvent.objects.count()
    response = login(personas["outsider"]).post(
        "/feedback/evidence/new/", _form(subject_email=email, scope=scope, competencies=[])
    )
    assert response.status_code == 400
    # On the scope field, not above the form.
    assert f'<ul class="errorlist" id="id_scope_error"><li>{message}</li></ul>' in response.content.decode()
    assert not EvidenceItem.objects.exists()
    assert AuditEvent.objects.count() == events


def test_without_a_scope_item_readiness_is_not_recomputed(
    personas: dict[str, Any], published_framework: Any, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        assert login(personas["outsider"]).post("/feedback/evidence/new/", _form()).status_code == 302
    assert EvidenceItem.objects.get().scope == ""
    assert not DBTaskResult.objects.filter(task_path__endswith="readiness_recompute").exists()
