"""Recording audit events. Every service that writes calls `audit_record` (or, for many events at
once, `audit_record_many`) inside its transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.db.models import (
    BigIntegerField,
    CharField,
    DateTimeField,
    GenericIPAddressField,
    JSONField,
    Value,
)
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.utils import timezone

from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.middleware import client_ip, current_ip
from trellis.web.audit.models import AuditEvent


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One event for `audit_record_many`: `action` done to `target`, changing `fields` (names)."""

    action: AuditAction
    target: models.Model | None
    fields: Sequence[str] = ()


def _event(*, actor: User | None, entry: AuditEntry, ip: str | None, **values: object) -> AuditEvent:
    """The event `entry` records, as every writer stores it: an action the enumeration knows, an
    anonymous actor as none, the target by its label and key, the field names sorted once each."""
    action = AuditAction(entry.action)
    if actor is not None and not actor.is_authenticated:
        actor = None
    target = entry.target
    return AuditEvent(
        actor=actor,
        action=action.value,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        fields=sorted(set(entry.fields)),
        ip=ip,
        **values,
    )


def _ip(request: HttpRequest | None) -> str | None:
    return client_ip(request) if request is not None else current_ip.get()


def audit_record(
    *,
    actor: User | None,
    action: AuditAction,
    target: models.Model | None,
    fields: Iterable[str] = (),
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one event: `actor` did `action` to `target`, changing `fields` (names only).
    ValueError for an action that is not an `AuditAction` (its value, as a string, is accepted).

    The client address comes from `request` when given, else from the request being served (set by
    `AuditContextMiddleware`), else it is empty (commands, tasks). An anonymous or missing actor is
    recorded as no actor. Call it inside the writing transaction so the event and the change are
    stored together or not at all.
    """
    event = _event(actor=actor, entry=AuditEntry(action, target, tuple(fields)), ip=_ip(request))
    # Validated without queries, as `audit_record_many` does: the actor is a stored account (looking
    # it up again would cost a query), and the one constraint, a non-empty action, holds for every
    # `AuditAction` (validating it costs three) — the database keeps both anyway. Every audited
    # write pays for this, an assessment's autosave every few seconds.
    event.clean_fields(exclude=["actor"])
    event.save()
    return event


def audit_record_many(
    *, actor: User | None, entries: Iterable[AuditEntry], request: HttpRequest | None = None
) -> list[AuditEvent]:
    """Append one event per entry, in order, as `audit_record` would, in one insert (none when
    there are no entries) whatever their number: for writers that change many records at once.
    The events share one time; their targets must have their primary keys.

    Each event's fields are validated without queries; the actor, common to all, is not looked up
    again (it is the caller's signed-in account).
    """
    ip = _ip(request)
    now = timezone.now()
    events = [_event(actor=actor, entry=entry, ip=ip, created_at=now) for entry in entries]
    for event in events:
        event.clean_fields(exclude=["actor"])
    if events:
        AuditEvent.objects.bulk_create(events)
    return events


def audit_record_selected(
    *,
    actor: User | None,
    action: AuditAction,
    targets: models.QuerySet[Any],
    fields: Iterable[str] = (),
    request: HttpRequest | None = None,
) -> int:
    """Append one event per row of `targets` (`action` done to it, changing `fields`), as
    `audit_record_many` would, in one INSERT … SELECT whatever their number: for writers that
    create or change rows in bulk without loading them (a cycle's notifications for 100,000
    people). The events share one time; returns how many were written."""
    action = AuditAction(action)
    if actor is not None and not actor.is_authenticated:
        actor = None
    selected = (
        targets.order_by()
        .annotate(
            audit_actor=Cast(Value(actor.pk if actor is not None else None), BigIntegerField()),
            audit_action=Value(action.value, output_field=CharField()),
            audit_target_type=Value(targets.model._meta.label_lower, output_field=CharField()),
            audit_target_id=Cast("pk", CharField()),
            audit_fields=Value(sorted(set(fields)), output_field=JSONField()),
            audit_ip=Value(_ip(request), output_field=GenericIPAddressField()),
            audit_created_at=Value(timezone.now(), output_field=DateTimeField()),
        )
        .values_list(
            "audit_actor",
            "audit_action",
            "audit_target_type",
            "audit_target_id",
            "audit_fields",
            "audit_ip",
            "audit_created_at",
        )
    )
    select_sql, params = selected.query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(name)
        for name in ("actor_id", "action", "target_type", "target_id", "fields", "ip", "created_at")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({columns}) {select_sql}", params)
        return int(cursor.rowcount)
