"""Reading one's notifications: a person sees only their own."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from trellis.web import policy
from trellis.web.accounts.viewer import Viewer
from trellis.web.notifications.models import Notification
from trellis.web.policy import Action


def notification_list(*, viewer: Viewer) -> QuerySet[Notification]:
    """The viewer's own notifications, newest first (none for an account without a person)."""
    policy.require(viewer, Action.NOTIFICATIONS_VIEW)
    person = policy.viewer_person(viewer)
    if person is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=person).order_by("-created_at", "-id")


def notification_get(*, viewer: Viewer, notification_id: int) -> Notification:
    """One of the viewer's own notifications; 404 for anyone else's (or none)."""
    found = notification_list(viewer=viewer).filter(pk=notification_id).first()
    if found is None:
        raise Http404("no such notification")
    return found


def notification_unread_count(*, viewer: Viewer) -> int:
    """How many of the viewer's notifications are unread: the header's count. Free when the
    session's account was loaded with it (`accounts.backends`), else one query."""
    if not policy.can(viewer, Action.NOTIFICATIONS_VIEW):
        return 0
    known = getattr(viewer, "unread_notifications", None)
    if isinstance(known, int):
        return known
    return notification_list(viewer=viewer).filter(read_at__isnull=True).count()
