"""The sign-in lockout, the password-reset throttle and the audit of signing in and out: each test
replays a probe and asserts the refusal, and that the account, its session and the mail are untouched."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from trellis.web.accounts import throttle
from trellis.web.accounts.models import SignInThrottleEvent, User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.models import AuditEvent

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/login/"
RESET = "/accounts/password-reset/"
WRONG_MATCH = "That e-mail address and password do not match an active account."


@pytest.fixture(autouse=True)
def _small_limits(settings: Any) -> None:
    settings.SIGN_IN_FAILURES_PER_ACCOUNT = 3
    settings.SIGN_IN_FAILURES_PER_ADDRESS = 5
    settings.SIGN_IN_LOCKOUT_SECONDS = 15 * 60
    settings.PASSWORD_RESET_MAILS_PER_ACCOUNT = 2
    settings.PASSWORD_RESET_REQUESTS_PER_ADDRESS = 3
    settings.PASSWORD_RESET_THROTTLE_SECONDS = 60 * 60


def _sign_in(client: Client, email: str, password: str, ip: str = "10.0.0.1") -> Any:
    return client.post(SIGN_IN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def _unchanged(user: User) -> None:
    stored = User.objects.get(pk=user.pk)
    assert stored.last_login is None
    assert stored.password == user.password


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_failures_for_one_account_lock_it_even_from_other_addresses(client: Client, employee: User) -> None:
    for attempt, ip in enumerate(["10.0.0.1", "10.0.0.2"]):
        response = _sign_in(client, employee.email, "wrong password", ip)
        assert WRONG_MATCH in response.content.decode(), attempt
    response = _sign_in(client, employee.email, "wrong password", "10.0.0.3")
    assert throttle.locked_out_message() in response.content.decode()
    # The right password, from a fourth address, is refused while the lockout lasts.
    response = _sign_in(client, "Employee@Example.com", PASSWORD, "10.0.0.4")
    assert response.status_code == 200
    assert throttle.locked_out_message() in response.content.decode()
    assert "_auth_user_id" not in client.session
    _unchanged(employee)
    assert _actions() == ["user.sign_in_failed"] * 3 + ["user.locked_out"] * 2
    # The refused attempt is not counted, so probing does not extend the lockout.
    assert SignInThrottleEvent.objects.count() == 3


def test_the_lockout_reads_the_same_for_an_address_with_no_account(client: Client, employee: User) -> None:
    for _ in range(3):
        response = _sign_in(client, "nobody@example.com", "wrong password")
    assert throttle.locked_out_message() in response.content.decode()
    assert throttle.locked_out_message() == (
        "Too many failed sign-ins for this e-mail address or from your network. "
        "Wait 15 minutes and try again, or reset your password."
    )
    assert AuditEvent.objects.filter(target_id="").count() == 4


def test_failures_from_one_address_across_accounts_lock_the_address(
    client: Client, employee: User, manager: User
) -> None:
    for number in range(5):
        _sign_in(client, f"guess{number}@example.com", "wrong password", "10.9.9.9")
    response = _sign_in(client, employee.email, PASSWORD, "10.9.9.9")
    assert throttle.locked_out_message() in response.content.decode()
    assert "_auth_user_id" not in client.session
    _unchanged(employee)
    # Another address is not locked: the same account signs in from there.
    response = _sign_in(client, manager.email, PASSWORD, "10.0.0.7")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(manager.pk)


def test_the_lockout_expires_after_its_window(client: Client, employee: User, settings: Any) -> None:
    for _ in range(3):
        _sign_in(client, employee.email, "wrong password")
    assert throttle.sign_in_locked(employee.email, "10.0.0.1")
    settings.SIGN_IN_LOCKOUT_SECONDS = 0
    response = _sign_in(client, employee.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(employee.pk)


def test_sign_in_failure_lockout_and_sign_out_are_audited_without_the_password(
    client: Client, employee: User
) -> None:
    _sign_in(client, employee.email, "wrong password")
    assert _sign_in(client, employee.email, PASSWORD).status_code == 302
    assert client.post("/accounts/logout/").status_code == 302
    events = list(AuditEvent.objects.order_by("id"))
    assert [(event.action, event.actor_id, event.target_id, event.ip) for event in events] == [
        (AuditAction.USER_SIGN_IN_FAILED, None, str(employee.pk), "10.0.0.1"),
        (AuditAction.USER_SIGNED_IN, employee.pk, str(employee.pk), "10.0.0.1"),
        (AuditAction.USER_SIGNED_OUT, employee.pk, str(employee.pk), "127.0.0.1"),
    ]
    for event in AuditEvent.objects.values():
        for value in event.values():
            assert "wrong password" not in str(value)
            assert PASSWORD not in str(value)
    # The counted failure keeps the e-mail address only as a digest.
    for row in SignInThrottleEvent.objects.values():
        assert employee.email not in str(row.values())


def test_password_reset_mail_is_throttled_per_email_address(client: Client, employee: User) -> None:
    for _ in range(4):
        response = client.post(RESET, {"email": employee.email})
        assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 2
    assert User.objects.get(pk=employee.pk).password == employee.password


def test_password_reset_requests_are_throttled_per_client_address(
    client: Client, employee: User, manager: User
) -> None:
    for email in ["nobody@example.com", "nobody2@example.com", "nobody3@example.com", employee.email]:
        response = client.post(RESET, {"email": email}, REMOTE_ADDR="10.5.5.5")
        assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []
    client.post(RESET, {"email": manager.email}, REMOTE_ADDR="10.5.5.6")
    assert [message.to for message in mail.outbox] == [[manager.email]]
