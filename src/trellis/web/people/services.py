"""Every write to people and teams: keyword-only, typed, atomic, permission-checked, audited, with
history. Imports are `people.import_services`'s, which write through `people.import_writing`.

Levels are checked against the current published framework (when there is one), so an unknown
family, track or level is a form error on that field rather than a person nobody can place.
"""

from __future__ import annotations

import datetime
from typing import Any, Final

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from trellis.organisation.levels import level_problems
from trellis.organisation.person_fields import FIELDS, LEVEL_FIELDS
from trellis.web import policy
from trellis.web.accounts.leaving import AccountRefused
from trellis.web.accounts.models import User, normalize_email
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import audit_record
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.people.leaving import people_activity_changed
from trellis.web.people.models import EmploymentChange, Person, PersonChange, Team, level_key
from trellis.web.policy import Action


class _Unset:
    """The value of an argument that was not given (None is a value: "no team")."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()

# Any constant works; it names the one PostgreSQL advisory lock that serialises manager changes.
_REPORTING_LINES_LOCK: Final = 7_418_263_001


def _check_level(actor: User, person: Person) -> None:
    """ValidationError unless `person`'s place is one of the published framework (as `actor` reads it)."""
    published = framework_published_get(viewer=actor)
    problems = level_problems(
        published.framework if published is not None else None,
        family_id=person.family_id,
        track_id=person.track_id,
        level_code=person.level_code,
    )
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def team_get_or_create(*, actor: User, name: str) -> Team:
    """The team called `name` (surrounding spaces ignored), created and audited if it is new."""
    policy.require(actor, Action.PERSON_UPDATE)
    cleaned = " ".join(name.split())
    existing = Team.objects.filter(name=cleaned).first()
    if existing is not None:
        return existing
    team = Team(name=cleaned)
    team.full_clean()
    team.save()
    audit_record(actor=actor, action=AuditAction.TEAM_CREATED, target=team, fields=["name"])
    return team


@transaction.atomic
def person_create(
    *,
    actor: User,
    employee_id: str,
    email: str,
    full_name: str,
    family_id: str,
    track_id: str,
    level_code: str,
    level_since: datetime.date,
    title: str = "",
    team: Team | None = None,
    manager: Person | None = None,
    hired_on: datetime.date | None = None,
    user: User | None = None,
    is_active: bool = True,
) -> Person:
    """Add an employee. HR only (PermissionDenied otherwise).

    Raises ValidationError naming the field: a duplicate employee ID or e-mail, a level the current
    framework does not have, a level date before the hire date, an inactive manager.
    """
    policy.require(actor, Action.PERSON_CREATE)
    if manager is not None and not manager.is_active:
        raise ValidationError({"manager": f"{manager.full_name} is no longer active"})
    person = Person(
        employee_id=employee_id.strip(),
        email=normalize_email(email),
        full_name=full_name.strip(),
        title=title,
        team=team,
        family_id=family_id,
        track_id=track_id,
        level_code=level_code,
        level_since=level_since,
        manager=manager,
        hired_on=hired_on,
        user=user,
        is_active=is_active,
    )
    person.full_clean()
    _check_level(actor, person)
    person.save()
    if not is_active and user is not None:
        _activity_changed(actor, person)
    _readiness_changed(person)
    audit_record(
        actor=actor,
        action=AuditAction.PERSON_CREATED,
        target=person,
        fields=person_created_fields(person),
    )
    return person


#: The fields the audit event of a new person names when they have a value: every field of a person
#: but "active" (a new person is, unless told otherwise), and the account.
_CREATED_FIELDS = (*(f.key for f in FIELDS if f.key != "is_active"), "user")


def person_created_fields(person: Person) -> list[str]:
    """The fields the audit event of a new `person` names: those given a value (related records
    by their id, so that nothing is fetched)."""
    attnames = {field.name: field.attname for field in Person._meta.concrete_fields}
    return [name for name in _CREATED_FIELDS if getattr(person, attnames[name]) not in (None, "")]


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: Person,
    email: str | _Unset = UNSET,
    full_name: str | _Unset = UNSET,
    title: str | _Unset = UNSET,
    team: Team | _Unset | None = UNSET,
    family_id: str | _Unset = UNSET,
    track_id: str | _Unset = UNSET,
    level_code: str | _Unset = UNSET,
    level_since: datetime.date | _Unset = UNSET,
    hired_on: datetime.date | _Unset | None = UNSET,
    is_active: bool | _Unset = UNSET,
) -> Person:
    """Change the given fields of `person` (arguments left out stay as they are). HR only.

    A change of family, track or level is written to the person's history; when `level_since` is
    not given with it, the person is at the new level from today. Nothing is written (no audit, no
    history) when nothing changes. Raises ValidationError naming the field on a bad value, and
    changes nothing then. `person` is updated in place and returned.
    """
    policy.require(actor, Action.PERSON_UPDATE, person)
    stored = Person.objects.select_for_update().get(pk=person.pk)
    requested: dict[str, Any] = {
        "email": normalize_email(email) if isinstance(email, str) else email,
        "full_name": full_name,
        "title": title,
        "team": team,
        "family_id": family_id,
        "track_id": track_id,
        "level_code": level_code,
        "level_since": level_since,
        "hired_on": hired_on,
        "is_active": is_active,
    }
    changed = [
        name for name, value in requested.items() if value is not UNSET and getattr(stored, name) != value
    ]
    level_changed = any(name in LEVEL_FIELDS for name in changed)
    if level_changed and "level_since" not in changed and level_since is UNSET:
        requested["level_since"] = timezone.localdate()
        if stored.level_since != requested["level_since"]:
            changed.append("level_since")
    if not changed:
        return stored
    old_level = level_key(stored.family_id, stored.track_id, stored.level_code)
    for name in changed:
        setattr(stored, name, requested[name])
    stored.full_clean()
    if level_changed:
        _check_level(actor, stored)
    stored.save(update_fields=changed)
    new_level = level_key(stored.family_id, stored.track_id, stored.level_code)
    if new_level != old_level:
        PersonChange.objects.create(
            person=stored,
            kind=PersonChange.Kind.LEVEL,
            old_value=old_level,
            new_value=new_level,
            changed_at=timezone.now(),
            changed_by=actor,
        )
    if "is_active" in changed:
        _activity_changed(actor, stored)
    if level_changed or {"level_since", "is_active"} & set(changed):
        _readiness_changed(stored)
    audit_record(actor=actor, action=AuditAction.PERSON_UPDATED, target=stored, fields=changed)
    _copy_fields(stored, into=person)
    return person


def _readiness_changed(person: Person) -> None:
    """A new person, level, level date or activity changes what readiness reads (after commit)."""
    # Imported here: the promotions services read people through this app's models.
    from trellis.web.promotions.readiness_services import readiness_inputs_changed

    readiness_inputs_changed([person.pk])


def _activity_changed(actor: User, person: Person) -> None:
    """`person` left or rejoined (as saved): their account follows (`people.leaving`). A refusal
    (the actor's own account, the last HR admin) is a ValidationError on ``is_active``."""
    try:
        people_activity_changed(
            actor=actor,
            left=[] if person.is_active else [person],
            rejoined=[person] if person.is_active else [],
            on=timezone.localdate(),
            source=EmploymentChange.Source.EDIT,
        )
    except AccountRefused as refused:
        raise ValidationError({"is_active": refused.message_text}) from None


def _copy_fields(source: Person, *, into: Person) -> None:
    for field in Person._meta.concrete_fields:
        setattr(into, field.attname, getattr(source, field.attname))


def lock_reporting_lines() -> None:
    """Serialise manager changes for the rest of the transaction.

    Two concurrent changes could each pass the cycle check and together close a loop (A under B
    while B goes under A). SQLite already runs one writing transaction at a time (IMMEDIATE mode);
    PostgreSQL needs this lock, which it releases at commit or rollback.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_REPORTING_LINES_LOCK])


def _chain_to(person: Person, manager: Person) -> list[Person] | None:
    """The line from `manager` up to `person` if `manager` already reports to `person`, else None."""
    chain = [manager]
    seen = {manager.pk}
    current_manager_id = manager.manager_id
    while current_manager_id is not None:
        if current_manager_id == person.pk:
            return chain
        if current_manager_id in seen:  # a loop that predates this check; stop rather than spin
            return None
        seen.add(current_manager_id)
        above = Person.objects.only("pk", "full_name", "manager_id").get(pk=current_manager_id)
        chain.append(above)
        current_manager_id = above.manager_id
    return None


@transaction.atomic
def person_set_manager(*, actor: User, person: Person, manager: Person | None) -> Person:
    """Make `manager` the manager of `person` (None: nobody). HR only.

    Reporting lines stay acyclic: raises ValidationError on the ``manager`` field when `manager` is
    `person` or already reports to them, directly or not, and when `manager` is inactive; nothing
    changes then. The change is written to `person`'s history by employee ID.
    """
    policy.require(actor, Action.PERSON_SET_MANAGER, person)
    lock_reporting_lines()
    stored = Person.objects.select_for_update(of=("self",)).select_related("manager").get(pk=person.pk)
    if manager is not None:
        manager = Person.objects.get(pk=manager.pk)
        if manager.pk == stored.pk:
            raise ValidationError({"manager": f"{stored.full_name} cannot be their own manager"})
        if not manager.is_active:
            raise ValidationError({"manager": f"{manager.full_name} is no longer active"})
        chain = _chain_to(stored, manager)
        if chain is not None:
            line = " → ".join(p.full_name for p in chain)
            raise ValidationError(
                {
                    "manager": (
                        f"{manager.full_name} already reports to {stored.full_name} ({line} → "
                        f"{stored.full_name}); the reporting line would go round in a circle"
                    )
                }
            )
    if stored.manager_id == (manager.pk if manager is not None else None):
        return stored
    old_manager = stored.manager
    stored.manager = manager
    stored.save(update_fields=["manager"])
    PersonChange.objects.create(
        person=stored,
        kind=PersonChange.Kind.MANAGER,
        old_value=old_manager.employee_id if old_manager is not None else "",
        new_value=manager.employee_id if manager is not None else "",
        changed_at=timezone.now(),
        changed_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.PERSON_MANAGER_CHANGED, target=stored, fields=["manager"])
    person.manager = manager
    return person


#: How far ahead a level change may be dated: a promotion agreed for the next quarter, not a guess
#: about next year. An earlier date than the person's current level date is refused too.
LEVEL_DATE_MAX_DAYS_AHEAD: Final = 92

#: The model's level fields, as the edit form names them together.
_LEVEL_FORM_FIELD: Final = "level"


@transaction.atomic
def person_edit(
    *,
    actor: User,
    person: Person,
    full_name: str,
    title: str,
    team_name: str,
    manager: Person | None,
    family_id: str,
    track_id: str,
    level_code: str,
    level_since: datetime.date | None,
) -> Person:
    """Change what the profile's edit page changes, all or nothing. HR only.

    The team is found or created by name (blank: no team); the manager is set by
    `person_set_manager` (cycles refused); a change of level takes effect on `level_since` (None:
    today), which may not be more than `LEVEL_DATE_MAX_DAYS_AHEAD` days ahead, before the person's
    current level date, or before their hire date. `level_since` without a level change corrects
    the date of the current level. Raises ValidationError keyed by the edit form's fields
    (``level`` for family, track and level) and changes nothing then; audit and history are the
    services' own.
    """
    policy.require(actor, Action.PERSON_UPDATE, person)
    policy.require(actor, Action.PERSON_SET_MANAGER, person)
    stored = Person.objects.get(pk=person.pk)
    level_changed = (family_id, track_id, level_code) != (
        stored.family_id,
        stored.track_id,
        stored.level_code,
    )
    effective = level_since if level_since is not None else (timezone.localdate() if level_changed else None)
    if effective is not None:
        check_level_date(stored, effective, level_changed=level_changed)
    team = team_get_or_create(actor=actor, name=team_name) if team_name.strip() else None
    try:
        person_update(
            actor=actor,
            person=stored,
            full_name=full_name,
            title=title,
            team=team,
            family_id=family_id,
            track_id=track_id,
            level_code=level_code,
            level_since=effective if effective is not None else UNSET,
        )
    except ValidationError as invalid:
        raise ValidationError(_edit_form_errors(invalid)) from None
    person_set_manager(actor=actor, person=stored, manager=manager)
    _copy_fields(Person.objects.get(pk=person.pk), into=person)
    return person


def check_level_date(person: Person, effective: datetime.date, *, level_changed: bool) -> None:
    """ValidationError on ``level_since`` unless `effective` may date `person`'s level (a new one
    when `level_changed`): at most `LEVEL_DATE_MAX_DAYS_AHEAD` days ahead, not before the current
    level date (for a new level), not before the hire date."""
    latest = timezone.localdate() + datetime.timedelta(days=LEVEL_DATE_MAX_DAYS_AHEAD)
    if effective > latest:
        raise ValidationError(
            {
                "level_since": (
                    f"{effective.isoformat()} is more than {LEVEL_DATE_MAX_DAYS_AHEAD} days ahead; "
                    f"a level change may be dated up to {latest.isoformat()}"
                )
            }
        )
    if level_changed and effective < person.level_since:
        raise ValidationError(
            {
                "level_since": (
                    f"{effective.isoformat()} is before {person.full_name} reached {person.level_code} "
                    f"({person.level_since.isoformat()}); a new level starts after the current one"
                )
            }
        )
    if person.hired_on is not None and effective < person.hired_on:
        raise ValidationError(
            {
                "level_since": (
                    f"{effective.isoformat()} is before {person.full_name}'s hire date "
                    f"({person.hired_on.isoformat()})"
                )
            }
        )


def _edit_form_errors(invalid: ValidationError) -> dict[str, list[str]]:
    """The services' errors keyed by the edit form's fields: family, track and level are one."""
    if not hasattr(invalid, "error_dict"):
        return {NON_FIELD_ERRORS: invalid.messages}
    errors: dict[str, list[str]] = {}
    for name, messages in invalid.message_dict.items():
        key = _LEVEL_FORM_FIELD if name in LEVEL_FIELDS else name
        errors.setdefault(key, []).extend(messages)
    return errors
