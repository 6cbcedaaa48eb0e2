"""The mails of invitations: inviting everyone without a sign-in stores the invitations and queues
their mails for the worker, which sends them over one connection to a real SMTP server (aiosmtpd)
and records each one sent; a mail server that is down leaves them failed, shown, and resendable."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django_tasks_db.models import DBTaskResult

from trellis.web.accounts.models import Invitation, User
from trellis.web.audit.models import AuditEvent
from trellis.web.people.models import Person

from ..conftest import HttpsClient, make_person
from ..mail_server import MailServer, free_port
from ..task_worker import run_queued_tasks
from .test_invitations import SENT_PAGE, invite, messages_of, newcomer, path_of

pytestmark = pytest.mark.django_db

SEND_ALL = "/accounts/admin/invitations/send-all/"


def invite_everyone(client: Client, on_commit: Any) -> list[str]:
    """Press "Invite everyone without a sign-in" (its transaction's commit enqueues the mails)."""
    with on_commit(execute=True):
        response = client.post(SEND_ALL, {"scope": "without_sign_in"}, follow=True)
    assert response.redirect_chain == [(SENT_PAGE, 302)]
    return messages_of(response)


def invitation_cell(client: Client, full_name: str) -> str:
    """The text of the Invitation column of `full_name`'s row on the sign-ins page."""
    page = client.get(SENT_PAGE).text
    row = re.search(rf"<th scope=\"row\">{re.escape(full_name)}</th>(.*?)</tr>", page, re.DOTALL)
    assert row is not None, f"{full_name} is not listed"
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.DOTALL)
    return " ".join(re.sub(r"<[^>]+>", "", cells[3]).split())


def mails_section(client: Client) -> str:
    page = client.get(SENT_PAGE).text
    found = re.search(r'<section id="invitation-mails".*?</section>', page, re.DOTALL)
    return " ".join(re.sub(r"<[^>]+>", "", found.group(0)).split()) if found else ""


def test_inviting_everyone_queues_the_mails_and_the_worker_sends_each_one(
    login: Any, personas: dict[str, User], smtp_server: MailServer, django_capture_on_commit_callbacks: Any
) -> None:
    newcomers = [newcomer(f"N{number}", f"Newcomer {number}") for number in range(1, 4)]
    # No e-mail address (the database allows one such row, as an old import may have left it).
    Person.objects.filter(pk=newcomer("N9", "Nia Nomail").pk).update(email="")
    # One whose address another account (an admin's, with a password) already signs in with.
    make_person(None, employee_id="N8", full_name="Ivy Twin", level_code="IC1", email="it@example.com")
    left = newcomer("N7", "Lee Left")
    Person.objects.filter(pk=left.pk).update(is_active=False)
    client = login(personas["hr_admin"])

    assert invite_everyone(client, django_capture_on_commit_callbacks) == [
        "3 invitations are being sent; 2 skipped: Ivy Twin (another account signs in with their e-mail "
        "address), Nia Nomail (no e-mail address)."
    ]
    # Stored and audited in the request; not one mail yet: they wait for the worker.
    assert smtp_server.messages == []
    invitations = list(Invitation.objects.order_by("person__full_name"))
    assert [(i.email, i.mailed_at, i.mail_error) for i in invitations] == [
        (f"n{number}@example.com", None, "") for number in range(1, 4)
    ]
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert sorted(actions) == ["invitation.sent"] * 3 + ["user.created_for_invitation"] * 3
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "trellis.web.accounts.tasks.invitations_mail_queued"
    assert queued.args_kwargs["kwargs"] == {
        "invitation_ids": [i.pk for i in sorted(invitations, key=lambda i: i.pk)],
        "base_url": "https://testserver",
    }
    assert [invitation_cell(client, p.full_name)[:12] for p in newcomers] == ["Mail queued,"] * 3
    assert 'hx-get="/accounts/admin/invitations/" hx-trigger="every 2s"' in client.get(SENT_PAGE).text
    assert mails_section(client) == (
        "Invitation mails 3 invitation mails waiting for the worker to send them; this count follows the worker."
    )

    [ran] = run_queued_tasks()

    assert (ran.status, ran.return_value) == ("SUCCESSFUL", "sent 3, failed 0")
    assert [str(m["To"]) for m in smtp_server.messages] == [
        f"n{number}@example.com" for number in range(1, 4)
    ]
    for invitation in Invitation.objects.all():
        assert invitation.mailed_at is not None
        assert invitation.mail_error == ""
    for person in newcomers:
        assert invitation_cell(client, person.full_name).startswith("Sent ")
    assert mails_section(client) == ""
    # Each mailed link works; no token is in the queue's record of the task (nor anywhere stored).
    stored = json.dumps(DBTaskResult.objects.get().args_kwargs)
    for person in newcomers:
        link = path_of(smtp_server.invitation_link(person.email or ""))
        assert link.split("/")[-2] not in stored
        assert HttpsClient().get(link).status_code == 200

    # Once sent, the same button finds nobody new (the skipped stay skipped) and queues nothing.
    assert invite_everyone(client, django_capture_on_commit_callbacks) == [
        "Nobody new to invite; 2 skipped: Ivy Twin (another account signs in with their e-mail address), "
        "Nia Nomail (no e-mail address)."
    ]
    assert DBTaskResult.objects.count() == 1
    assert run_queued_tasks() == []
    assert len(smtp_server.messages) == 3


def test_a_mail_server_that_is_down_leaves_the_mails_failed_shown_and_resendable(
    login: Any, hr_admin: User, smtp_server: MailServer, django_capture_on_commit_callbacks: Any
) -> None:
    rosa = newcomer("N1", "Rosa Newcomer", "rosa@example.com")
    otto = newcomer("N2", "Otto Newcomer", "otto@example.com")
    client = login(hr_admin)
    assert invite_everyone(client, django_capture_on_commit_callbacks) == ["2 invitations are being sent."]

    with override_settings(EMAIL_PORT=free_port()):  # nothing listens there
        [ran] = run_queued_tasks()

    assert (ran.status, ran.return_value) == ("SUCCESSFUL", "sent 0, failed 2")
    assert smtp_server.messages == []
    for invitation in Invitation.objects.all():
        assert (invitation.is_open, invitation.mailed_at) == (True, None)
        assert invitation.mail_error != ""
    cell = invitation_cell(client, rosa.full_name)
    assert cell.startswith("Mail failed (") and cell.endswith("): resend it"), cell
    assert "hx-trigger" not in client.get(SENT_PAGE).text  # nothing left to follow
    assert mails_section(client) == (
        "Invitation mails 2 invitation mails could not be sent: resend them once the mail server works."
    )

    # The mail server works again: the Resend button mails a new link, which works.
    assert invite(client, rosa, "resend") == ["Sent an invitation to Rosa Newcomer at rosa@example.com."]
    assert [str(m["To"]) for m in smtp_server.messages] == ["rosa@example.com"]
    assert HttpsClient().get(path_of(smtp_server.invitation_link("rosa@example.com"))).status_code == 200
    assert invitation_cell(client, rosa.full_name).startswith("Sent ")
    assert invitation_cell(client, otto.full_name).startswith("Mail failed (")
    assert mails_section(client) == (
        "Invitation mails 1 invitation mail could not be sent: resend it once the mail server works."
    )


def test_an_address_the_server_refuses_fails_alone_and_the_others_are_sent(
    login: Any, hr_admin: User, smtp_server: MailServer, django_capture_on_commit_callbacks: Any
) -> None:
    for number in range(1, 4):
        newcomer(f"N{number}", f"Newcomer {number}")
    smtp_server.refused.add("n2@example.com")
    client = login(hr_admin)
    invite_everyone(client, django_capture_on_commit_callbacks)

    [ran] = run_queued_tasks()

    assert ran.return_value == "sent 2, failed 1"
    assert [str(m["To"]) for m in smtp_server.messages] == ["n1@example.com", "n3@example.com"]
    mails = [(i.email, i.mailed_at is not None, i.mail_error) for i in Invitation.objects.order_by("email")]
    assert mails == [
        ("n1@example.com", True, ""),
        ("n2@example.com", False, "refused: 5.1.1 no such mailbox"),
        ("n3@example.com", True, ""),
    ]
    assert invitation_cell(client, "Newcomer 2") == "Mail failed (refused: 5.1.1 no such mailbox): resend it"


def test_one_invitation_whose_mail_fails_says_so_and_stays_to_resend(
    login: Any, hr_admin: User, smtp_server: MailServer
) -> None:
    rosa = newcomer("N1", "Rosa Newcomer", "rosa@example.com")
    client = login(hr_admin)

    with override_settings(EMAIL_PORT=free_port()):
        [shown] = invite(client, rosa)

    assert shown.startswith(
        "The invitation mail to Rosa Newcomer could not be sent: the mail server failed ("
    )
    assert shown.endswith("). Resend it when the mail server works again.")
    invitation = Invitation.objects.get()
    assert (invitation.is_open, invitation.mailed_at) == (True, None)
    assert invitation.mail_error in shown
    assert DBTaskResult.objects.count() == 0  # one person is mailed within the request
    assert invitation_cell(client, rosa.full_name).startswith("Mail failed (")

    assert invite(client, rosa, "resend") == ["Sent an invitation to Rosa Newcomer at rosa@example.com."]
    assert HttpsClient().get(path_of(smtp_server.invitation_link("rosa@example.com"))).status_code == 200


def _queries(action: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def test_bulk_invitation_queries_do_not_grow_with_the_number_invited(
    login: Any, hr_admin: User, smtp_server: MailServer, django_capture_on_commit_callbacks: Any
) -> None:
    client = login(hr_admin)
    counts = []
    for batch, size in [("A", 2), ("B", 25)]:
        for number in range(size):
            newcomer(f"{batch}{number:02}", f"Person {batch}{number:02}")
        counts.append(_queries(lambda: invite_everyone(client, django_capture_on_commit_callbacks)))
    assert counts[0] == counts[1]
    assert [task.return_value for task in run_queued_tasks()] == ["sent 2, failed 0", "sent 25, failed 0"]
    assert len(smtp_server.messages) == 27
    assert Invitation.objects.filter(mailed_at__isnull=False).count() == 27
