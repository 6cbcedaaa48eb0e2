"""The review cycle's notifications, as the cycle services send them: a cycle opened (to its
participants, in bulk) and results shared (to each person whose results are shared, when they are).
Each is written once, with the write it is about, mailed by the queue after commit, never on a
rollback; nobody outside the cycle and no leaver hears of it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.notifications import services
from trellis.web.notifications.models import Notification
from trellis.web.people.models import Person, Team
from trellis.web.reviews.cycle_services import Selection, cycle_advance, cycle_open, participant_sign_off
from trellis.web.reviews.models import CycleParticipant, ReviewCycle

from ..mail_server import MailServer
from ..task_worker import run_queued_tasks

pytestmark = pytest.mark.django_db

MAIL_TASK = "trellis.web.notifications.tasks.notifications_mail_queued"


def _open(hr: User, version: FrameworkVersion, selection: Selection, **values: Any) -> ReviewCycle:
    cycle: ReviewCycle = cycle_open(
        actor=hr,
        name="Second half 2026",
        framework_version=version,
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 12, 31),
        selection=selection,
        **values,
    ).cycle
    return cycle


def _sent(kind: str) -> list[tuple[str, str, str, str]]:
    return list(
        Notification.objects.filter(kind=kind)
        .order_by("recipient__employee_id")
        .values_list("recipient__employee_id", "title", "body", "link")
    )


def test_opening_a_cycle_tells_each_participant_once_and_the_queue_mails_them(
    personas: dict[str, User],
    published_framework: FrameworkVersion,
    team: Team,
    smtp_server: MailServer,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.TRELLIS_BASE_URL = "https://trellis.example.com"
    hr = personas["hr_admin"]
    with django_capture_on_commit_callbacks(execute=True):
        cycle = _open(
            hr, published_framework, Selection(team_ids=[team.pk]), self_due=datetime.date(2026, 12, 10)
        )
    # The team only (skip level, manager, employee): not the other manager, the outsider, the co-author.
    body = "Your self-assessment is due on 10 December 2026."
    assert _sent("cycle_opened") == [
        (employee_id, "Second half 2026 has opened", body, "/reviews/")
        for employee_id in ("E001", "E002", "E003")
    ]
    assert set(Notification.objects.values_list("about", flat=True)) == {f"cycle:{cycle.pk}"}
    assert smtp_server.messages == []  # the worker mails, not the request
    ran = run_queued_tasks(MAIL_TASK)
    assert [(task.status, task.return_value) for task in ran] == [("SUCCESSFUL", "sent 3, failed 0")]
    assert sorted(str(m["To"]) for m in smtp_server.messages) == [
        "employee@example.com",
        "manager@example.com",
        "skip@example.com",
    ]
    mail = smtp_server.to("employee@example.com")[0]
    assert mail["Subject"] == "Second half 2026 has opened"
    assert smtp_server.text(mail).splitlines() == [body, "", "https://trellis.example.com/reviews/"]
    assert not Notification.objects.filter(mailed_at__isnull=True).exists()
    # One event per notification, by the HR admin who opened the cycle; the kind, never the text.
    events = AuditEvent.objects.filter(action="notification.created")
    assert sorted(events.values_list("target_id", flat=True)) == sorted(
        str(pk) for pk in Notification.objects.values_list("pk", flat=True)
    )
    assert {(e.actor_id, e.target_type, tuple(e.fields)) for e in events} == {
        (hr.pk, "notifications.notification", ("kind",))
    }
    # Telling them again (a retry of the same thing) writes nothing.
    assert services.notify_cycle_opened(cycle) == []
    assert Notification.objects.count() == 3


def test_without_a_due_date_the_self_assessment_is_said_to_be_open(
    personas: dict[str, User], published_framework: FrameworkVersion
) -> None:
    _open(personas["hr_admin"], published_framework, Selection(levels=["engineering/ic/IC5"]))
    assert _sent("cycle_opened") == [
        ("E006", "Second half 2026 has opened", "Your self-assessment is open.", "/reviews/")
    ]


def test_a_leaver_is_not_told_even_when_they_are_a_participant(
    personas: dict[str, User], published_framework: FrameworkVersion
) -> None:
    cycle = _open(personas["hr_admin"], published_framework, Selection(everyone=True))
    Notification.objects.all().delete()
    Person.objects.filter(employee_id="E003").update(is_active=False)
    services.notify_cycle_opened(cycle)
    assert [row[0] for row in _sent("cycle_opened")] == ["E001", "E002", "E004", "E005", "E006"]


def test_a_cycle_that_fails_to_open_tells_nobody(
    personas: dict[str, User], published_framework: FrameworkVersion, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _open(personas["hr_admin"], published_framework, Selection(everyone=True))
        raise RuntimeError("the request failed after the cycle opened")
    assert not ReviewCycle.objects.exists()
    assert not Notification.objects.exists() and not DBTaskResult.objects.exists()
    assert not AuditEvent.objects.filter(action="notification.created").exists()


def test_many_notifications_are_mailed_by_several_short_tasks(
    personas: dict[str, User],
    published_framework: FrameworkVersion,
    smtp_server: MailServer,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(services, "MAIL_TASK_SIZE", 4)
    with django_capture_on_commit_callbacks(execute=True):
        _open(personas["hr_admin"], published_framework, Selection(everyone=True))
    ran = run_queued_tasks(MAIL_TASK)
    assert [(task.status, task.return_value) for task in ran] == [
        ("SUCCESSFUL", "sent 4, failed 0"),
        ("SUCCESSFUL", "sent 2, failed 0"),
    ]
    assert len(smtp_server.messages) == 6


# --- results shared -----------------------------------------------------------------------------


def _to(cycle: ReviewCycle, hr: User, phase: str) -> None:
    order = ["assessment", "calibration", "sign_off", "shared", "closed"]
    while cycle.phase != phase:
        cycle_advance(actor=hr, cycle=cycle, expected_phase=order[order.index(cycle.phase)])


def test_sharing_tells_only_the_people_whose_results_are_shared_and_a_later_sign_off_at_once(
    personas: dict[str, User],
    published_framework: FrameworkVersion,
    smtp_server: MailServer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    hr = personas["hr_admin"]
    cycle = _open(hr, published_framework, Selection(everyone=True))
    _to(cycle, hr, "sign_off")
    employee = CycleParticipant.objects.get(cycle=cycle, person__employee_id="E003")
    participant_sign_off(actor=personas["manager"], participant=employee)
    assert not Notification.objects.filter(kind="results_shared").exists()  # signed off, not yet shared

    with django_capture_on_commit_callbacks(execute=True):
        cycle_advance(actor=hr, cycle=cycle, expected_phase="sign_off")
    shared = [
        (
            "E003",
            "Your results of Second half 2026 are shared",
            "Your calibrated ratings and your manager's comments are ready to read.",
            "/reviews/",
        )
    ]
    assert _sent("results_shared") == shared
    run_queued_tasks(MAIL_TASK)
    assert [str(m["To"]) for m in smtp_server.messages] == ["employee@example.com"]
    assert smtp_server.messages[0]["Subject"] == "Your results of Second half 2026 are shared"

    # Signed off while shared: shared at once, and told at once — that person only.
    outsider = CycleParticipant.objects.get(cycle=cycle, person__employee_id="E005")
    with django_capture_on_commit_callbacks(execute=True):
        participant_sign_off(actor=personas["other_manager"], participant=outsider)
    assert [row[0] for row in _sent("results_shared")] == ["E003", "E005"]
    # Closing the cycle tells nobody again.
    cycle_advance(actor=hr, cycle=cycle, expected_phase="shared")
    assert Notification.objects.filter(kind="results_shared").count() == 2


def test_a_person_opens_what_was_sent_to_them_from_the_list(
    personas: dict[str, User], published_framework: FrameworkVersion, login: Any
) -> None:
    hr = personas["hr_admin"]
    cycle = _open(hr, published_framework, Selection(everyone=True))
    _to(cycle, hr, "sign_off")
    employee = CycleParticipant.objects.get(cycle=cycle, person__employee_id="E003")
    participant_sign_off(actor=personas["manager"], participant=employee)
    cycle_advance(actor=hr, cycle=cycle, expected_phase="sign_off")

    client = login(personas["employee"])
    page = client.get("/notifications/").content.decode()
    assert "Second half 2026 has opened" in page and "Review cycle opened" in page
    assert "Your results of Second half 2026 are shared" in page and "Results shared" in page
    shared = Notification.objects.get(kind="results_shared")
    opened = client.post(f"/notifications/{shared.pk}/read/", {"follow": "1"})
    assert (opened.status_code, opened["Location"]) == (302, "/reviews/")
    mine = client.get("/reviews/")
    assert mine.status_code == 200
    assert f'href="/reviews/participants/{employee.pk}/"' in mine.content.decode()
    assert client.get(f"/reviews/participants/{employee.pk}/").status_code == 200
