"""The demo company: Northwind Labs at 50 people with the three demo logins, and larger sizes."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest
from django.test import Client

from trellis.framework.templates import starter
from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FamilyCoauthor, FrameworkVersion
from trellis.web.frameworks.selectors import current_framework
from trellis.web.people import demo
from trellis.web.people.demo import DemoError, load_demo
from trellis.web.people.models import Person, PersonChange, Team
from trellis.web.people.services import level_problems

pytestmark = pytest.mark.django_db


def assert_reporting_lines_form_one_tree() -> None:
    managers = dict(Person.objects.values_list("pk", "manager_id"))
    roots = [pk for pk, manager in managers.items() if manager is None]
    assert len(roots) == 1
    for start in managers:
        seen, current = set(), start
        while current is not None:
            assert current not in seen, "reporting lines go round in a circle"
            seen.add(current)
            current = managers[current]
        assert roots[0] in seen


def test_northwind_at_fifty(client: Client) -> None:
    summary = load_demo()
    assert (summary.people, summary.teams, summary.managers, summary.framework_version) == (50, 7, 8, 1)
    assert str(summary) == "Northwind Labs: 50 people in 7 teams, 8 managers, framework version 1"
    assert Person.objects.count() == 50
    assert Team.objects.count() == 7
    assert Counter(Person.objects.values_list("family_id", flat=True)) == {
        "engineering": 24,
        "sales": 10,
        "product": 9,
        "marketing": 7,
    }
    assert Counter(Person.objects.filter(track_id="ic").values_list("level_code", flat=True)) == {
        "IC1": 3, "IC2": 12, "IC3": 13, "IC4": 12, "IC5": 1, "IC6": 1,
    }  # fmt: skip
    ceo = Person.objects.get(manager=None)
    assert (ceo.employee_id, ceo.title, ceo.team.name) == ("NW0001", "Chief Executive Officer", "Leadership")  # type: ignore[union-attr]
    assert_reporting_lines_form_one_tree()

    version = FrameworkVersion.objects.get()
    assert (version.number, version.is_current) == (1, True)
    framework = current_framework()
    assert framework is not None
    assert framework.name == "Northwind Labs"
    assert [family.id for family in framework.families] == ["engineering", "product", "marketing", "sales"]
    for person in Person.objects.all():
        assert (
            level_problems(
                framework, family_id=person.family_id, track_id=person.track_id, level_code=person.level_code
            )
            == {}
        )
        assert person.hired_on is not None and person.level_since >= person.hired_on
    assert PersonChange.objects.count() == 46
    assert AuditEvent.objects.filter(action="demo.loaded").count() == 1


def test_the_three_demo_logins(client: Client) -> None:
    load_demo()
    hr = User.objects.get(email="hr@northwind.example")
    assert hr.is_hr_admin and not hr.is_it_admin
    manager = Person.objects.get(user__email="manager@northwind.example")
    employee = Person.objects.get(user__email="employee@northwind.example")
    assert (manager.family_id, manager.track_id) == ("engineering", "management")
    assert manager.reports.count() == 7
    assert (employee.family_id, employee.track_id, employee.manager_id) == ("engineering", "ic", manager.pk)
    assert employee.level_code not in {"IC1", "IC6"}  # there is a level above, and one was reached
    assert list(FamilyCoauthor.objects.values_list("user__email", "family_id")) == [
        ("manager@northwind.example", "engineering")
    ]
    for email, greeting in [
        ("hr@northwind.example", "The company"),
        ("manager@northwind.example", "Your team"),
        ("employee@northwind.example", "Your level"),
    ]:
        assert client.login(username=email, password="northwind")
        response = client.get("/")
        assert response.status_code == 200
        assert greeting in response.content.decode()
        client.logout()


def test_the_same_size_gives_the_same_company() -> None:
    framework = starter(list(demo.FAMILIES), demo.FRAMEWORK_SIZE)

    def shape(employees: int) -> list[tuple[Any, ...]]:
        nodes = demo._organisation(framework, employees, random.Random(demo.SEED))
        return [(n.family.id, n.track.id, n.level_index, n.depth, n.team_name) for n in nodes]

    assert shape(50) == shape(50)
    assert shape(500) == shape(500)


def test_a_larger_company_keeps_spans_and_one_tree() -> None:
    summary = load_demo(employees=1200)
    assert summary.people == Person.objects.count() == 1200
    assert_reporting_lines_form_one_tree()
    spans = Counter(Person.objects.exclude(manager=None).values_list("manager_id", flat=True))
    assert max(spans.values()) <= 9
    assert Person.objects.filter(
        email="employee@northwind.example", manager__user__email="manager@northwind.example"
    ).exists()
    assert User.objects.count() == 3


def test_refuses_a_database_with_people_and_writes_nothing(employee: User) -> None:
    before = (
        Person.objects.count(),
        User.objects.count(),
        FrameworkVersion.objects.count(),
        AuditEvent.objects.count(),
    )
    with pytest.raises(DemoError, match="the database already holds 3 people"):
        load_demo()
    assert (
        Person.objects.count(),
        User.objects.count(),
        FrameworkVersion.objects.count(),
        AuditEvent.objects.count(),
    ) == before


def test_refuses_fewer_than_ten_people(db: None) -> None:
    with pytest.raises(ValueError, match="at least 10"):
        load_demo(employees=9)
    assert Person.objects.count() == 0
