"""The audit trail: who did what to which record, when, and from where."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """One write, as recorded by the service that made it, in the same transaction.

    ``fields`` names the fields that changed, never their values: the trail is readable by IT admins,
    who must not learn a person's level or ratings from it. Events are append-only.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # An account is deactivated rather than deleted; should one be deleted, its history stays.
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    action = models.CharField(max_length=64, help_text='What happened, e.g. "person.updated".')
    target_type = models.CharField(max_length=64, blank=True, help_text='e.g. "people.person".')
    target_id = models.CharField(max_length=64, blank=True)
    fields = models.JSONField(default=list, blank=True)
    ip = models.GenericIPAddressField("IP address", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_event_target"),
            models.Index(fields=["-created_at"], name="audit_event_newest_first"),
            # The newest event of a kind of record in one index step: the skills heatmaps' inputs
            # key reads the newest write to a person (`growth.heatmap_snapshots`).
            models.Index(fields=["target_type", "id"], name="audit_event_type_newest"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(action=""), name="auditevent_action_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("audit events are append-only")
