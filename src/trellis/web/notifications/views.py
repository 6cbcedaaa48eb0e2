"""The Notifications page: what was sent to the viewer, and marking it read."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from trellis.web import policy
from trellis.web.accounts.viewer import signed_in, viewer
from trellis.web.notifications.selectors import notification_get, notification_list
from trellis.web.notifications.services import notification_mark_read, notifications_mark_all_read

NOTIFICATIONS_PER_PAGE = 50


@require_safe
def notification_index(request: HttpRequest) -> HttpResponse:
    notifications = notification_list(viewer=viewer(request))
    page = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    user = viewer(request)
    notification = notification_get(viewer=user, notification_id=notification_id)
    notification_mark_read(actor=signed_in(request), notification=notification)
    if notification.link and request.POST.get("follow"):
        return HttpResponseRedirect(notification.link)
    return HttpResponseRedirect(reverse("notifications:list"))


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    notification_list(viewer=user)  # the policy's answer, before any write
    person = policy.viewer_person(user)
    if person is not None:
        notifications_mark_all_read(actor=signed_in(request), recipient=person)
    return HttpResponseRedirect(reverse("notifications:list"))
