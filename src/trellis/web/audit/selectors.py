"""Reading the audit trail."""

from __future__ import annotations

from django.db.models import QuerySet

from trellis.web import policy
from trellis.web.accounts.viewer import Viewer
from trellis.web.audit.models import AuditEvent
from trellis.web.policy import Action


def audit_event_list(*, viewer: Viewer) -> QuerySet[AuditEvent]:
    """Every event, newest first, with its actor; PermissionDenied unless `viewer` reads the trail."""
    policy.require(viewer, Action.AUDIT_VIEW)
    return AuditEvent.objects.select_related("actor").order_by("-created_at", "-id")
