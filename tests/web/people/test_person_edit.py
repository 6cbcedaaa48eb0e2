"""Editing a person from their profile: HR's form, through the services, all or nothing, with each
refusal on its field, the history on the profile, and the level linked to its page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people.models import Person, PersonChange, Team
from trellis.web.people.services import LEVEL_DATE_MAX_DAYS_AHEAD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _company(published_framework: FrameworkVersion, personas: dict[str, User]) -> None:
    pass


def _form(person: Person, **changes: str) -> dict[str, str]:
    data = {
        "full_name": person.full_name,
        "title": person.title,
        "team": person.team.name if person.team else "",
        "manager": person.manager.employee_id if person.manager else "",
        "level": f"{person.family_id}/{person.track_id}/{person.level_code}",
        "level_since": "",
    }
    data.update(changes)
    return data


def _snapshot() -> list[tuple[Any, ...]]:
    return [
        (*Person.objects.order_by("pk").values_list(),),
        (*PersonChange.objects.values_list(),),
        (*Team.objects.values_list(),),
        AuditEvent.objects.count(),
    ]


def emi() -> Person:
    return Person.objects.select_related("team", "manager").get(employee_id="E003")


def test_hr_edits_name_title_team_manager_and_level_with_its_date(login: Any, hr_admin: User) -> None:
    client = login(hr_admin)
    person = emi()
    effective = timezone.localdate() - datetime.timedelta(days=10)
    response = client.post(
        f"/people/{person.pk}/edit/",
        _form(
            person,
            full_name="Emi Engineer",
            title="Engineer II",
            team="Payments",
            manager="E001",
            level="engineering/ic/IC3",
            level_since=effective.isoformat(),
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/people/{person.pk}/"
    person = emi()
    assert (person.full_name, person.title, person.team.name if person.team else None) == (
        "Emi Engineer",
        "Engineer II",
        "Payments",
    )
    assert person.manager is not None and person.manager.employee_id == "E001"
    assert (person.level_code, person.level_since) == ("IC3", effective)
    changes = {c.kind: (c.old_value, c.new_value) for c in PersonChange.objects.filter(person=person)}
    assert changes == {"level": ("engineering/ic/IC2", "engineering/ic/IC3"), "manager": ("E002", "E001")}
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "fields"))
    assert actions[-3:] == [
        (AuditAction.TEAM_CREATED, ["name"]),
        (AuditAction.PERSON_UPDATED, ["full_name", "level_code", "level_since", "team", "title"]),
        (AuditAction.PERSON_MANAGER_CHANGED, ["manager"]),
    ]
    html = client.get(f"/people/{person.pk}/").content.decode()
    assert "Level: IC2 Developing · Engineering, Individual contributor" in html
    assert "<strong>IC3 " in html
    assert "Manager: Mo Manager (E002)" in html
    assert "<strong>Sara Skip (E001)</strong>" in html


def test_a_level_change_without_a_date_takes_effect_today(login: Any, hr_admin: User) -> None:
    person = emi()
    response = login(hr_admin).post(f"/people/{person.pk}/edit/", _form(person, level="engineering/ic/IC3"))
    assert response.status_code == 302
    assert (emi().level_code, emi().level_since) == ("IC3", timezone.localdate())


def test_the_form_shows_the_current_values(login: Any, hr_admin: User) -> None:
    person = emi()
    html = login(hr_admin).get(f"/people/{person.pk}/edit/").content.decode()
    assert 'name="full_name" value="Emi Employee"' in html
    assert 'name="team" value="Platform"' in html
    assert 'name="manager" value="E002"' in html
    assert "Now Mo Manager (E002). Blank for nobody." in html
    assert '<option value="engineering/ic/IC2" selected>IC2 Developing</option>' in html
    assert '<optgroup label="Engineering · Individual contributor">' in html
    assert '<datalist id="team-names"><option value="Platform"></option></datalist>' in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"manager": "E003"},
            "manager",
            "Emi Employee cannot be their own manager",
        ),
        (
            {"manager": "nobody@example.com"},
            "manager",
            "nobody has the employee ID or e-mail address &quot;nobody@example.com&quot;",
        ),
        (
            {"level": "engineering/ic/IC99"},
            "level",
            "Select a valid choice. engineering/ic/IC99 is not one of the available choices.",
        ),
        (
            {"level": "engineering/ic/IC3", "level_since": "2023-12-31"},
            "level_since",
            "2023-12-31 is before Emi Employee reached IC2 (2024-03-01); a new level starts after the "
            "current one",
        ),
        (
            {"full_name": ""},
            "full_name",
            "This field is required.",
        ),
        (
            {"level_since": "31/12/2025"},
            "level_since",
            "Enter a valid date.",
        ),
    ],
)
def test_a_bad_form_names_the_field_and_changes_nothing(
    login: Any, hr_admin: User, changes: dict[str, str], field: str, message: str
) -> None:
    person = emi()
    before = _snapshot()
    response = login(hr_admin).post(
        f"/people/{person.pk}/edit/", _form(person, title="Changed too", team="New team", **changes)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>' in html
    assert _snapshot() == before


def test_a_manager_who_reports_to_the_person_would_close_a_circle(login: Any, hr_admin: User) -> None:
    sara = Person.objects.get(employee_id="E001")
    before = _snapshot()
    response = login(hr_admin).post(f"/people/{sara.pk}/edit/", _form(sara, manager="E003"))
    assert response.status_code == 400
    assert (
        "Emi Employee already reports to Sara Skip (Emi Employee → Mo Manager → Sara Skip); the "
        "reporting line would go round in a circle"
    ) in response.content.decode()
    assert _snapshot() == before


def test_a_level_dated_too_far_ahead_is_refused(login: Any, hr_admin: User) -> None:
    person = emi()
    too_late = timezone.localdate() + datetime.timedelta(days=LEVEL_DATE_MAX_DAYS_AHEAD + 1)
    latest = timezone.localdate() + datetime.timedelta(days=LEVEL_DATE_MAX_DAYS_AHEAD)
    before = _snapshot()
    response = login(hr_admin).post(
        f"/people/{person.pk}/edit/",
        _form(person, level="engineering/ic/IC3", level_since=too_late.isoformat()),
    )
    assert response.status_code == 400
    assert (
        f"{too_late.isoformat()} is more than {LEVEL_DATE_MAX_DAYS_AHEAD} days ahead; a level change "
        f"may be dated up to {latest.isoformat()}"
    ) in response.content.decode()
    assert _snapshot() == before


def test_the_profile_links_the_level_and_offers_editing_to_hr_only(
    login: Any, hr_admin: User, manager: User, client: Client
) -> None:
    person = emi()
    html = login(hr_admin).get(f"/people/{person.pk}/").content.decode()
    assert (
        '<a href="/framework/families/engineering/ic/levels/IC2/"><span class="level-code">IC2</span> '
        "Developing</a>"
    ) in html
    assert f'<a class="button" href="/people/{person.pk}/edit/">Edit</a>' in html
    client.logout()
    html = login(manager).get(f"/people/{person.pk}/").content.decode()
    assert 'href="/framework/families/engineering/ic/levels/IC2/"' in html
    assert "/edit/" not in html
    assert login(manager).get(f"/people/{person.pk}/edit/").status_code == 403


@pytest.mark.parametrize("actor", ["manager", "it_admin", "employee"])
def test_only_hr_may_edit_through_the_service(personas: dict[str, User], actor: str) -> None:
    from django.core.exceptions import PermissionDenied

    from trellis.web.people.services import person_edit

    person = emi()
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        person_edit(
            actor=personas[actor],
            person=person,
            full_name="Changed",
            title="",
            team_name="",
            manager=None,
            family_id="engineering",
            track_id="ic",
            level_code="IC3",
            level_since=None,
        )
    assert _snapshot() == before


def test_a_level_date_before_the_hire_date_is_refused(login: Any, hr_admin: User) -> None:
    person = emi()
    Person.objects.filter(pk=person.pk).update(level_since=datetime.date(2022, 9, 1))
    before = _snapshot()
    response = login(hr_admin).post(f"/people/{person.pk}/edit/", _form(emi(), level_since="2022-08-31"))
    assert response.status_code == 400
    assert "2022-08-31 is before Emi Employee&#x27;s hire date (2022-09-01)" in response.content.decode()
    assert _snapshot() == before
