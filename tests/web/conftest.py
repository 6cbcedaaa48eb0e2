"""Shared fixtures of the web tests: the personas and a published framework.

The organisation the personas form (all in Engineering)::

    skip_level_manager (M2)            other_manager (M1)         coauthor (IC5, co-authors engineering)
      └── manager (M1)                   └── outsider (IC3)
            └── employee (IC2)

hr_admin and it_admin are accounts without a person. Each persona fixture returns the *account*
(`User`); its person is ``user.person``.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from trellis.framework.templates import starter
from trellis.framework.yaml_io import dumps
from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FamilyCoauthor, FrameworkVersion
from trellis.web.frameworks.services import framework_draft_save, framework_publish
from trellis.web.people.models import Person, Team

# The real SMTP server fixture of the tests that send mail, shared by every web test.
from .mail_server import smtp_server  # noqa: F401

PASSWORD = "correct horse battery staple"
LEVEL_SINCE = datetime.date(2024, 3, 1)
HIRED_ON = datetime.date(2022, 9, 1)


@pytest.fixture(autouse=True)
def _fast_and_self_contained(settings: Any) -> None:
    # Hashing with the production hasher costs about half a second per account.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Production stores static files under hashed names that `collectstatic` writes; tests render
    # pages without having run it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def make_user(email: str, full_name: str, **fields: Any) -> User:
    return User.objects.create_user(email, PASSWORD, full_name=full_name, **fields)


def make_person(
    user: User | None,
    *,
    employee_id: str,
    full_name: str,
    level_code: str,
    track_id: str = "ic",
    manager: Person | None = None,
    family_id: str = "engineering",
    team: Team | None = None,
    email: str | None = None,
) -> Person:
    return Person.objects.create(
        employee_id=employee_id,
        email=email or (user.email if user is not None else f"{employee_id.lower()}@example.com"),
        full_name=full_name,
        title=f"{level_code} engineer",
        team=team,
        family_id=family_id,
        track_id=track_id,
        level_code=level_code,
        level_since=LEVEL_SINCE,
        hired_on=HIRED_ON,
        manager=manager,
        user=user,
    )


@pytest.fixture
def team(db: None) -> Team:
    return Team.objects.create(name="Platform")


@pytest.fixture
def hr_admin(db: None) -> User:
    return make_user("hr@example.com", "Hana HR", is_hr_admin=True)


@pytest.fixture
def it_admin(db: None) -> User:
    return make_user("it@example.com", "Ivo IT", is_it_admin=True)


@pytest.fixture
def skip_level_manager(db: None, team: Team) -> User:
    user = make_user("skip@example.com", "Sara Skip")
    make_person(
        user, employee_id="E001", full_name="Sara Skip", track_id="management", level_code="M2", team=team
    )
    return user


@pytest.fixture
def manager(skip_level_manager: User, team: Team) -> User:
    user = make_user("manager@example.com", "Mo Manager")
    make_person(
        user,
        employee_id="E002",
        full_name="Mo Manager",
        track_id="management",
        level_code="M1",
        manager=skip_level_manager.person,
        team=team,
    )
    return user


@pytest.fixture
def employee(manager: User, team: Team) -> User:
    user = make_user("employee@example.com", "Emi Employee")
    make_person(
        user,
        employee_id="E003",
        full_name="Emi Employee",
        level_code="IC2",
        manager=manager.person,
        team=team,
    )
    return user


@pytest.fixture
def other_manager(db: None) -> User:
    user = make_user("other.manager@example.com", "Otto Other")
    make_person(user, employee_id="E004", full_name="Otto Other", track_id="management", level_code="M1")
    return user


@pytest.fixture
def outsider(other_manager: User) -> User:
    """A second employee, on another manager's team: nobody else's business."""
    user = make_user("outsider@example.com", "Ola Outsider")
    make_person(
        user, employee_id="E005", full_name="Ola Outsider", level_code="IC3", manager=other_manager.person
    )
    return user


@pytest.fixture
def coauthor(db: None) -> User:
    user = make_user("coauthor@example.com", "Cai Coauthor")
    make_person(user, employee_id="E006", full_name="Cai Coauthor", level_code="IC5")
    FamilyCoauthor.objects.create(user=user, family_id="engineering")
    return user


@pytest.fixture
def personas(
    employee: User,
    manager: User,
    skip_level_manager: User,
    other_manager: User,
    outsider: User,
    coauthor: User,
    hr_admin: User,
    it_admin: User,
) -> dict[str, User]:
    """Every persona by name (the organisation drawn at the top of this module)."""
    return {
        "employee": employee,
        "manager": manager,
        "skip_level_manager": skip_level_manager,
        "other_manager": other_manager,
        "outsider": outsider,
        "coauthor": coauthor,
        "hr_admin": hr_admin,
        "it_admin": it_admin,
    }


@pytest.fixture
def starter_framework_yaml() -> str:
    return dumps(starter(["engineering", "product", "marketing"], "growth"))


@pytest.fixture
def published_framework(hr_admin: User, starter_framework_yaml: str) -> FrameworkVersion:
    """Version 1: the starter library's engineering, product and marketing at growth size."""
    framework_draft_save(actor=hr_admin, yaml_text=starter_framework_yaml, expected_revision=None)
    return framework_publish(actor=hr_admin)


class HttpsClient(Client):
    """A test client whose every request is made over HTTPS, as browsers do in production, where
    plain HTTP is redirected (the settings under test are the production ones)."""

    def generic(self, method: str, path: str, *args: Any, secure: bool = True, **extra: Any) -> Any:
        return super().generic(method, path, *args, secure=True, **extra)


@pytest.fixture
def client() -> Client:
    return HttpsClient()


@pytest.fixture
def login(client: Client) -> Any:
    """``login(user)`` signs `client` in as `user` and returns the client."""

    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in
