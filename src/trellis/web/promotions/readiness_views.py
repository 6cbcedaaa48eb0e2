"""The readiness page of one person: where they stand for their next level, criterion by
criterion, and their readiness across cycles (a chart drawn on the server)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from trellis.evaluation.readiness_chart import history_svg
from trellis.web import policy
from trellis.web.accounts.viewer import viewer
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.people.selectors import person_get
from trellis.web.policy import Action
from trellis.web.promotions.readiness_selectors import readiness_history_get, readiness_standing_get


@require_safe
def readiness_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    """404 for people the viewer may not see, or whose readiness they may not see."""
    user = viewer(request)
    person = person_get(viewer=user, person_id=person_id)
    policy.require_visible(user, Action.READINESS_VIEW, person)
    standing = readiness_standing_get(
        viewer=user, person=person, published=framework_published_get(viewer=user)
    )
    history = readiness_history_get(viewer=user, person=person)
    own = policy.viewer_person(user) == person
    title = "Your readiness across cycles" if own else f"Readiness of {person.full_name} across cycles"
    return render(
        request,
        "promotions/readiness_detail.html",
        {
            "person": person,
            "own": own,
            "standing": standing,
            "history": history,
            # The chart escapes every text it draws (trellis.evaluation.readiness_chart).
            "chart": mark_safe(history_svg(history, title=title)),
        },
    )
