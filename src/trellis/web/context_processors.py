"""Template context every page needs: the CSP nonce and the viewer's navigation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from trellis.web import policy
from trellis.web.accounts.viewer import viewer as request_viewer
from trellis.web.notifications.selectors import notification_unread_count
from trellis.web.policy import Action


def csp_nonce(request: HttpRequest) -> dict[str, Any]:
    """``csp_nonce`` for `{% htmx_script %}` and our own script tags (lazy: made only if used)."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}


@dataclass(frozen=True, slots=True)
class NavigationItem:
    label: str
    url: str
    #: The URL namespaces (or view names) whose pages mark this item as the current one.
    sections: tuple[str, ...]
    #: A count shown beside the label (unread notifications), when there is one.
    count: int = 0


#: The URL namespaces of the review pages: cycles and assessments, peer feedback, calibration.
REVIEW_SECTIONS = ("reviews", "feedback", "calibration")


def _navigation_items(request: HttpRequest) -> list[NavigationItem]:
    viewer = request_viewer(request)
    if not viewer.is_authenticated:
        return []
    items = [NavigationItem("Home", reverse("home"), ("home",))]
    if policy.can(viewer, Action.FRAMEWORK_VIEW):
        items.append(NavigationItem("Framework", reverse("frameworks:index"), ("frameworks",)))
    if policy.can(viewer, Action.FRAMEWORK_VIEW_DRAFT):
        items.append(NavigationItem("Authoring", reverse("authoring:overview"), ("authoring",)))
    if policy.can(viewer, Action.REVIEWS_MINE) and policy.viewer_person(viewer) is not None:
        items.append(NavigationItem("Reviews", reverse("reviews:mine"), REVIEW_SECTIONS))
    elif policy.can(viewer, Action.CYCLE_MANAGE):
        items.append(NavigationItem("Reviews", reverse("reviews:cycles"), REVIEW_SECTIONS))
    if policy.can(viewer, Action.PEOPLE_LIST):
        items.append(NavigationItem("People", reverse("people:list"), ("people", "imports")))
    if policy.can(viewer, Action.PROMOTION_LIST):
        items.append(NavigationItem("Promotions", reverse("promotions:index"), ("promotions",)))
    elif policy.can(viewer, Action.PROMOTION_OVERVIEW):
        items.append(NavigationItem("Promotions", reverse("promotions:overview"), ("promotions",)))
    if policy.can(viewer, Action.OPPORTUNITY_LIST) and policy.viewer_person(viewer) is not None:
        items.append(NavigationItem("Opportunities", reverse("mobility:index"), ("mobility",)))
    if policy.can(viewer, Action.NOTIFICATIONS_VIEW) and policy.viewer_person(viewer) is not None:
        unread = notification_unread_count(viewer=viewer)
        items.append(
            NavigationItem("Notifications", reverse("notifications:list"), ("notifications",), unread)
        )
    if policy.can(viewer, Action.ADMIN_VIEW):
        items.append(NavigationItem("Admin", reverse("accounts:admin"), ("accounts", "audit")))
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    """``navigation``: the header links this viewer may follow; ``current_section``: where they are."""
    match = getattr(request, "resolver_match", None)
    section = ""
    if match is not None:
        section = match.namespace or match.url_name or ""
    # Lazy: read only by a template that shows the header. An htmx answer (a fragment: the
    # assessment's autosave status, a fieldset) never asks, and so costs none of its queries.
    return {"navigation": SimpleLazyObject(lambda: _navigation_items(request)), "current_section": section}
