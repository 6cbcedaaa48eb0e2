"""Reads of 1:1s, scoped by the policy: the conversation guide a manager gets for a report, the
pair's meetings, and one meeting's agenda and notes.

A meeting is its pair's alone (`Action.ONE_ON_ONE_VIEW`): anyone else — HR and IT admins included
— is told it does not exist. Private notes are read here and nowhere else, and always filtered by
their author first (the viewer's own person): no function returns another person's private note,
whoever asks.

The guide (`trellis.evaluation.one_on_one.guide`) reads the report's gaps toward their next level,
readiness, development plan (goal progress, overdue actions) and recent check-ins, the feedback
about them the manager may read since the pair's last meeting, and the open applications the
manager may see — through `mobility.selectors.applications_shown_to_chain`, the one rule of what
an applicant's management chain sees (an application hidden from the manager never reaches here).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from trellis.evaluation.gaps import GapReport
from trellis.evaluation.one_on_one import Guide, GuideInputs, PlanGoalProgress, guide
from trellis.web import policy
from trellis.web.accounts.viewer import Viewer
from trellis.web.frameworks.selectors import PublishedFramework
from trellis.web.growth.models import (
    Action as PlanAction,
)
from trellis.web.growth.models import (
    AgendaItem,
    CheckIn,
    DevelopmentPlan,
    Goal,
    OneOnOne,
    PrivateNote,
    ProgressUpdate,
    SharedNote,
)
from trellis.web.growth.selectors import gaps_page_get
from trellis.web.mobility.models import Application
from trellis.web.mobility.selectors import applications_shown_to_chain
from trellis.web.people.models import Person
from trellis.web.policy import Action
from trellis.web.promotions.readiness_selectors import Standing, readiness_standing_get
from trellis.web.reviews.feedback_selectors import evidence_for_cycle
from trellis.web.reviews.models import EvidenceItem

__all__ = [
    "GuidePage",
    "MeetingPage",
    "guide_page_get",
    "meeting_page_get",
    "one_on_one_get",
    "one_on_ones_mine",
    "pair_meetings",
    "private_notes_of",
]

#: Without an earlier meeting, the guide counts the feedback of this many days.
RECENT_FEEDBACK_DAYS = 90
#: Feedback items and check-ins listed on the guide.
RECENT_ITEMS = 5
#: Applications in these stages are no longer open.
_CLOSED_STAGES = (Application.Stage.ACCEPTED, Application.Stage.DECLINED, Application.Stage.WITHDRAWN)
_OPEN_ACTION = (PlanAction.Status.PLANNED, PlanAction.Status.IN_PROGRESS)


def one_on_one_get(*, viewer: Viewer, one_on_one_id: int) -> OneOnOne:
    """The meeting with this id, with its two people; Http404 when it does not exist or `viewer`
    is not one of its pair (the two are not told apart)."""
    meeting = OneOnOne.objects.select_related("manager", "report").filter(pk=one_on_one_id).first()
    if meeting is None:
        raise Http404("no such meeting")
    policy.require_visible(viewer, Action.ONE_ON_ONE_VIEW, meeting)
    return meeting


def private_notes_of(*, viewer: Viewer, meeting: OneOnOne) -> list[PrivateNote]:
    """The private notes `viewer` wrote on `meeting`, oldest first: never anyone else's. Http404
    unless `viewer` is one of the meeting's pair."""
    policy.require_visible(viewer, Action.ONE_ON_ONE_VIEW, meeting)
    person = policy.viewer_person(viewer)
    if person is None:
        return []
    return list(PrivateNote.objects.filter(author=person, meeting=meeting).order_by("created_at", "id"))


@dataclass(frozen=True, slots=True)
class MeetingPage:
    meeting: OneOnOne
    agenda: list[AgendaItem]
    shared_notes: list[SharedNote]
    #: The viewer's own private notes (nobody else's, ever).
    private_notes: list[PrivateNote]
    #: Whether the viewer is the meeting's manager (who also has the report's guide).
    as_manager: bool


def meeting_page_get(*, viewer: Viewer, meeting: OneOnOne) -> MeetingPage:
    """What one of the pair reads of `meeting`: the agenda, the shared notes (with their authors)
    and their own private notes. Http404 for anyone else. Three queries."""
    policy.require_visible(viewer, Action.ONE_ON_ONE_VIEW, meeting)
    person = policy.viewer_person(viewer)
    return MeetingPage(
        meeting=meeting,
        agenda=list(meeting.agenda.select_related("author")),
        shared_notes=list(meeting.shared_notes.select_related("author")),
        private_notes=private_notes_of(viewer=viewer, meeting=meeting),
        as_manager=person is not None and person.pk == meeting.manager_id,
    )


def pair_meetings(*, viewer: Viewer, report: Person) -> list[OneOnOne]:
    """The meetings of `viewer` (as manager) with `report`, newest first. Http404 unless `viewer`
    is the report's manager."""
    policy.require_visible(viewer, Action.ONE_ON_ONE_GUIDE, report)
    manager = policy.viewer_person(viewer)
    return list(OneOnOne.objects.filter(manager=manager, report=report).order_by("-happens_on", "-id"))


def one_on_ones_mine(*, viewer: Viewer) -> list[OneOnOne]:
    """Every meeting `viewer`'s person is one of the pair of (as manager or as report), newest
    first, with both people. 403 for viewers without a person."""
    policy.require(viewer, Action.ONE_ON_ONE_MINE)
    person = policy.viewer_person(viewer)
    return list(
        OneOnOne.objects.filter(Q(manager=person) | Q(report=person))
        .select_related("manager", "report")
        .order_by("-happens_on", "-id")
    )


@dataclass(frozen=True, slots=True)
class GuidePage:
    report: Person
    guide: Guide
    gaps: GapReport | None
    standing: Standing | None
    plan: DevelopmentPlan | None
    goals: list[PlanGoalProgress]
    check_ins: list[CheckIn]
    #: Feedback about the report since the pair's last meeting, as the manager may read it, newest
    #: first (at most `RECENT_ITEMS`); `feedback_since` the day it counts from.
    feedback: list[EvidenceItem]
    feedback_since: datetime.date
    applications: list[Application]
    meetings: list[OneOnOne]


def _plan_progress(plan: DevelopmentPlan, today: datetime.date) -> list[PlanGoalProgress]:
    """Each open goal of `plan`, its latest recorded progress (None: nothing recorded) and its
    actions past their due date. Three queries."""
    goals = list(plan.goals.filter(status=Goal.Status.OPEN).order_by("position", "id"))
    ids = [goal.pk for goal in goals]
    latest: dict[int, int] = {}
    for goal_id, percent in (
        ProgressUpdate.objects.filter(goal_id__in=ids)
        .order_by("goal_id", "-created_at", "-id")
        .values_list("goal_id", "percent")
    ):
        latest.setdefault(goal_id, percent)
    overdue: dict[int, int] = {}
    for goal_id in PlanAction.objects.filter(
        goal_id__in=ids, status__in=_OPEN_ACTION, due_on__lt=today
    ).values_list("goal_id", flat=True):
        overdue[goal_id] = overdue.get(goal_id, 0) + 1
    return [
        PlanGoalProgress(
            title=goal.title,
            progress=latest[goal.pk] / 100 if goal.pk in latest else None,
            overdue_actions=overdue.get(goal.pk, 0),
        )
        for goal in goals
    ]


def guide_page_get(*, viewer: Viewer, report: Person, published: PublishedFramework | None) -> GuidePage:
    """The 1:1 page of `report` for their manager: the guide and what it was built from, and the
    pair's meetings. Http404 unless `viewer` is the report's direct manager."""
    policy.require_visible(viewer, Action.ONE_ON_ONE_GUIDE, report)
    today = timezone.localdate()
    meetings = pair_meetings(viewer=viewer, report=report)
    gaps = (
        gaps_page_get(viewer=viewer, person=report, published=published, target=None).report
        if published is not None
        else None
    )
    standing = readiness_standing_get(viewer=viewer, person=report, published=published)
    plan = DevelopmentPlan.objects.filter(person=report, status=DevelopmentPlan.Status.ACTIVE).first()
    goals = _plan_progress(plan, today) if plan is not None else []
    check_ins = list(plan.check_ins.select_related("author")[:RECENT_ITEMS]) if plan is not None else []
    held = [meeting.happens_on for meeting in meetings if meeting.happens_on < today]
    since = max(held) if held else today - datetime.timedelta(days=RECENT_FEEDBACK_DAYS)
    feedback = [
        item
        for item in evidence_for_cycle(viewer=viewer, subject=report, since=since)
        if item.kind == EvidenceItem.Kind.FEEDBACK and item.subject_id == report.pk
    ]
    applications = list(
        applications_shown_to_chain(report)
        .exclude(stage__in=_CLOSED_STAGES)
        .select_related("opportunity")
        .order_by("-stage_changed_at", "id")
    )
    result = standing.result if standing is not None else None
    inputs = GuideInputs(
        gaps=gaps,
        ready=result.ready if result is not None else None,
        unmet_criteria=[criterion.explanation for criterion in result.criteria if not criterion.met]
        if result is not None
        else [],
        goals=goals,
        feedback_since_last=len(feedback),
        applications=[application.opportunity.title for application in applications],
    )
    return GuidePage(
        report=report,
        guide=guide(inputs),
        gaps=gaps,
        standing=standing,
        plan=plan,
        goals=goals,
        check_ins=check_ins,
        feedback=feedback[:RECENT_ITEMS],
        feedback_since=since,
        applications=applications,
        meetings=meetings,
    )
