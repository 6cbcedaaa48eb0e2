"""People services: permission, validation against the framework, acyclic reporting lines,
history and audit — and nothing changes on a refusal."""

from __future__ import annotations

import contextlib
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from trellis.organisation.person_fields import MAX_LENGTHS
from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people.models import Person, PersonChange, Team
from trellis.web.people.services import person_create, person_set_manager, person_update, team_get_or_create

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[list[tuple[object, ...]], int, int]:
    """Everything a people service could write: people rows, history and audit counts."""
    people = list(Person.objects.order_by("pk").values_list())
    return people, PersonChange.objects.count(), AuditEvent.objects.count()


def create_kwargs(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "employee_id": "N100",
        "email": " New.Person@Example.com ",
        "full_name": "Nia New",
        "family_id": "engineering",
        "track_id": "ic",
        "level_code": "IC3",
        "level_since": datetime.date(2025, 1, 6),
        "hired_on": datetime.date(2024, 5, 1),
        "title": "Software Engineer III",
    }
    values.update(overrides)
    return values


class TestPersonCreate:
    def test_creates_and_audits(
        self, hr_admin: User, manager: User, published_framework: FrameworkVersion
    ) -> None:
        person = person_create(actor=hr_admin, manager=manager.person, **create_kwargs())  # type: ignore[arg-type]
        stored = Person.objects.get(employee_id="N100")
        assert stored.pk == person.pk
        assert stored.email == "new.person@example.com"
        assert (stored.family_id, stored.track_id, stored.level_code) == ("engineering", "ic", "IC3")
        assert stored.manager_id == manager.person.pk
        event = AuditEvent.objects.get(action="person.created")
        assert event.actor_id == hr_admin.pk
        assert (event.target_type, event.target_id) == ("people.person", str(person.pk))
        assert event.fields == sorted(
            [
                "employee_id", "email", "full_name", "title", "family_id", "track_id",
                "level_code", "level_since", "manager", "hired_on",
            ]
        )  # fmt: skip
        assert PersonChange.objects.count() == 0

    @pytest.mark.parametrize("persona", ["employee", "manager", "coauthor", "it_admin"])
    def test_only_hr_may_create(self, persona: str, personas: dict[str, User]) -> None:
        before = snapshot()
        with pytest.raises(PermissionDenied):
            person_create(actor=personas[persona], **create_kwargs())  # type: ignore[arg-type]
        assert snapshot() == before

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"family_id": "design"}, "family_id", '"design" is not a job family of the framework'),
            ({"track_id": "principal"}, "track_id", '"principal" is not a track of Engineering'),
            (
                {"level_code": "IC9"},
                "level_code",
                '"IC9" is not a level of Engineering Individual contributor',
            ),
            ({"employee_id": "E003"}, "employee_id", "Person with this Employee ID already exists."),
            ({"email": "EMPLOYEE@example.com"}, "email", "Person with this E-mail address already exists."),
            ({"email": "not an address"}, "email", "Enter a valid email address."),
        ],
    )
    def test_refuses_bad_values_by_field(
        self,
        hr_admin: User,
        employee: User,
        published_framework: FrameworkVersion,
        overrides: dict[str, object],
        field: str,
        message: str,
    ) -> None:
        before = snapshot()
        with pytest.raises(ValidationError) as caught:
            person_create(actor=hr_admin, **create_kwargs(**overrides))  # type: ignore[arg-type]
        assert list(caught.value.message_dict) == [field]
        assert caught.value.message_dict[field][0].startswith(message)
        assert snapshot() == before

    def test_refuses_an_inactive_manager(self, hr_admin: User, outsider: User) -> None:
        outsider.person.is_active = False
        outsider.person.save(update_fields=["is_active"])
        before = snapshot()
        with pytest.raises(ValidationError) as caught:
            person_create(actor=hr_admin, manager=outsider.person, **create_kwargs())  # type: ignore[arg-type]
        assert caught.value.message_dict == {"manager": ["Ola Outsider is no longer active"]}
        assert snapshot() == before

    def test_the_database_refuses_a_level_date_before_the_hire_date(self, employee: User) -> None:
        person = employee.person
        with pytest.raises(IntegrityError), transaction.atomic():
            Person.objects.filter(pk=person.pk).update(level_since=datetime.date(2020, 1, 1))


class TestPersonUpdate:
    def test_a_promotion_writes_history_and_audit(
        self, hr_admin: User, employee: User, published_framework: FrameworkVersion
    ) -> None:
        person = employee.person
        person_update(actor=hr_admin, person=person, level_code="IC3", title="Software Engineer III")
        stored = Person.objects.get(pk=person.pk)
        assert stored.level_code == "IC3"
        assert stored.level_since == timezone.localdate()
        assert stored.title == "Software Engineer III"
        assert person.level_code == "IC3"  # the caller's object follows
        change = PersonChange.objects.get(person=stored)
        assert (change.kind, change.old_value, change.new_value) == (
            "level",
            "engineering/ic/IC2",
            "engineering/ic/IC3",
        )
        assert change.changed_by_id == hr_admin.pk
        event = AuditEvent.objects.get(action="person.updated")
        assert event.fields == ["level_code", "level_since", "title"]

    def test_a_move_to_management_with_its_date(
        self, hr_admin: User, employee: User, published_framework: FrameworkVersion
    ) -> None:
        person_update(
            actor=hr_admin,
            person=employee.person,
            track_id="management",
            level_code="M1",
            level_since=datetime.date(2026, 1, 5),
        )
        stored = Person.objects.get(pk=employee.person.pk)
        assert (stored.track_id, stored.level_code, stored.level_since) == (
            "management",
            "M1",
            datetime.date(2026, 1, 5),
        )
        change = PersonChange.objects.get()
        assert (change.old_value, change.new_value) == ("engineering/ic/IC2", "engineering/management/M1")

    def test_changing_nothing_writes_nothing(self, hr_admin: User, employee: User) -> None:
        before = snapshot()
        person_update(actor=hr_admin, person=employee.person, level_code="IC2", full_name="Emi Employee")
        assert snapshot() == before

    def test_a_title_change_is_audited_without_history(self, hr_admin: User, employee: User) -> None:
        person_update(actor=hr_admin, person=employee.person, title="Engineer")
        assert PersonChange.objects.count() == 0
        assert AuditEvent.objects.get().fields == ["title"]

    def test_an_unknown_level_changes_nothing(
        self, hr_admin: User, employee: User, published_framework: FrameworkVersion
    ) -> None:
        before = snapshot()
        with pytest.raises(ValidationError) as caught:
            person_update(actor=hr_admin, person=employee.person, level_code="M1")
        assert list(caught.value.message_dict) == ["level_code"]
        assert snapshot() == before

    @pytest.mark.parametrize("persona", ["employee", "manager", "skip_level_manager", "coauthor", "it_admin"])
    def test_only_hr_may_update(self, persona: str, personas: dict[str, User]) -> None:
        before = snapshot()
        with pytest.raises(PermissionDenied):
            person_update(actor=personas[persona], person=personas["employee"].person, level_code="IC3")
        assert snapshot() == before


class TestPersonSetManager:
    def test_moves_and_writes_history_and_audit(
        self, hr_admin: User, employee: User, other_manager: User
    ) -> None:
        person_set_manager(actor=hr_admin, person=employee.person, manager=other_manager.person)
        assert Person.objects.get(pk=employee.person.pk).manager_id == other_manager.person.pk
        change = PersonChange.objects.get()
        assert (change.kind, change.old_value, change.new_value) == ("manager", "E002", "E004")
        event = AuditEvent.objects.get()
        assert (event.action, event.fields) == ("person.manager_changed", ["manager"])

    def test_to_nobody(self, hr_admin: User, employee: User) -> None:
        person_set_manager(actor=hr_admin, person=employee.person, manager=None)
        assert Person.objects.get(pk=employee.person.pk).manager_id is None
        change = PersonChange.objects.get()
        assert (change.old_value, change.new_value) == ("E002", "")

    def test_the_same_manager_writes_nothing(self, hr_admin: User, employee: User, manager: User) -> None:
        before = snapshot()
        person_set_manager(actor=hr_admin, person=employee.person, manager=manager.person)
        assert snapshot() == before

    def test_refuses_a_direct_cycle(self, hr_admin: User, employee: User, manager: User) -> None:
        before = snapshot()
        with pytest.raises(ValidationError) as caught:
            person_set_manager(actor=hr_admin, person=manager.person, manager=employee.person)
        assert caught.value.message_dict == {
            "manager": [
                "Emi Employee already reports to Mo Manager (Emi Employee → Mo Manager); "
                "the reporting line would go round in a circle"
            ]
        }
        assert snapshot() == before

    def test_refuses_a_longer_cycle(self, hr_admin: User, employee: User, skip_level_manager: User) -> None:
        before = snapshot()
        with pytest.raises(ValidationError) as caught:
            person_set_manager(actor=hr_admin, person=skip_level_manager.person, manager=employee.person)
        assert caught.value.message_dict == {
            "manager": [
                "Emi Employee already reports to Sara Skip (Emi Employee → Mo Manager → Sara Skip); "
                "the reporting line would go round in a circle"
            ]
        }
        assert snapshot() == before

    def test_refuses_self_management(self, hr_admin: User, employee: User) -> None:
        before = snapshot()
        with pytest.raises(ValidationError) as caught:
            person_set_manager(actor=hr_admin, person=employee.person, manager=employee.person)
        assert caught.value.message_dict == {"manager": ["Emi Employee cannot be their own manager"]}
        assert snapshot() == before

    def test_the_database_refuses_self_management_too(self, employee: User) -> None:
        with pytest.raises(IntegrityError), transaction.atomic():
            Person.objects.filter(pk=employee.person.pk).update(manager=employee.person.pk)

    @pytest.mark.parametrize(
        "persona", ["employee", "manager", "skip_level_manager", "other_manager", "it_admin"]
    )
    def test_only_hr_may_move_people(self, persona: str, personas: dict[str, User]) -> None:
        before = snapshot()
        with pytest.raises(PermissionDenied):
            person_set_manager(
                actor=personas[persona],
                person=personas["employee"].person,
                manager=personas["other_manager"].person,
            )
        assert snapshot() == before

    def test_reporting_lines_stay_a_forest(self, hr_admin: User, personas: dict[str, User]) -> None:
        """Any sequence of accepted moves leaves every chain ending at someone without a manager."""
        people = list(Person.objects.order_by("employee_id"))
        for person in people:
            for candidate in people:
                with contextlib.suppress(ValidationError):
                    person_set_manager(actor=hr_admin, person=person, manager=candidate)
        managers = dict(Person.objects.values_list("pk", "manager_id"))
        for start in managers:
            seen, current = set(), start
            while current is not None:
                assert current not in seen
                seen.add(current)
                current = managers[current]


def test_team_get_or_create_tidies_the_name_and_audits_once(hr_admin: User) -> None:
    first = team_get_or_create(actor=hr_admin, name="  Data   Platform ")
    second = team_get_or_create(actor=hr_admin, name="Data Platform")
    assert first.pk == second.pk
    assert list(Team.objects.values_list("name", flat=True)) == ["Data Platform"]
    assert AuditEvent.objects.filter(action="team.created").count() == 1


def test_the_models_take_their_lengths_from_the_declaration_of_a_person() -> None:
    assert {
        "employee_id": Person._meta.get_field("employee_id").max_length,
        "email": Person._meta.get_field("email").max_length,
        "full_name": Person._meta.get_field("full_name").max_length,
        "title": Person._meta.get_field("title").max_length,
        "team": Team._meta.get_field("name").max_length,
    } == MAX_LENGTHS
