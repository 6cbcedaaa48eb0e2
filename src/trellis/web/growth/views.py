"""Two pages of one person: their skill gaps — where they stand on each competency against a level
they choose (their next one by default), with the behaviour that would close each gap and the
evidence behind each figure — and the career path explorer: every move from where they are, each
explained against their figures."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from trellis.evaluation.gaps import GapStatus
from trellis.evaluation.paths import MoveKind
from trellis.framework import wording
from trellis.web import policy
from trellis.web.accounts.viewer import viewer
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.growth.selectors import gaps_page_get, moves_get
from trellis.web.people.selectors import person_get
from trellis.web.policy import Action


@require_safe
def gaps(request: HttpRequest, person_id: int) -> HttpResponse:
    """404 for people the viewer may not see, or whose gaps they may not see."""
    user = viewer(request)
    person = person_get(viewer=user, person_id=person_id)
    policy.require_visible(user, Action.GAPS_VIEW, person)
    published = framework_published_get(viewer=user)
    own = policy.viewer_person(user) == person
    if published is None:
        return render(request, "growth/gaps.html", {"person": person, "own": own, "page": None})
    page = gaps_page_get(viewer=user, person=person, published=published, target=request.GET.get("target"))
    rows = []
    summary = ""
    if page.report is not None:
        scale = published.framework.scale
        for gap in page.report.gaps:
            figure = gap.demonstrated
            rows.append(
                {
                    "gap": gap,
                    "figure": wording.rating_text(scale, figure.score) if figure is not None else "",
                    "provenance": wording.provenance(figure.source, figure.cycle)
                    if figure is not None
                    else "",
                    "expected": wording.rating_text(scale, gap.expected),
                    "shortfall": wording.score(gap.shortfall) if gap.shortfall else "",
                    "evidence": page.evidence.get(gap.competency, []),
                    "more_evidence": page.more_evidence.get(gap.competency, 0),
                }
            )
        summary = wording.gap_summary(
            len(page.report.by_status(GapStatus.MET)),
            len(page.report.by_status(GapStatus.SHORT)),
            len(page.report.by_status(GapStatus.UNKNOWN)),
        )
    status = 200 if not page.problem else 400
    return render(
        request,
        "growth/gaps.html",
        {
            "person": person,
            "own": own,
            "page": page,
            "rows": rows,
            "summary": summary,
            "may_plan": policy.can(user, Action.PLAN_EDIT, person),
        },
        status=status,
    )


#: How each kind of move is headed on the explorer, in the order shown.
MOVE_HEADINGS = {
    MoveKind.UP: "Up your track",
    MoveKind.CROSSOVER: "Across to another track",
    MoveKind.WAY_BACK: "The way back",
    MoveKind.LATERAL: "Lateral moves the framework names",
    MoveKind.DERIVED: "Other roles your competencies fit",
}


@require_safe
def paths(request: HttpRequest, person_id: int) -> HttpResponse:
    """The career path explorer of one person: every move from where they are, each explained."""
    user = viewer(request)
    person = person_get(viewer=user, person_id=person_id)
    policy.require_visible(user, Action.GAPS_VIEW, person)
    published = framework_published_get(viewer=user)
    own = policy.viewer_person(user) == person
    moves = moves_get(viewer=user, person=person, published=published) if published is not None else None
    groups = (
        [
            {"kind": kind, "heading": heading, "moves": [move for move in moves if move.kind == kind]}
            for kind, heading in MOVE_HEADINGS.items()
        ]
        if moves is not None
        else []
    )
    return render(
        request,
        "growth/paths.html",
        {
            "person": person,
            "own": own,
            "published": published,
            "known_level": moves is not None,
            "groups": [group for group in groups if group["moves"]],
            "may_plan": policy.can(user, Action.PLAN_EDIT, person),
        },
    )
