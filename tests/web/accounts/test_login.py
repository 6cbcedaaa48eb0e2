"""Signing in and out, password reset, and the hardening of sessions (Django test client)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from trellis.web.accounts.models import User

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/login/"


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    for path in ["/", "/framework/", "/people/", "/people/1/", "/accounts/admin/", "/admin/audit/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"{SIGN_IN}?next={path}"


def test_sign_in_and_password_reset_pages_are_open(client: Client) -> None:
    for path in [SIGN_IN, "/accounts/password-reset/", "/accounts/password-reset/sent/"]:
        assert client.get(path).status_code == 200


def test_signing_in_by_email_in_any_case(client: Client, employee: User) -> None:
    response = client.post(SIGN_IN, {"username": "  EMPLOYEE@Example.com ", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(employee.pk)
    assert client.get("/").status_code == 200


def test_signing_in_follows_next_on_this_site_only(client: Client, employee: User) -> None:
    response = client.post(
        SIGN_IN + "?next=/framework/",
        {"username": employee.email, "password": PASSWORD, "next": "/framework/"},
    )
    assert response["Location"] == "/framework/"
    client.logout()
    response = client.post(
        SIGN_IN, {"username": employee.email, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    ("username", "password"),
    [("employee@example.com", "wrong password"), ("nobody@example.com", PASSWORD)],
)
def test_a_wrong_password_or_address_says_the_same_and_signs_nobody_in(
    client: Client, employee: User, username: str, password: str
) -> None:
    response = client.post(SIGN_IN, {"username": username, "password": password})
    assert response.status_code == 200
    assert "That e-mail address and password do not match an active account." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert User.objects.get(pk=employee.pk).last_login is None


def test_an_inactive_account_cannot_sign_in(client: Client, employee: User) -> None:
    employee.is_active = False
    employee.save(update_fields=["is_active"])
    response = client.post(SIGN_IN, {"username": employee.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_deactivated_account_loses_its_session(client: Client, employee: User) -> None:
    client.force_login(employee)
    User.objects.filter(pk=employee.pk).update(is_active=False)
    assert client.get("/")["Location"] == f"{SIGN_IN}?next=/"


def test_the_session_key_changes_on_sign_in(client: Client, employee: User) -> None:
    client.get(SIGN_IN)
    client.session.save()
    before = client.session.session_key
    client.post(SIGN_IN, {"username": employee.email, "password": PASSWORD})
    assert client.session.session_key != before


def test_the_session_cookie_is_hardened(client: Client, employee: User) -> None:
    response = client.post(SIGN_IN, {"username": employee.email, "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 8 * 60 * 60


def test_signing_out_takes_a_post(client: Client, employee: User) -> None:
    client.force_login(employee)
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/accounts/logout/")
    assert response["Location"] == SIGN_IN
    assert "_auth_user_id" not in client.session


def test_the_sign_in_form_labels_its_fields(client: Client) -> None:
    html = client.get(SIGN_IN).content.decode()
    assert '<label for="id_username">E-mail address</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert 'autocomplete="current-password"' in html


def test_password_reset_by_email(client: Client, employee: User) -> None:
    response = client.post("/accounts/password-reset/", {"email": "Employee@Example.com"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["employee@example.com"]
    assert message.subject == "Choose a new Trellis password"
    link = re.search(r"https://testserver(/accounts/password-reset/\S+/)", message.body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a fresh long passphrase", "new_password2": "a fresh long passphrase"},
    )
    assert response["Location"] == "/accounts/password-reset/complete/"
    assert User.objects.get(pk=employee.pk).check_password("a fresh long passphrase")
    # The link works once.
    assert "This link no longer works" in client.get(link.group(1), follow=True).content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    client: Client, db: None
) -> None:
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.com"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_a_bad_address_is_a_form_error_not_a_crash(client: Client, db: None) -> None:
    response = client.post("/accounts/password-reset/", {"email": "not an address"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert mail.outbox == []
