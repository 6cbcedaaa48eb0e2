"""The writes of 1:1s: a manager plans a meeting with a report; either of the two adds to its
agenda (and ticks items off), writes shared notes (both read them) and private notes (only the
author ever reads them).

Every function is keyword-only and atomic; the policy is asked first (`Action.ONE_ON_ONE_GUIDE` to
plan a meeting, `Action.ONE_ON_ONE_VIEW` — the pair alone — for everything else), and a refusal of
the person's own making raises `OneOnOneProblem` naming the form field, leaving everything as it
was. The audit records that a meeting was planned, an agenda item added or ticked and a shared note
written — field names, never the text; private notes are not audited at all, since even that one
exists is their author's alone.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import audit_record
from trellis.web.growth.models import (
    GROWTH_TEXT_MAX_LENGTH,
    GROWTH_TITLE_MAX_LENGTH,
    AgendaItem,
    OneOnOne,
    PrivateNote,
    SharedNote,
)
from trellis.web.people.models import Person
from trellis.web.policy import Action

__all__ = [
    "AGENDA_TEXT_MAX_LENGTH",
    "NOTE_TEXT_MAX_LENGTH",
    "OneOnOneProblem",
    "agenda_item_add",
    "agenda_item_tick",
    "one_on_one_create",
    "private_note_add",
    "shared_note_add",
]

AGENDA_TEXT_MAX_LENGTH = GROWTH_TITLE_MAX_LENGTH * 2
NOTE_TEXT_MAX_LENGTH = GROWTH_TEXT_MAX_LENGTH
#: How far from today a meeting may be planned, either way.
PLANNING_HORIZON = datetime.timedelta(days=366)


class OneOnOneProblem(Exception):
    """A write refused for a reason the person can fix: `message` says it, `field` names the form
    field it concerns."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _author(actor: User, meeting: OneOnOne) -> Person:
    """The actor's person, one of the meeting's pair; Http404 for anyone else."""
    policy.require_visible(actor, Action.ONE_ON_ONE_VIEW, meeting)
    person = policy.viewer_person(actor)
    assert person is not None  # the pair are people
    return person


def _text(text: str, *, limit: int, field: str, empty: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise OneOnOneProblem(empty, field)
    if len(cleaned) > limit:
        raise OneOnOneProblem(f"Keep it to {limit} characters (this is {len(cleaned)}).", field)
    return cleaned


def one_on_one_create(*, actor: User, report: Person, happens_on: datetime.date) -> OneOnOne:
    """Plan a 1:1 of the actor (the report's direct manager) with `report` on `happens_on`, within a
    year of today either way (a past one records a meeting held). Http404 unless the actor is the
    report's manager."""
    policy.require_visible(actor, Action.ONE_ON_ONE_GUIDE, report)
    manager = policy.viewer_person(actor)
    assert manager is not None
    today = timezone.localdate()
    if abs(happens_on - today) > PLANNING_HORIZON:
        raise OneOnOneProblem("Choose a date within a year of today.", "happens_on")
    with transaction.atomic():
        meeting = OneOnOne.objects.create(manager=manager, report=report, happens_on=happens_on)
        audit_record(
            actor=actor, action=AuditAction.ONE_ON_ONE_CREATED, target=meeting, fields=["happens_on"]
        )
    return meeting


def agenda_item_add(*, actor: User, meeting: OneOnOne, text: str) -> AgendaItem:
    """Add a topic to the meeting's agenda, as either of its two people."""
    author = _author(actor, meeting)
    cleaned = _text(text, limit=AGENDA_TEXT_MAX_LENGTH, field="text", empty="Write the topic.")
    with transaction.atomic():
        item = AgendaItem.objects.create(meeting=meeting, author=author, text=cleaned)
        audit_record(actor=actor, action=AuditAction.ONE_ON_ONE_AGENDA_ADDED, target=item, fields=["text"])
    return item


def agenda_item_tick(*, actor: User, meeting: OneOnOne, item_id: int, done: bool) -> AgendaItem:
    """Tick an item of the meeting's agenda off (`done`) or reopen it, as either of its two people.
    Http404 for an item of another meeting."""
    _author(actor, meeting)
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().filter(meeting=meeting, pk=item_id).first()
        if item is None:
            raise Http404("no such agenda item")
        if item.done != done:
            item.done = done
            item.save(update_fields=["done"])
            audit_record(
                actor=actor, action=AuditAction.ONE_ON_ONE_AGENDA_TICKED, target=item, fields=["done"]
            )
    return item


def shared_note_add(*, actor: User, meeting: OneOnOne, text: str) -> SharedNote:
    """A note both people of the meeting read, as either of them."""
    author = _author(actor, meeting)
    cleaned = _text(text, limit=NOTE_TEXT_MAX_LENGTH, field="text", empty="Write the note.")
    with transaction.atomic():
        note = SharedNote.objects.create(meeting=meeting, author=author, text=cleaned)
        audit_record(
            actor=actor, action=AuditAction.ONE_ON_ONE_SHARED_NOTE_ADDED, target=note, fields=["text"]
        )
    return note


def private_note_add(*, actor: User, meeting: OneOnOne, text: str) -> PrivateNote:
    """A note only its author ever reads, as either of the meeting's people. Not audited (see the
    module's docstring)."""
    author = _author(actor, meeting)
    cleaned = _text(text, limit=NOTE_TEXT_MAX_LENGTH, field="text", empty="Write the note.")
    with transaction.atomic():
        return PrivateNote.objects.create(meeting=meeting, author=author, text=cleaned)
