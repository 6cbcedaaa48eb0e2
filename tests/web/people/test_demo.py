"""The demo company: Northwind Labs at 50 people in three clusters with a people team, the three
demo logins (each a person of the company), and larger sizes."""

from __future__ import annotations

import random
import re
from collections import Counter
from typing import Any

import pytest
from django.db import models
from django.test import Client

from trellis.framework.templates import starter
from trellis.organisation.levels import level_problems
from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FamilyCoauthor, FrameworkVersion
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.people import demo
from trellis.web.people.demo import DemoError, load_demo
from trellis.web.people.models import Person, PersonChange, Team
from trellis.web.reviews.models import Rating

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
    assert (summary.people, summary.teams, summary.managers, summary.framework_version) == (50, 9, 11, 1)
    assert str(summary) == (
        "Northwind Labs: 50 people in 9 teams, 11 managers, framework version 1, 50 accounts, "
        f"3 review cycles with {Rating.objects.count()} ratings"
    )
    assert Person.objects.count() == 50
    assert Team.objects.count() == 9
    assert Counter(Person.objects.values_list("family_id", flat=True)) == {
        "engineering": 23,
        "sales": 11,
        "product": 8,
        "marketing": 6,
        "people": 2,
    }
    assert Counter(Person.objects.filter(track_id="ic").values_list("level_code", flat=True)) == {
        "IC1": 3, "IC2": 10, "IC3": 13, "IC4": 11, "IC5": 1, "IC6": 1,
    }  # fmt: skip
    assert Counter(Person.objects.filter(track_id="management").values_list("level_code", flat=True)) == {
        "M1": 2, "M2": 4, "M3": 5,
    }  # fmt: skip
    assert len(set(Person.objects.values_list("full_name", flat=True))) == 50
    ceo = Person.objects.get(manager=None)
    assert (ceo.employee_id, ceo.title, ceo.team.name) == ("NW0001", "Chief Executive Officer", "Leadership")  # type: ignore[union-attr]
    assert_reporting_lines_form_one_tree()

    version = FrameworkVersion.objects.get()
    assert (version.number, version.is_current) == (1, True)
    published = framework_published_get(viewer=User.objects.get(email=demo.HR_EMAIL))
    assert published is not None
    framework = published.framework
    assert framework.name == "Northwind Labs"
    assert [family.id for family in framework.families] == [
        "engineering",
        "product",
        "marketing",
        "sales",
        "people",
    ]
    for family in framework.families:
        # Dual track, IC and management equal in status: both tracks end at the same grade.
        ic, management = family.tracks
        assert (ic.kind, management.kind) == ("ic", "management")
        assert ic.grade_of(ic.levels[-1].code) == management.grade_of(management.levels[-1].code) == 6
    for person in Person.objects.all():
        assert (
            level_problems(
                framework, family_id=person.family_id, track_id=person.track_id, level_code=person.level_code
            )
            == {}
        )
        assert person.hired_on is not None and person.level_since >= person.hired_on
    assert PersonChange.objects.count() == 45
    assert AuditEvent.objects.filter(action="demo.loaded").count() == 1


def test_three_clusters_and_a_people_team_under_the_chief_executive() -> None:
    load_demo()
    ceo = Person.objects.get(manager=None)
    leads = {p.title: p for p in Person.objects.filter(manager=ceo)}
    assert sorted(leads) == ["Head of People", "VP of Engineering", "VP of Go-to-Market", "VP of Product"]
    assert {title: (p.family_id, p.track_id, p.level_code) for title, p in leads.items()} == {
        "Head of People": ("people", "management", "M3"),
        "VP of Engineering": ("engineering", "management", "M3"),
        "VP of Go-to-Market": ("sales", "management", "M3"),
        "VP of Product": ("product", "management", "M3"),
    }
    marketing_head = Person.objects.get(title="Head of Marketing")
    assert (marketing_head.manager, marketing_head.level_code) == (leads["VP of Go-to-Market"], "M2")
    assert set(Person.objects.filter(family_id="marketing").exclude(pk=marketing_head.pk).values_list(
        "manager_id", flat=True
    )) == {marketing_head.pk}  # fmt: skip
    # Every sales and marketing person is under the go-to-market lead.
    go_to_market = leads["VP of Go-to-Market"]
    for person in Person.objects.filter(family_id__in=["sales", "marketing"]).exclude(pk=go_to_market.pk):
        chain = []
        current: Person | None = person
        while current is not None:
            chain.append(current.pk)
            current = current.manager
        assert go_to_market.pk in chain


def test_the_three_demo_logins(client: Client) -> None:
    load_demo()
    hr = User.objects.get(email="hr@northwind.example")
    assert hr.is_hr_admin and not hr.is_it_admin
    head_of_people = Person.objects.get(user=hr)
    assert (head_of_people.full_name, head_of_people.title, head_of_people.email) == (
        "Hannah Okafor", "Head of People", "hr@northwind.example",
    )  # fmt: skip
    assert (head_of_people.family_id, head_of_people.track_id, head_of_people.level_code) == (
        "people", "management", "M3",
    )  # fmt: skip
    assert head_of_people.manager is not None and head_of_people.manager.manager_id is None
    assert head_of_people.reports.count() == 1
    manager = Person.objects.get(user__email="manager@northwind.example")
    employee = Person.objects.get(user__email="employee@northwind.example")
    assert (manager.family_id, manager.track_id) == ("engineering", "management")
    assert manager.reports.count() == 7
    assert (employee.family_id, employee.track_id, employee.manager_id) == ("engineering", "ic", manager.pk)
    assert employee.level_code not in {"IC1", "IC6"}  # there is a level above, and one was reached
    assert sorted(FamilyCoauthor.objects.values_list("user__email", "family_id")) == [
        ("coauthor@northwind.example", "product"),
        ("manager@northwind.example", "engineering"),
    ]
    for email, greetings in [
        ("hr@northwind.example", ["The company", "Your level", "Head of People", "Top of the track"]),
        ("manager@northwind.example", ["Your team", "Your level", employee.full_name]),
        ("employee@northwind.example", ["Your level", "What the next level asks"]),
    ]:
        assert client.login(username=email, password="northwind")
        response = client.get("/")
        assert response.status_code == 200
        html = response.content.decode()
        assert [greeting for greeting in greetings if greeting not in html] == []
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
    # Everyone can sign in, with the one demo password hashed once for all.
    assert User.objects.count() == Person.objects.filter(user__isnull=False).count() == 1200
    assert User.objects.values("password").distinct().count() == 1


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


def test_every_person_signs_in_and_the_five_personas_have_their_roles(client: Client) -> None:
    summary = load_demo()
    assert summary.accounts_created == 50
    assert Person.objects.filter(user__isnull=True).count() == 0
    assert list(Person.objects.exclude(user__email=models.F("email")).values_list("email", flat=True)) == []
    assert User.objects.values("password").distinct().count() == 1  # hashed once for everyone
    it_admin = User.objects.get(email=demo.IT_ADMIN_EMAIL)
    assert (it_admin.is_it_admin, it_admin.is_hr_admin) == (True, False)
    assert list(User.objects.filter(is_it_admin=True).values_list("email", flat=True)) == [
        demo.IT_ADMIN_EMAIL
    ]
    assert list(User.objects.filter(is_hr_admin=True).values_list("email", flat=True)) == [demo.HR_EMAIL]
    it_person = Person.objects.get(user=it_admin)
    assert (it_person.family_id, it_person.track_id, it_person.reports.count()) == ("engineering", "ic", 0)
    assert it_person.manager is not None and it_person.manager.email != demo.MANAGER_EMAIL
    coauthor = Person.objects.get(user__email=demo.COAUTHOR_EMAIL)
    assert (coauthor.family_id, coauthor.track_id, coauthor.reports.count()) == ("product", "ic", 0)
    assert not policy.is_manager(coauthor.user)
    assert policy.coauthored_families(coauthor.user) == frozenset({"product"})
    someone = Person.objects.exclude(email__in=[email for email, _ in demo.PERSONAS]).order_by("employee_id")[
        5
    ]
    for email, shows in [
        (demo.IT_ADMIN_EMAIL, "Administration"),
        (demo.COAUTHOR_EMAIL, "Your level"),
        (someone.email, "Your level"),
    ]:
        assert client.login(username=email, password="northwind")
        response = client.get("/")
        assert response.status_code == 200 and shows in response.content.decode()
        client.logout()


def _state() -> tuple[Any, ...]:
    return (
        Person.objects.count(),
        Team.objects.count(),
        PersonChange.objects.count(),
        FrameworkVersion.objects.count(),
        sorted(FamilyCoauthor.objects.values_list("user__email", "family_id")),
    )


def test_loading_again_keeps_changes_adds_only_missing_accounts_and_duplicates_nothing() -> None:
    load_demo()
    before = _state()
    # Changes HR made since: a new title, a removed co-author, a leaver, and two accounts gone.
    employee = Person.objects.get(email=demo.EMPLOYEE_EMAIL)
    Person.objects.filter(pk=employee.pk).update(title="Renamed by HR")
    FamilyCoauthor.objects.filter(user__email=demo.MANAGER_EMAIL).delete()
    leaver = Person.objects.order_by("-employee_id").first()
    assert leaver is not None
    Person.objects.filter(pk=leaver.pk).update(is_active=False)
    leaver_user = leaver.user_id
    gone = list(Person.objects.exclude(pk=leaver.pk).order_by("-employee_id")[:2])
    User.objects.filter(pk__in=[p.user_id for p in gone]).delete()
    users_before = User.objects.count()

    summary = load_demo()

    assert (summary.upgraded, summary.accounts_created) == (True, 2)
    assert str(summary) == (
        "Northwind Labs was already here (50 people, framework version 1); 2 missing accounts added, "
        "nothing else changed"
    )
    assert User.objects.count() == users_before + 2 == 50
    assert sorted(
        Person.objects.filter(pk__in=[p.pk for p in gone]).values_list("user__email", flat=True)
    ) == sorted(p.email for p in gone)
    assert Person.objects.get(pk=employee.pk).title == "Renamed by HR"
    assert Person.objects.get(pk=leaver.pk).is_active is False
    assert Person.objects.get(pk=leaver.pk).user_id == leaver_user
    assert _state() == (*before[:4], [("coauthor@northwind.example", "product")])
    # A third load finds nothing to add and writes nothing, not even an audit event.
    events = AuditEvent.objects.count()
    assert load_demo().accounts_created == 0
    assert (AuditEvent.objects.count(), User.objects.count()) == (events, 50)


def test_an_older_demo_with_three_accounts_gets_every_account_and_the_new_personas() -> None:
    load_demo()
    # What an earlier Trellis loaded: three accounts, no IT admin, no co-author beside the manager.
    for email in (demo.IT_ADMIN_EMAIL, demo.COAUTHOR_EMAIL):
        person = Person.objects.get(email=email)
        person.user.delete()  # type: ignore[union-attr]
        Person.objects.filter(pk=person.pk).update(email=f"was.{email.split('@')[0]}@northwind.example")
    User.objects.exclude(email__in=[demo.HR_EMAIL, demo.MANAGER_EMAIL, demo.EMPLOYEE_EMAIL]).delete()
    assert User.objects.count() == 3
    people = sorted(Person.objects.values_list("pk", "employee_id", "full_name", "level_code"))

    summary = load_demo()

    assert summary.accounts_created == 47
    assert User.objects.count() == Person.objects.filter(user__isnull=False).count() == 50
    assert sorted(Person.objects.values_list("pk", "employee_id", "full_name", "level_code")) == people
    assert User.objects.get(email=demo.IT_ADMIN_EMAIL).is_it_admin
    assert sorted(FamilyCoauthor.objects.values_list("user__email", "family_id")) == [
        ("coauthor@northwind.example", "product"),
        ("manager@northwind.example", "engineering"),
    ]


def test_the_demo_manager_sees_the_way_back_to_ic_from_their_own_level(client: Client) -> None:
    load_demo()
    manager = Person.objects.get(email=demo.MANAGER_EMAIL)
    assert (manager.track_id, manager.level_code) == ("management", "M2")
    assert client.login(username=demo.MANAGER_EMAIL, password="northwind")
    html = " ".join(client.get("/").content.decode().split())
    directions = html.split('<h2 id="other-directions">Other directions</h2>', 1)[1].split("</section>", 1)[0]
    assert re.findall(r"<h3>(.*?)</h3>", directions) == ["Back to Individual contributor: M2 → IC5"]
    assert (
        '<a href="/framework/families/engineering/ic/levels/IC5/"><span class="level-code">IC5</span> Staff</a>'
    ) in directions
    assert (
        "People may move back to IC5 (Individual contributor), the level of the same grade, without penalty."
        in directions
    )
    assert re.findall(r"<li>(.*?)</li>", directions) == [
        "Software craft: 4 · Advanced (not assessed at M2)",
        "System design: 4 · Advanced (not assessed at M2)",
        "Operational excellence: 4 · Advanced (not assessed at M2)",
        "Technical leadership: 4 · Advanced (not assessed at M2)",
    ]
    # Not the criteria for becoming a manager, which the crossover into management lists.
    assert "Operates at IC4" not in directions and "Entry criteria" not in directions
