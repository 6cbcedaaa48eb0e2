"""Leavers: a person marked as left — on the profile, by an edit, by an import — loses their
sign-in in the same transaction: the account inactive, every session gone (the browser's next
request is sent to the sign-in page), the roles removed, all audited; a fault midway changes
nothing, and those who may not mark people as left change nothing either."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from trellis.web.accounts import leaving
from trellis.web.accounts.models import AccountSession, AccountStatusChange, User
from trellis.web.accounts.services import user_set_active
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FamilyCoauthor, FrameworkVersion
from trellis.web.people.import_services import import_job_create, import_job_preview, import_job_start
from trellis.web.people.leaving import person_mark_left, person_mark_rejoined
from trellis.web.people.models import EmploymentChange, ImportJob, Person
from trellis.web.people.services import person_update

from ..conftest import HttpsClient
from ..people.test_import_services import csv_file
from ..test_authorization_walk import database_snapshot

pytestmark = pytest.mark.django_db

#: The co-author, an IT admin too, as an HRIS export lists them once they have left.
LEFT_ROW = "E006,coauthor@example.com,Cai Coauthor,IC5 engineer,,engineering,ic,IC5,2024-03-01,,2022-09-01,no"
BACK_ROW = LEFT_ROW.removesuffix("no") + "yes"


@pytest.fixture
def leaver(personas: dict[str, User], published_framework: FrameworkVersion) -> User:
    """The co-author of Engineering, who is also an IT admin and is signed in (see `signed_in`)."""
    account = personas["coauthor"]
    User.objects.filter(pk=account.pk).update(is_it_admin=True)
    account.refresh_from_db()
    return account


def sign_in(account: User) -> Client:
    client = HttpsClient()
    client.force_login(account)
    assert client.get("/").status_code == 200
    return client


def assert_signed_out(client: Client) -> None:
    """The client's next request is sent to the sign-in page."""
    response = client.get("/framework/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/framework/"


def assert_left(account: User) -> None:
    stored = User.objects.get(pk=account.pk)
    assert (stored.is_active, stored.is_hr_admin, stored.is_it_admin) == (False, False, False)
    assert not FamilyCoauthor.objects.filter(user=account).exists()
    assert not AccountSession.objects.filter(user=account).exists()


def events_since(first_id: int) -> list[tuple[str, str, list[str]]]:
    return list(
        AuditEvent.objects.filter(id__gt=first_id)
        .order_by("id")
        .values_list("action", "target_type", "fields")
    )


def last_event_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


CASCADE_EVENTS = [
    ("user.deactivated", "accounts.user", ["is_active", "is_it_admin"]),
    ("user.sessions_ended", "accounts.user", []),
    ("framework.coauthor_removed", "frameworks.familycoauthor", ["family_id", "user"]),
]


def test_hr_marks_a_person_as_left_on_the_profile_and_their_session_ends(
    leaver: User, personas: dict[str, User]
) -> None:
    browser = sign_in(leaver)
    hr = sign_in(personas["hr_admin"])
    person = leaver.person
    profile = hr.get(f"/people/{person.pk}/").content.decode()
    assert f'<a class="button button--danger" href="/people/{person.pk}/left/">Mark as left</a>' in profile
    form = hr.get(f"/people/{person.pk}/left/").content.decode()
    assert "they are signed out everywhere (their next page is the sign-in page)" in form
    assert '<label for="id_on">Left on</label>' in form
    first = last_event_id()

    response = hr.post(f"/people/{person.pk}/left/", {"on": "2026-11-30", "reason": "Moved abroad"})

    assert response.status_code == 302
    assert response["Location"] == f"/people/{person.pk}/"
    assert Person.objects.get(pk=person.pk).is_active is False
    assert_left(leaver)
    assert_signed_out(browser)
    assert events_since(first) == [
        *CASCADE_EVENTS,
        ("person.left", "people.person", ["effective_on", "is_active", "reason"]),
    ]
    change = EmploymentChange.objects.get()
    assert (change.kind, change.effective_on, change.reason, change.source, change.changed_by_id) == (
        "left",
        datetime.date(2026, 11, 30),
        "Moved abroad",
        "profile",
        personas["hr_admin"].pk,
    )
    status = AccountStatusChange.objects.get()
    assert (status.user_id, status.is_active, status.cause, status.reason) == (
        leaver.pk,
        False,
        "person_left",
        "",
    )
    profile = hr.get(f"/people/{person.pk}/").content.decode()
    assert f'<a class="button" href="/people/{person.pk}/rejoined/">Mark as rejoined</a>' in profile
    assert 'Left on <time datetime="2026-11-30">30 November 2026</time>: Moved abroad' in profile


def test_rejoining_restores_the_sign_in_but_not_the_roles(leaver: User, personas: dict[str, User]) -> None:
    hr = personas["hr_admin"]
    person_mark_left(actor=hr, person=leaver.person, left_on=timezone.localdate())
    first = last_event_id()

    person_mark_rejoined(
        actor=hr, person=Person.objects.get(pk=leaver.person.pk), rejoined_on=timezone.localdate()
    )

    stored = User.objects.get(pk=leaver.pk)
    assert (stored.is_active, stored.is_hr_admin, stored.is_it_admin) == (True, False, False)
    assert not FamilyCoauthor.objects.filter(user=leaver).exists()
    assert Person.objects.get(pk=leaver.person.pk).is_active is True
    assert events_since(first) == [
        ("user.activated", "accounts.user", ["is_active"]),
        ("person.rejoined", "people.person", ["effective_on", "is_active"]),
    ]
    assert list(AccountStatusChange.objects.order_by("id").values_list("is_active", "cause")) == [
        (False, "person_left"),
        (True, "person_rejoined"),
    ]


def test_a_person_rejoining_does_not_undo_an_admins_deactivation(
    leaver: User, personas: dict[str, User]
) -> None:
    hr = personas["hr_admin"]
    user_set_active(actor=personas["it_admin"], user=leaver, is_active=False, reason="Laptop stolen")
    person_update(actor=hr, person=leaver.person, is_active=False)
    person_update(actor=hr, person=leaver.person, is_active=True)
    assert User.objects.get(pk=leaver.pk).is_active is False
    assert list(EmploymentChange.objects.order_by("id").values_list("kind", "source")) == [
        ("left", "edit"),
        ("rejoined", "edit"),
    ]


def test_an_edit_making_a_person_inactive_ends_their_sign_in(leaver: User, personas: dict[str, User]) -> None:
    browser = sign_in(leaver)
    first = last_event_id()
    person_update(actor=personas["hr_admin"], person=leaver.person, is_active=False)
    assert_left(leaver)
    assert_signed_out(browser)
    assert events_since(first) == [*CASCADE_EVENTS, ("person.updated", "people.person", ["is_active"])]


def test_an_import_marking_a_person_inactive_ends_their_sign_in(
    leaver: User, personas: dict[str, User]
) -> None:
    browser = sign_in(leaver)
    hr = personas["hr_admin"]
    job = import_job_create(actor=hr, file_name="people.csv", data=csv_file(LEFT_ROW))
    job = import_job_preview(actor=hr, job=job, mapping=job.mapping)
    first = last_event_id()

    job = import_job_start(actor=hr, job=job)

    assert job.status == ImportJob.Status.APPLIED, job.error
    assert Person.objects.get(pk=leaver.person.pk).is_active is False
    assert_left(leaver)
    assert_signed_out(browser)
    assert events_since(first) == [
        ("people_import.started", "people.importjob", ["only_valid_rows"]),
        *CASCADE_EVENTS,
        ("person.updated", "people.person", ["is_active"]),
        ("people_import.applied", "people.importjob", job_fields(job)),
    ]
    assert list(EmploymentChange.objects.values_list("kind", "source")) == [("left", "import")]

    again = import_job_create(actor=hr, file_name="people.csv", data=csv_file(BACK_ROW))
    again = import_job_start(actor=hr, job=import_job_preview(actor=hr, job=again, mapping=again.mapping))
    assert again.status == ImportJob.Status.APPLIED, again.error
    stored = User.objects.get(pk=leaver.pk)
    assert (stored.is_active, stored.is_it_admin) == (True, False)


def job_fields(job: ImportJob) -> list[str]:
    return sorted(key for key, column in job.mapping.items() if column is not None)


def test_an_import_marking_the_importer_as_left_is_refused_naming_the_row(
    personas: dict[str, User], published: Any
) -> None:
    hr = personas["hr_admin"]
    # HR's own account is the outsider's (an HR admin who is also an employee).
    Person.objects.filter(pk=personas["outsider"].person.pk).update(user=hr)
    row = "E005,outsider@example.com,Ola Outsider,IC3 engineer,,engineering,ic,IC3,2024-03-01,E004,2022-09-01,no"
    job = import_job_create(actor=hr, file_name="people.csv", data=csv_file(row))
    job = import_job_preview(actor=hr, job=job, mapping=job.mapping)
    before = database_snapshot()
    job = import_job_start(actor=hr, job=job)
    assert job.status == ImportJob.Status.FAILED
    assert job.error == "Row 2: active: you cannot deactivate your own account. Nothing was imported."
    after = database_snapshot()
    changed = {table for table in before if before[table] != after[table]}
    assert changed == {"people_importjob", "audit_auditevent"}  # the job's state and its start


@pytest.fixture
def published(published_framework: FrameworkVersion) -> FrameworkVersion:
    return published_framework


def test_a_fault_midway_leaves_everything_as_it_was(
    leaver: User, personas: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    browser = sign_in(leaver)

    def fail(**kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    # After the account, its sessions and its co-authorships were written, before the audit.
    monkeypatch.setattr(leaving, "audit_record_many", fail)
    before = database_snapshot()
    with pytest.raises(RuntimeError):
        person_mark_left(actor=personas["hr_admin"], person=leaver.person, left_on=timezone.localdate())
    assert database_snapshot() == before
    assert browser.get("/").status_code == 200


def test_an_import_with_a_fault_midway_changes_nothing(
    leaver: User, personas: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    hr = personas["hr_admin"]
    job = import_job_create(actor=hr, file_name="people.csv", data=csv_file(LEFT_ROW))
    job = import_job_preview(actor=hr, job=job, mapping=job.mapping)

    def fail(**kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(leaving, "audit_record_many", fail)
    job = import_job_start(actor=hr, job=job)
    assert job.status == ImportJob.Status.FAILED
    assert Person.objects.get(pk=leaver.person.pk).is_active is True
    stored = User.objects.get(pk=leaver.pk)
    assert (stored.is_active, stored.is_it_admin) == (True, True)
    assert FamilyCoauthor.objects.filter(user=leaver).count() == 1
    assert EmploymentChange.objects.count() == 0


@pytest.mark.parametrize("persona", ["employee", "manager", "coauthor", "it_admin"])
def test_only_hr_marks_people_as_left(persona: str, personas: dict[str, User], published: Any) -> None:
    client = sign_in(personas[persona])
    subject = personas["employee"].person
    before = database_snapshot()
    response = client.post(f"/people/{subject.pk}/left/", {"on": "2026-11-30"})
    # Those who see the employee may not edit them (403); anyone else may not know they exist (404).
    assert response.status_code == (403 if persona in ("employee", "manager") else 404)
    assert database_snapshot() == before
    assert Person.objects.get(pk=subject.pk).is_active is True


def test_the_form_names_a_future_date_and_changes_nothing(personas: dict[str, User], published: Any) -> None:
    hr = sign_in(personas["hr_admin"])
    subject = personas["employee"].person
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    before = Person.objects.get(pk=subject.pk).is_active, EmploymentChange.objects.count()
    response = hr.post(f"/people/{subject.pk}/left/", {"on": tomorrow.isoformat()})
    assert response.status_code == 400
    assert "a date in the future: mark it on the day" in response.content.decode()
    assert (Person.objects.get(pk=subject.pk).is_active, EmploymentChange.objects.count()) == before


def test_hr_cannot_mark_their_own_person_as_left(personas: dict[str, User], published: Any) -> None:
    hr = personas["hr_admin"]
    # HR's own account is the outsider's (an HR admin who is also an employee).
    Person.objects.filter(pk=personas["outsider"].person.pk).update(user=hr)
    with pytest.raises(ValidationError) as refused:
        person_mark_left(
            actor=hr, person=Person.objects.get(employee_id="E005"), left_on=timezone.localdate()
        )
    assert refused.value.message_dict == {"on": ["you cannot deactivate your own account"]}
    assert Person.objects.get(employee_id="E005").is_active is True
    assert User.objects.get(pk=hr.pk).is_active is True


def test_the_last_active_hr_admin_cannot_be_deactivated(personas: dict[str, User]) -> None:
    hr = personas["hr_admin"]
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        user_set_active(actor=personas["it_admin"], user=hr, is_active=False, reason="Testing")
    assert refused.value.message_dict == {
        "is_active": [
            "Hana HR is the only active HR admin; appoint another HR admin first, so that someone can "
            "still manage people"
        ]
    }
    assert database_snapshot() == before


def test_a_deactivated_accounts_session_is_anonymous_even_if_it_was_not_deleted(
    personas: dict[str, User],
) -> None:
    # Defence in depth: a session the cascade did not find (written by an older engine, say) is
    # still refused, because Django's ModelBackend does not load an inactive account.
    browser = sign_in(personas["employee"])
    User.objects.filter(pk=personas["employee"].pk).update(is_active=False)
    assert AccountSession.objects.filter(user=personas["employee"]).count() == 1
    assert_signed_out(browser)


def test_every_session_row_names_its_account(personas: dict[str, User]) -> None:
    browser = sign_in(personas["employee"])
    key = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert AccountSession.objects.get(session_key=key).user_id == personas["employee"].pk
    browser.post("/accounts/logout/")
    assert not AccountSession.objects.filter(user=personas["employee"]).exists()


def test_the_cascade_costs_the_same_queries_for_one_account_as_for_many(personas: dict[str, User]) -> None:
    hr = personas["hr_admin"]
    for persona in ("employee", "manager", "outsider", "other_manager", "skip_level_manager"):
        sign_in(personas[persona])

    def deactivate(*names: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            leaving.people_left(actor=hr, person_ids=[personas[name].person.pk for name in names])
        return len(queries)

    assert deactivate("employee") == deactivate("manager", "outsider", "other_manager", "skip_level_manager")
    assert User.objects.filter(is_active=False).count() == 5
    assert AccountSession.objects.exclude(user=None).filter(user__is_active=False).count() == 0


def test_a_person_created_as_having_left_does_not_keep_an_active_account(
    personas: dict[str, User], published: Any
) -> None:
    from trellis.web.people.services import person_create

    account = User.objects.create_user("former@example.com", "a long password", full_name="Fay Former")
    person_create(
        actor=personas["hr_admin"],
        employee_id="E900",
        email="former@example.com",
        full_name="Fay Former",
        family_id="engineering",
        track_id="ic",
        level_code="IC3",
        level_since=datetime.date(2024, 1, 1),
        user=account,
        is_active=False,
    )
    assert User.objects.get(pk=account.pk).is_active is False
    assert list(EmploymentChange.objects.values_list("kind", "source")) == [("left", "edit")]
