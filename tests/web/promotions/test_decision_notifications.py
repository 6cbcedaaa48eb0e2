"""A promotion nomination decided: the nominee hears the outcome (as their Promotions page says it,
never the committee's reason), the nominating manager hears it with a link to the packet; mailed by
the queue after commit, nothing on a refusal, nobody else."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from trellis.web.accounts.models import User
from trellis.web.notifications.models import Notification
from trellis.web.people.models import Person
from trellis.web.promotions import services
from trellis.web.promotions.models import Nomination, PromotionCommittee

from ..mail_server import MailServer
from ..task_worker import run_queued_tasks
from .conftest import IC3

pytestmark = pytest.mark.django_db

REASON = "Design reviews are not yet led across teams."


def _submitted(company: dict[str, User]) -> Nomination:
    return services.nomination_create(
        actor=company["manager"], person=company["employee"].person, target=IC3, case="Leads.", submit=True
    )


def _told() -> list[tuple[str, str, str, str]]:
    return list(
        Notification.objects.filter(kind="nomination_decided")
        .order_by("recipient__employee_id")
        .values_list("recipient__employee_id", "title", "body", "link")
    )


def test_not_yet_tells_the_nominee_and_the_manager_without_the_reason(
    company: dict[str, User],
    committee: PromotionCommittee,
    smtp_server: MailServer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    nomination = _submitted(company)
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_decide(
            actor=company["other_manager"], nomination=nomination, approved=False, reason=REASON
        )
    assert _told() == [
        (
            "E002",
            "Emi Employee's promotion case for IC3: not yet",
            "The committee's reason is in the packet.",
            f"/promotions/{nomination.pk}/",
        ),
        (
            "E003",
            "Your promotion case for IC3: not yet",
            "The committee decided not yet. Your manager will talk it through with you.",
            "/promotions/",
        ),
    ]
    assert smtp_server.messages == []
    ran = run_queued_tasks("trellis.web.notifications.tasks.notifications_mail_queued")
    assert [(task.status, task.return_value) for task in ran] == [("SUCCESSFUL", "sent 2, failed 0")]
    assert sorted(str(m["To"]) for m in smtp_server.messages) == [
        "employee@example.com",
        "manager@example.com",
    ]
    # The reason stays in the packet: in no notification and no mail.
    assert not Notification.objects.filter(body__contains="Design reviews").exists()
    assert all("Design reviews" not in smtp_server.text(m) for m in smtp_server.messages)


def test_an_approval_says_when_it_takes_effect_and_links_work(
    company: dict[str, User], committee: PromotionCommittee, login: Any
) -> None:
    nomination = _submitted(company)
    on = timezone.localdate() + datetime.timedelta(days=30)
    services.nomination_decide(
        actor=company["coauthor"], nomination=nomination, approved=True, reason="Clear.", effective_on=on
    )
    when = f"It takes effect on {on.day} {on:%B} {on.year}."
    assert _told() == [
        ("E002", "Emi Employee's promotion to IC3 is approved", f"The committee's reason is in the packet. {when}",
         f"/promotions/{nomination.pk}/"),
        ("E003", "Your promotion to IC3 is approved", f"Congratulations. {when}", "/promotions/"),
    ]  # fmt: skip
    for persona in ("employee", "manager"):
        client = login(company[persona])
        [mine] = Notification.objects.filter(recipient=company[persona].person)
        assert "Promotion nomination decided" in client.get("/notifications/").content.decode()
        followed = client.post(f"/notifications/{mine.pk}/read/", {"follow": "1"})
        assert followed.status_code == 302
        assert client.get(followed["Location"]).status_code == 200
        client.logout()


def test_a_refused_decision_tells_nobody(
    company: dict[str, User], committee: PromotionCommittee, django_capture_on_commit_callbacks: Any
) -> None:
    nomination = _submitted(company)
    queued = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.nomination_decide(
            actor=company["other_manager"], nomination=nomination, approved=True, reason="Yes."
        )
    assert not Notification.objects.exists()
    assert DBTaskResult.objects.count() == queued


def test_a_manager_who_no_longer_manages_the_nominee_or_left_is_not_told(
    company: dict[str, User], committee: PromotionCommittee
) -> None:
    nomination = _submitted(company)
    # The employee moved to the skip-level manager's team: the nominating manager no longer reads
    # the packet, so hears nothing of it (the nominee still does).
    Person.objects.filter(pk=company["employee"].person.pk).update(
        manager=company["skip_level_manager"].person
    )
    services.nomination_decide(
        actor=company["other_manager"], nomination=nomination, approved=False, reason=REASON
    )
    assert [row[0] for row in _told()] == ["E003"]


def test_a_nominee_who_left_is_not_told(company: dict[str, User], committee: PromotionCommittee) -> None:
    """Nor is their manager: the policy shows nobody's manager the packet of a leaver."""
    nomination = _submitted(company)
    Person.objects.filter(pk=company["employee"].person.pk).update(is_active=False)
    services.nomination_decide(
        actor=company["other_manager"], nomination=nomination, approved=False, reason=REASON
    )
    assert _told() == []
