"""The readiness page of one person: where they stand for their next level, criterion by
criterion, and their readiness across cycles (a chart drawn on the server); and HR's what-if of the
draft's promotion criteria."""

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
from trellis.web.promotions.whatif_selectors import readiness_what_if


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


@require_safe
def readiness_what_if_page(request: HttpRequest) -> HttpResponse:
    """What the draft's promotion criteria would change (HR): per level, the share ready under the
    published version and under the draft, and who would change status. 403 for anyone else."""
    result = readiness_what_if(viewer=viewer(request))
    return render(request, "promotions/readiness_what_if.html", {"what_if": result})
