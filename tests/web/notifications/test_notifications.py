"""Notifications: written with what they are about, mailed from the queue after commit, listed to
their recipient alone, counted in the header without a query of their own."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from trellis.web.audit.models import AuditEvent
from trellis.web.notifications.models import Notification
from trellis.web.notifications.reminders import assessment_reminders_send
from trellis.web.notifications.services import (
    Message,
    notifications_mail,
    notify,
)
from trellis.web.reviews.models import Assessment, ReviewCycle, Source

from ..mail_server import MailServer
from ..reviews.feedback_data import feedback_team
from ..task_worker import run_queued_tasks

pytestmark = pytest.mark.django_db
__all__ = ["feedback_team"]


def test_a_notification_is_mailed_by_the_worker_after_its_transaction_commits(
    personas: dict[str, Any], smtp_server: MailServer, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.TRELLIS_BASE_URL = "https://trellis.example.com"
    employee, manager = personas["employee"].person, personas["manager"].person
    with django_capture_on_commit_callbacks(execute=True):
        written = notify(
            recipients=[employee, manager, employee],
            kind=Notification.Kind.RESULTS_SHARED,
            message=Message("Your results are shared", "See them in Trellis.", "/feedback/requests/"),
        )
    assert sorted(n.recipient_id for n in written) == sorted([employee.pk, manager.pk])
    assert smtp_server.messages == []  # not within the request: the worker mails
    ran = run_queued_tasks("trellis.web.notifications.tasks.notifications_mail_queued")
    assert [(t.status, t.return_value) for t in ran] == [("SUCCESSFUL", "sent 2, failed 0")]
    mail = smtp_server.to("employee@example.com")
    assert [m["Subject"] for m in mail] == ["Your results are shared"]
    assert smtp_server.text(mail[0]).splitlines() == [
        "See them in Trellis.",
        "",
        "https://trellis.example.com/feedback/requests/",
    ]
    assert Notification.objects.filter(mailed_at__isnull=False).count() == 2
    assert (
        list(AuditEvent.objects.values_list("action", "fields")) == [("notification.created", ["kind"])] * 2
    )


def test_a_rolled_back_notification_is_never_queued(
    personas: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(
            recipients=[personas["employee"].person],
            kind=Notification.Kind.CYCLE_OPENED,
            message=Message("x"),
        )
        raise RuntimeError("the cycle failed to open")
    assert not Notification.objects.exists() and not DBTaskResult.objects.exists()


def test_a_refused_address_fails_alone_and_says_why(
    personas: dict[str, Any], smtp_server: MailServer
) -> None:
    smtp_server.refused.add("manager@example.com")
    written = notify(
        recipients=[personas["employee"].person, personas["manager"].person],
        kind=Notification.Kind.CYCLE_OPENED,
        message=Message("Second half 2026 has opened"),
    )
    result = notifications_mail(notification_ids=[n.pk for n in written])
    assert len(result.sent) == 1 and len(result.failed) == 1
    assert dict(Notification.objects.values_list("recipient__email", "mail_error")) == {
        "employee@example.com": "",
        "manager@example.com": "refused: 5.1.1 no such mailbox",
    }
    assert [str(m["To"]) for m in smtp_server.messages] == ["employee@example.com"]
    # Mailing again sends only what was not sent (the refused one, still refused).
    notifications_mail(notification_ids=[n.pk for n in written])
    assert len(smtp_server.messages) == 1


def test_a_person_who_left_is_not_notified(personas: dict[str, Any]) -> None:
    employee = personas["employee"].person
    employee.is_active = False
    employee.save(update_fields=["is_active"])
    assert notify(recipients=[employee], kind=Notification.Kind.CYCLE_OPENED, message=Message("x")) == []
    assert not Notification.objects.exists()


# --- reminders ----------------------------------------------------------------------------------


def test_reminders_of_due_and_overdue_assessments_are_sent_once_per_kind(
    feedback_team: dict[str, Any],
) -> None:
    team = feedback_team
    cycle = team["cycle"]
    ReviewCycle.objects.filter(pk=cycle.pk).update(
        self_due=datetime.date(2026, 12, 10), peer_due=datetime.date(2026, 12, 20)
    )
    employee, peer = team["employee"].person, team["peers"][0].person
    own = Assessment.objects.create(cycle=cycle, subject=employee, source=Source.SELF, author=employee)
    asked = Assessment.objects.create(cycle=cycle, subject=employee, source=Source.PEER, author=peer)
    Assessment.objects.create(  # submitted: no reminder
        cycle=cycle,
        subject=peer,
        source=Source.SELF,
        author=peer,
        submitted_at=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC),
    )
    assert assessment_reminders_send(today=datetime.date(2026, 12, 1)) == []  # too early for anything
    due = assessment_reminders_send(today=datetime.date(2026, 12, 8))
    assert [(n.recipient_id, n.kind, n.title, n.about) for n in due] == [
        (
            employee.pk,
            "assessment_due",
            "Your self-assessment is due on 10 December 2026",
            f"assessment:{own.pk}",
        )
    ]
    assert assessment_reminders_send(today=datetime.date(2026, 12, 9)) == []  # once
    later = assessment_reminders_send(today=datetime.date(2026, 12, 18))
    assert [(n.recipient_id, n.kind, n.title, n.link) for n in later] == [
        (employee.pk, "assessment_overdue", "Your self-assessment is overdue", "/reviews/"),
        (
            peer.pk,
            "assessment_due",
            "Your feedback on Emi Employee is due on 20 December 2026",
            f"/feedback/answers/{asked.pk}/",
        ),
    ]
    assert assessment_reminders_send(today=datetime.date(2026, 12, 19)) == []
    # Past the assessment phase, nobody is reminded.
    ReviewCycle.objects.filter(pk=cycle.pk).update(phase="calibration")
    assert assessment_reminders_send(today=datetime.date(2026, 12, 30)) == []
    assert Notification.objects.count() == 3


def test_the_reminder_task_runs_from_the_queue(feedback_team: dict[str, Any]) -> None:
    from trellis.web.notifications.tasks import assessment_reminders_queued

    assessment_reminders_queued.enqueue()
    [ran] = run_queued_tasks("trellis.web.notifications.tasks.assessment_reminders_queued")
    assert (ran.status, ran.return_value) == ("SUCCESSFUL", "notified 0")


# --- the page and the header --------------------------------------------------------------------


def _some(personas: dict[str, Any], name: str, count: int) -> list[Notification]:
    return [
        notify(
            recipients=[personas[name].person],
            kind=Notification.Kind.RESULTS_SHARED,
            message=Message(f"For {name} {number}", "", "/"),
        )[0]
        for number in range(count)
    ]


def test_a_person_sees_only_their_own_and_marks_them_read(personas: dict[str, Any], login: Any) -> None:
    mine = _some(personas, "employee", 2)
    theirs = _some(personas, "manager", 1)
    client = login(personas["employee"])
    page = client.get("/notifications/").content.decode()
    assert "For employee 0" in page and "For employee 1" in page and "For manager 0" not in page
    # Somebody else's is not found, and stays unread.
    assert client.post(f"/notifications/{theirs[0].pk}/read/").status_code == 404
    assert Notification.objects.get(pk=theirs[0].pk).read_at is None
    opened = client.post(f"/notifications/{mine[0].pk}/read/", {"follow": "1"})
    assert (opened.status_code, opened["Location"]) == (302, "/")
    assert Notification.objects.get(pk=mine[0].pk).read_at is not None
    assert client.post("/notifications/read/").status_code == 302
    assert not Notification.objects.filter(
        recipient=personas["employee"].person, read_at__isnull=True
    ).exists()
    assert Notification.objects.get(pk=theirs[0].pk).read_at is None
    assert AuditEvent.objects.filter(action="notification.read").count() == 2


def _home_queries(client: Any) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    return html, len(queries)


def test_the_header_counts_unread_notifications_in_no_query_of_its_own(
    personas: dict[str, Any], login: Any
) -> None:
    client = login(personas["employee"])
    html, before = _home_queries(client)
    assert 'href="/notifications/">Notifications</a>' in html
    _some(personas, "employee", 3)
    html, after = _home_queries(client)
    assert (
        'Notifications <span class="badge site-nav__count">3<span class="visually-hidden"> unread</span></span>'
        in html
    )
    assert after == before


def test_the_daily_command_queues_the_reminders(feedback_team: dict[str, Any]) -> None:
    import io

    from django.core.management import call_command

    output = io.StringIO()
    call_command("assessment_reminders", stdout=output)
    assert output.getvalue().startswith("queued the assessment reminders (task ")
    [ran] = run_queued_tasks("trellis.web.notifications.tasks.assessment_reminders_queued")
    assert (ran.status, ran.return_value) == ("SUCCESSFUL", "notified 0")
