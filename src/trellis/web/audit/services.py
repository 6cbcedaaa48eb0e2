"""Recording audit events. Every service that writes calls `audit_record` inside its transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.http import HttpRequest

from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.middleware import client_ip, current_ip
from trellis.web.audit.models import AuditEvent


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
    action = AuditAction(action)
    if actor is not None and not actor.is_authenticated:
        actor = None
    event = AuditEvent(
        actor=actor,
        action=action.value,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        fields=sorted(set(fields)),
        ip=client_ip(request) if request is not None else current_ip.get(),
    )
    event.full_clean()
    event.save()
    return event
