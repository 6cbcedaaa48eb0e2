"""People leaving and rejoining the company: the profile's "Mark as left" and "Mark as rejoined",
and the one hook every change of `Person.is_active` goes through — the profile, `person_update`,
`person_create`, the import's bulk writer, and later provisioning.

`people_activity_changed` records an `EmploymentChange` per person and hands the people over to
`accounts.leaving`, which deactivates their accounts, ends their sessions and removes their roles
(or, for those who rejoined, restores the sign-in), all in the caller's transaction and in a fixed
number of queries whatever the number of people.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trellis.web import policy
from trellis.web.accounts import leaving as account_leaving
from trellis.web.accounts.models import User
from trellis.web.accounts.viewer import Viewer
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import audit_record
from trellis.web.people.models import EmploymentChange, Person
from trellis.web.policy import Action

#: The longest reason kept for a person leaving or rejoining.
REASON_MAX_LENGTH: Final = 1000


def people_activity_changed(
    *,
    actor: User,
    left: Sequence[Person] = (),
    rejoined: Sequence[Person] = (),
    on: datetime.date,
    source: EmploymentChange.Source,
    reason: str = "",
) -> None:
    """Record that `left` became inactive and `rejoined` active again (already saved so by the
    caller) on `on`, and cascade to their accounts (`accounts.leaving`). Raises
    `accounts.leaving.AccountRefused` when an account may not be deactivated (the actor's own, the
    last HR admin): the caller's transaction then rolls back."""
    rows = [
        EmploymentChange(
            person=person, kind=kind, effective_on=on, reason=reason, source=source, changed_by=actor
        )
        for kind, people in ((EmploymentChange.Kind.LEFT, left), (EmploymentChange.Kind.REJOINED, rejoined))
        for person in people
    ]
    if not rows:
        return
    EmploymentChange.objects.bulk_create(rows)
    account_leaving.people_left(actor=actor, person_ids=[person.pk for person in left])
    account_leaving.people_rejoined(actor=actor, person_ids=[person.pk for person in rejoined])


def _clean(*, person: Person, on: datetime.date, reason: str) -> str:
    if on > timezone.localdate():
        raise ValidationError({"on": "a date in the future: mark it on the day"})
    if person.hired_on is not None and on < person.hired_on:
        raise ValidationError({"on": f"before {person.full_name} was hired ({person.hired_on:%Y-%m-%d})"})
    cleaned = reason.strip()
    if len(cleaned) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": f"at most {REASON_MAX_LENGTH} characters (it has {len(cleaned)})"})
    return cleaned


def _set_active(*, actor: User, person: Person, is_active: bool, on: datetime.date, reason: str) -> Person:
    policy.require(actor, Action.PERSON_UPDATE, person)
    stored = Person.objects.select_for_update().get(pk=person.pk)
    if stored.is_active == is_active:
        state = "active" if is_active else "marked as left"
        raise ValidationError({"on": f"{stored.full_name} is already {state}"}, code="unchanged")
    cleaned = _clean(person=stored, on=on, reason=reason)
    stored.is_active = is_active
    stored.save(update_fields=["is_active"])
    try:
        people_activity_changed(
            actor=actor,
            left=[] if is_active else [stored],
            rejoined=[stored] if is_active else [],
            on=on,
            source=EmploymentChange.Source.PROFILE,
            reason=cleaned,
        )
    except account_leaving.AccountRefused as refused:
        raise ValidationError({"on": refused.message_text}) from None
    audit_record(
        actor=actor,
        action=AuditAction.PERSON_REJOINED if is_active else AuditAction.PERSON_LEFT,
        target=stored,
        fields=["is_active", "effective_on", *(["reason"] if cleaned else [])],
    )
    person.is_active = is_active
    return person


@transaction.atomic
def person_mark_left(*, actor: User, person: Person, left_on: datetime.date, reason: str = "") -> Person:
    """Mark `person` as having left on `left_on` (today or earlier), with an optional reason. HR only.

    Their account is deactivated, its sessions ended and its roles removed in the same
    transaction. Raises ValidationError naming the field (``on``, ``reason``) — a date in the
    future or before the hire date, a person already marked as left, HR marking their own person
    or the last active HR admin — and changes nothing then.
    """
    return _set_active(actor=actor, person=person, is_active=False, on=left_on, reason=reason)


@transaction.atomic
def person_mark_rejoined(
    *, actor: User, person: Person, rejoined_on: datetime.date, reason: str = ""
) -> Person:
    """Mark `person`, who had left, as active again from `rejoined_on`. HR only. Their account signs
    in again if it was deactivated because they left; their former roles are not given back."""
    return _set_active(actor=actor, person=person, is_active=True, on=rejoined_on, reason=reason)


def leaving_context(*, viewer: Viewer, person: Person) -> dict[str, object]:
    """What the profile's leaving actions show (`people/partials/leaving_actions.html`): whether
    `viewer` may mark `person` as left or rejoined, and the last time they left or rejoined (one
    query, for those who may; none for anyone else)."""
    if not policy.can(viewer, Action.PERSON_UPDATE, person):
        return {"can_mark_leaving": False, "employment_change": None}
    return {
        "can_mark_leaving": True,
        "employment_change": EmploymentChange.objects.filter(person=person).first(),
    }
