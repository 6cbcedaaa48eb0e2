"""Invitations to sign in, sent through a real SMTP server (aiosmtpd, `smtp_server`) and followed
from the mail it received: invite, accept, refuse a used, expired, replaced or revoked link."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from trellis.web.accounts.models import Invitation, User
from trellis.web.accounts.sign_in_status import SignInStatus
from trellis.web.audit.models import AuditEvent
from trellis.web.people.models import Person

from ..conftest import HttpsClient, make_person
from ..mail_server import MailServer

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "trellis lattice 2026"
SENT_PAGE = "/accounts/admin/invitations/"


def newcomer(employee_id: str, full_name: str, email: str | None = None) -> Person:
    """An active person without an account, as an import leaves them."""
    return make_person(
        None,
        employee_id=employee_id,
        full_name=full_name,
        level_code="IC1",
        email=email or f"{employee_id}@example.com".lower(),
    )


def invite(client: Client, person: Person, action: str = "send") -> list[str]:
    """Press the person's button on the sign-ins page; the messages shown after."""
    response = client.post(f"/accounts/admin/invitations/{person.pk}/{action}/", follow=True)
    assert response.redirect_chain == [(SENT_PAGE, 302)]
    return [str(message) for message in response.context["messages"]]


def path_of(link: str) -> str:
    return urlsplit(link).path


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_inviting_one_person_creates_their_account_and_mails_a_single_use_link(
    login: Any, hr_admin: User, smtp_server: MailServer
) -> None:
    rosa = newcomer("N1", "Rosa Newcomer", "rosa@example.com")
    shown = invite(login(hr_admin), rosa)

    assert shown == ["Sent an invitation to Rosa Newcomer at rosa@example.com."]
    account = User.objects.get(email="rosa@example.com")
    assert (account.full_name, account.is_active, account.has_usable_password()) == (
        "Rosa Newcomer",
        True,
        False,
    )
    assert Person.objects.get(pk=rosa.pk).user_id == account.pk
    [mail] = smtp_server.messages
    assert (mail["To"], mail["Subject"]) == ("rosa@example.com", "You are invited to sign in to Trellis")
    text = smtp_server.text(mail)
    assert "Hello Rosa Newcomer," in text
    assert "Hana HR has invited you to Trellis" in text
    assert "You sign in with this e-mail address: rosa@example.com" in text
    link = smtp_server.invitation_link("rosa@example.com")
    assert link.startswith("https://testserver/accounts/invitation/")
    token = path_of(link).split("/")[-2]
    [invitation] = Invitation.objects.all()
    assert invitation.token_digest == hashlib.sha256(token.encode()).hexdigest()
    assert (invitation.person_id, invitation.user_id, invitation.email, invitation.created_by_id) == (
        rosa.pk,
        account.pk,
        "rosa@example.com",
        hr_admin.pk,
    )
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)
    expiry = timezone.localtime(invitation.expires_at)
    assert f"The link works once, until {expiry:%-d %B %Y, %H:%M} UTC." in text
    assert list(
        AuditEvent.objects.order_by("id").values_list("action", "target_type", "fields", "actor")
    ) == [
        ("user.created_for_invitation", "accounts.user", ["email", "full_name"], hr_admin.pk),
        ("invitation.sent", "accounts.invitation", ["email", "expires_at"], hr_admin.pk),
    ]
    assert token not in _every_stored_value()


def _every_stored_value() -> str:
    """Every value of every table, as one text (to show what is not stored)."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            values.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(values)


def test_the_link_sets_the_password_signs_in_and_lands_home(
    login: Any, hr_admin: User, smtp_server: MailServer, published_framework: Any
) -> None:
    rosa = newcomer("N1", "Rosa Newcomer", "rosa@example.com")
    invite(login(hr_admin), rosa)
    link = path_of(smtp_server.invitation_link("rosa@example.com"))
    visitor = HttpsClient()

    opened = visitor.get(link)
    assert opened.status_code == 200
    assert "Welcome, Rosa Newcomer" in opened.text
    assert "rosa@example.com" in opened.text
    assert opened["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"

    accepted = visitor.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert accepted.redirect_chain == [("/", 302)]
    assert "Hello, Rosa" in accepted.text
    assert messages_of(accepted) == ["Your password is set and you are signed in. Welcome to Trellis."]
    account = User.objects.get(email="rosa@example.com")
    assert account.check_password(NEW_PASSWORD)
    assert Invitation.objects.get().accepted_at is not None
    assert list(AuditEvent.objects.filter(actor=account).order_by("id").values_list("action", "fields")) == [
        ("invitation.accepted", ["accepted_at"]),
        ("user.signed_in", []),
    ]
    # The password now signs in through the ordinary form, too.
    assert HttpsClient().login(email="rosa@example.com", password=NEW_PASSWORD)


def test_a_password_the_validators_refuse_changes_nothing(
    login: Any, hr_admin: User, smtp_server: MailServer
) -> None:
    invite(login(hr_admin), newcomer("N1", "Rosa Newcomer", "rosa@example.com"))
    link = path_of(smtp_server.invitation_link("rosa@example.com"))
    before = AuditEvent.objects.count()

    refused = HttpsClient().post(link, {"new_password1": "short", "new_password2": "short"})

    assert refused.status_code == 200
    assert "This password is too short. It must contain at least 10 characters." in refused.text
    assert not User.objects.get(email="rosa@example.com").has_usable_password()
    assert Invitation.objects.get().accepted_at is None
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_used_link_is_refused_on_a_page_that_says_so(
    login: Any, hr_admin: User, smtp_server: MailServer, method: str
) -> None:
    invite(login(hr_admin), newcomer("N1", "Rosa Newcomer", "rosa@example.com"))
    link = path_of(smtp_server.invitation_link("rosa@example.com"))
    HttpsClient().post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    password = User.objects.get(email="rosa@example.com").password
    events = AuditEvent.objects.count()

    other = "another password 2027"
    again = HttpsClient().generic(method, link, f"new_password1={other}&new_password2={other}".encode())

    assert again.status_code == 410
    assert '<h1 id="invitation-heading">This invitation has been used already</h1>' in again.text
    assert "sign in with your e-mail address and that password" in again.text
    assert User.objects.get(email="rosa@example.com").password == password
    assert AuditEvent.objects.count() == events


def test_an_expired_link_is_refused_and_sets_no_password(
    login: Any, hr_admin: User, smtp_server: MailServer
) -> None:
    invite(login(hr_admin), newcomer("N1", "Rosa Newcomer", "rosa@example.com"))
    link = path_of(smtp_server.invitation_link("rosa@example.com"))
    now = timezone.now()
    Invitation.objects.update(
        created_at=now - datetime.timedelta(days=8), expires_at=now - datetime.timedelta(days=1)
    )

    for response in [
        HttpsClient().get(link),
        HttpsClient().post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}),
    ]:
        assert response.status_code == 410
        assert "This invitation has expired" in response.text
        assert "Ask your HR team to send a new one." in response.text
    assert not User.objects.get(email="rosa@example.com").has_usable_password()
    assert Invitation.objects.get().accepted_at is None


def test_a_revoked_link_is_refused_and_the_person_has_no_sign_in_again(
    login: Any, hr_admin: User, smtp_server: MailServer
) -> None:
    client = login(hr_admin)
    rosa = newcomer("N1", "Rosa Newcomer", "rosa@example.com")
    invite(client, rosa)
    link = path_of(smtp_server.invitation_link("rosa@example.com"))

    assert invite(client, rosa, "revoke") == ["Revoked Rosa Newcomer's invitation: its link no longer works."]
    assert invite(client, rosa, "revoke") == ["Rosa Newcomer has no open invitation to revoke."]

    response = HttpsClient().post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 410
    assert "This invitation was withdrawn" in response.text
    assert not User.objects.get(email="rosa@example.com").has_usable_password()
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "user.created_for_invitation",
        "invitation.sent",
        "invitation.revoked",
    ]
    assert _status_on_sign_ins_page(client, "Rosa Newcomer") == "No sign-in"


def test_resending_replaces_the_link_and_reuses_the_account(
    login: Any, hr_admin: User, smtp_server: MailServer
) -> None:
    client = login(hr_admin)
    rosa = newcomer("N1", "Rosa Newcomer", "rosa@example.com")
    invite(client, rosa)
    first = path_of(smtp_server.invitation_link("rosa@example.com"))

    assert invite(client, rosa) == [
        "Rosa Newcomer was not invited: already invited (resend the invitation instead)."
    ]
    assert invite(client, rosa, "resend") == ["Sent an invitation to Rosa Newcomer at rosa@example.com."]

    assert len(smtp_server.to("rosa@example.com")) == 2
    second = path_of(smtp_server.invitation_link("rosa@example.com"))
    assert second != first
    old = HttpsClient().get(first)
    assert old.status_code == 410
    assert "A newer invitation replaced this one" in old.text
    assert HttpsClient().get(second).status_code == 200
    assert User.objects.filter(email="rosa@example.com").count() == 1
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "user.created_for_invitation",
        "invitation.sent",
        "invitation.resent",
    ]


def test_an_unknown_link_is_a_page_not_a_traceback(db: None) -> None:
    response = HttpsClient().get("/accounts/invitation/not-a-token/")
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.text


def test_inviting_everyone_without_the_scope_field_is_a_bad_request(
    login: Any, hr_admin: User, smtp_server: MailServer
) -> None:
    newcomer("N1", "Rosa Newcomer")
    assert login(hr_admin).post("/accounts/admin/invitations/send-all/").status_code == 400
    assert (Invitation.objects.count(), len(smtp_server.messages)) == (0, 0)


@pytest.mark.parametrize(
    ("prepare", "shown"),
    [
        ("active", "Emi Employee was not invited: already has an active sign-in."),
        ("deactivated", "Emi Employee was not invited: their sign-in is deactivated."),
        ("left", "Emi Employee was not invited: has left (inactive)."),
    ],
)
def test_who_cannot_be_invited_is_told_and_nothing_changes(
    login: Any, hr_admin: User, employee: User, smtp_server: MailServer, prepare: str, shown: str
) -> None:
    if prepare == "deactivated":
        User.objects.filter(pk=employee.pk).update(is_active=False)
    if prepare == "left":
        Person.objects.filter(user=employee).update(is_active=False)
    password = User.objects.get(pk=employee.pk).password

    assert invite(login(hr_admin), employee.person) == [shown]

    assert User.objects.get(pk=employee.pk).password == password
    assert (Invitation.objects.count(), AuditEvent.objects.count(), len(smtp_server.messages)) == (0, 0, 0)


def test_an_account_without_a_password_is_reused(login: Any, hr_admin: User, smtp_server: MailServer) -> None:
    account = User.objects.create_user("Old.Address@example.com", None, full_name="Rosa Newcomer")
    rosa = make_person(
        account, employee_id="N1", full_name="Rosa Newcomer", level_code="IC1", email="rosa@example.com"
    )

    invite(login(hr_admin), rosa)

    # The person's address is the login: the account follows the HR system's change of address.
    assert list(User.objects.filter(person=rosa).values_list("pk", "email")) == [
        (account.pk, "rosa@example.com")
    ]
    assert [str(m["To"]) for m in smtp_server.messages] == ["rosa@example.com"]
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["invitation.sent"]


@pytest.mark.parametrize("persona", ["employee", "manager", "coauthor"])
def test_others_may_not_invite_and_nothing_changes(
    login: Any, personas: dict[str, User], smtp_server: MailServer, persona: str
) -> None:
    rosa = newcomer("N1", "Rosa Newcomer")
    client = login(personas[persona])
    for path in [
        f"/accounts/admin/invitations/{rosa.pk}/send/",
        f"/accounts/admin/invitations/{rosa.pk}/resend/",
    ]:
        assert client.post(path).status_code == 403
    response = client.post("/accounts/admin/invitations/send-all/", {"scope": "without_sign_in"})
    assert response.status_code == 403
    assert client.get(SENT_PAGE).status_code == 403
    assert (User.objects.filter(email=rosa.email).count(), Invitation.objects.count()) == (0, 0)
    assert (AuditEvent.objects.count(), len(smtp_server.messages)) == (0, 0)


def test_it_admins_invite_too(login: Any, it_admin: User, smtp_server: MailServer) -> None:
    rosa = newcomer("N1", "Rosa Newcomer", "rosa@example.com")
    assert invite(login(it_admin), rosa) == ["Sent an invitation to Rosa Newcomer at rosa@example.com."]
    assert "Ivo IT has invited you to Trellis" in smtp_server.text(smtp_server.messages[0])


def test_the_base_url_setting_starts_the_link(
    login: Any, hr_admin: User, smtp_server: MailServer, settings: Any
) -> None:
    settings.TRELLIS_BASE_URL = "https://trellis.example.com"
    invite(login(hr_admin), newcomer("N1", "Rosa Newcomer", "rosa@example.com"))
    assert smtp_server.invitation_link("rosa@example.com").startswith(
        "https://trellis.example.com/accounts/invitation/"
    )


def test_the_validity_is_a_setting(
    login: Any, hr_admin: User, smtp_server: MailServer, settings: Any
) -> None:
    settings.INVITATION_VALID_DAYS = 2
    invite(login(hr_admin), newcomer("N1", "Rosa Newcomer"))
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=2)


# ---- Sign-in status on the pages ------------------------------------------------------------------


def _status_on_sign_ins_page(client: Client, full_name: str) -> str:
    import re

    page = client.get(SENT_PAGE).text
    row = re.search(rf"<th scope=\"row\">{re.escape(full_name)}</th>(.*?)</tr>", page, re.DOTALL)
    assert row is not None, f"{full_name} is not listed"
    badge = re.search(r'<span class="badge badge--sign-in-\w+">([^<]+)</span>', row.group(1))
    assert badge is not None
    return badge.group(1)


def test_each_status_on_the_sign_ins_people_and_accounts_pages(
    login: Any, personas: dict[str, User], smtp_server: MailServer
) -> None:
    client = login(personas["hr_admin"])
    invited = newcomer("N1", "Ines Invited")
    invite(client, invited)
    newcomer("N2", "Nora None")
    User.objects.filter(pk=personas["outsider"].pk).update(is_active=False)

    expected = {
        "Ines Invited": "Invited",
        "Nora None": "No sign-in",
        "Ola Outsider": "Deactivated",
        "Emi Employee": "Active",
    }
    for name, label in expected.items():
        assert _status_on_sign_ins_page(client, name) == label
    people = client.get("/people/").text
    assert '<th scope="col">Sign-in</th>' in people
    for name, label in expected.items():
        row = people[people.index(f">{name}</a>") :]
        row = row[: row.index("</tr>")]
        assert f">{label}</span></td>" in row, (name, row)
    accounts = client.get("/accounts/admin/users/").text
    for email, label in [
        ("n1@example.com", "Invited"),
        ("outsider@example.com", "Deactivated"),
        ("hr@example.com", "Active"),
    ]:
        row = accounts[accounts.index(f"<td>{email}</td>") :]
        assert f">{label}</span></td>" in row[: row.index("</tr>")], email
    # A manager's people list has no sign-in column: accounts are HR's and IT's business.
    assert "Sign-in" not in login(personas["manager"]).get("/people/").text


def test_statuses_by_filter(login: Any, personas: dict[str, User], smtp_server: MailServer) -> None:
    client = login(personas["hr_admin"])
    invite(client, newcomer("N1", "Ines Invited"))
    newcomer("N2", "Nora None")
    for status, names in [
        (SignInStatus.INVITED, ["Ines Invited"]),
        (SignInStatus.NONE, ["Nora None"]),
    ]:
        page = client.get(SENT_PAGE, {"status": status.value})
        assert [p.full_name for p in page.context["page"]] == names


# ---- Queries do not grow with the number of people -----------------------------------------------


def _queries(action: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def test_listing_statuses_costs_the_same_for_any_number_of_people(
    login: Any, hr_admin: User, smtp_server: MailServer
) -> None:
    client = login(hr_admin)
    counts = []
    for batch, size in [("A", 2), ("B", 30)]:
        for number in range(size):
            person = newcomer(f"{batch}{number:02}", f"Person {batch}{number:02}")
            if number % 2:
                invite(client, person)
        counts.append((_queries(lambda: client.get(SENT_PAGE)), _queries(lambda: client.get("/people/"))))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("change", ["person left", "account deactivated", "password set otherwise"])
def test_a_link_whose_person_or_account_changed_no_longer_applies(
    login: Any, hr_admin: User, smtp_server: MailServer, change: str
) -> None:
    rosa = newcomer("N1", "Rosa Newcomer", "rosa@example.com")
    invite(login(hr_admin), rosa)
    link = path_of(smtp_server.invitation_link("rosa@example.com"))
    account = User.objects.get(email="rosa@example.com")
    if change == "person left":
        Person.objects.filter(pk=rosa.pk).update(is_active=False)
    elif change == "account deactivated":
        User.objects.filter(pk=account.pk).update(is_active=False)
    else:
        account.set_password("set by an admin 2026")
        account.save()
    password = User.objects.get(pk=account.pk).password

    response = HttpsClient().post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 410
    assert "This invitation no longer applies" in response.text
    assert User.objects.get(pk=account.pk).password == password
    assert Invitation.objects.get().accepted_at is None
