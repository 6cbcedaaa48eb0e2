"""Who may do what: the one module that decides every access in the web app.

Views, selectors and services ask here and nowhere else. The personas:

- **anonymous**: nothing (the login and password-reset pages do not ask).
- **employee**: reads the whole published framework, their own home and profile.
- **manager** (derived: has active reports): also their reports and their reports' reports — profile,
  level, time in level, history; and the list of those people.
- **framework co-author** of a family: edits the wording of that family in the draft and submits
  the draft for review. Structure belongs to HR: families, tracks, levels and competencies, and
  every field `trellis.framework.classification` calls structural (expected proficiencies,
  promotion thresholds, floors, required competencies, time at the next level, grades, bands, …),
  the same classification the diff between versions reports.
- **HR admin**: everything — except acting on themselves where `NOT_ON_ONESELF` says so: nobody
  rates (as a manager or peer), calibrates, endorses, nominates, decides on or promotes themselves;
  and nobody decides on a person they manage, directly or not (`NOT_ON_OWN_REPORTS`); and 1:1s
  are their manager's and report's alone (`PAIR_ONLY`): HR reads neither their content nor that
  they happened.
- **promotion committee member** (HR appoints): decides the nominations submitted to their
  committee, except about their own reports at any distance.
- **IT admin**: accounts (inviting people to sign in included: names and e-mail addresses) and
  settings and the audit log — not people's levels, history or ratings; they see who holds which
  role, but only HR appoints and removes HR admins, IT admins and co-authors.

Inactive accounts may do nothing. An action name that this module does not know is a programming
error and raises ``ValueError``, so a typo cannot quietly deny (or grant) access.

Answers that need the database (has reports, co-authored families, a skip-level relation) are
cached on the viewer object, which lives for one request.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

if TYPE_CHECKING:
    from trellis.web.accounts.models import User
    from trellis.web.people.models import Person


class Action(StrEnum):
    """Everything a viewer can be allowed to do. The target each one takes is in brackets."""

    HOME_VIEW = "home.view"
    FRAMEWORK_VIEW = "framework.view"
    #: [family id, or None for "some family"] edit what the classification calls wording:
    #: descriptions, behaviours, criteria evidence and outcomes.
    FRAMEWORK_EDIT_CONTENT = "framework.edit_content"
    #: families, tracks, levels and competencies added, removed or moved, and every field the
    #: classification (`trellis.framework.classification`) calls structural.
    FRAMEWORK_EDIT_STRUCTURE = "framework.edit_structure"
    FRAMEWORK_SUBMIT_FOR_REVIEW = "framework.submit_for_review"
    FRAMEWORK_PUBLISH = "framework.publish"
    FRAMEWORK_IMPORT = "framework.import"
    #: read the working draft, its lint findings and its exports (whoever may edit some of it).
    FRAMEWORK_VIEW_DRAFT = "framework.view_draft"
    #: [Person] profile, level and time in level.
    PERSON_VIEW = "person.view"
    #: [Person] level and manager history.
    PERSON_VIEW_HISTORY = "person.view_history"
    PERSON_CREATE = "person.create"
    #: [Person]
    PERSON_UPDATE = "person.update"
    #: [Person]
    PERSON_SET_MANAGER = "person.set_manager"
    PEOPLE_LIST = "people.list"
    #: company-wide counts and measures of the organisation.
    ORGANISATION_OVERVIEW = "organisation.overview"
    PEOPLE_IMPORT = "people.import"
    AUDIT_VIEW = "audit.view"
    #: activate and deactivate accounts, reset passwords.
    USER_MANAGE = "user.manage"
    #: [Person, or None for "anyone"] invite to sign in (creating their account), resend and revoke
    #: invitations, and see each person's sign-in status.
    USER_INVITE = "user.invite"
    SETTINGS_MANAGE = "settings.manage"
    #: see who holds each role (HR admin, IT admin, co-author of each family).
    ROLES_VIEW = "roles.view"
    #: appoint and remove HR admins, IT admins and co-authors: HR's alone.
    ROLES_MANAGE = "roles.manage"
    ADMIN_VIEW = "admin.view"
    #: import past cycles' ratings from a spreadsheet: HR's alone.
    RATINGS_IMPORT = "ratings.import"
    #: [Person] their promotion readiness, per criterion, and its history: the person, their
    #: manager chain (manager and skip-level) and HR — never an IT admin as such.
    READINESS_VIEW = "readiness.view"

    # --- review cycles (reviews app: cycles, assessments, sign-off and sharing) ---
    #: open review cycles, see their progress, move their phase on, share their results: HR.
    CYCLE_MANAGE = "cycle.manage"
    #: the viewer's own "My reviews" page (whoever has a person).
    REVIEWS_MINE = "reviews.mine"
    #: [Assessment] read it (its ratings, comments and evidence): see `_reads_assessment`.
    ASSESSMENT_VIEW = "assessment.view"
    #: [Assessment] write one's own self-assessment.
    ASSESSMENT_WRITE_SELF = "assessment.write_self"
    #: [Assessment] rate someone else (as their manager; the peer and upward forms reuse it).
    ASSESSMENT_RATE = "assessment.rate"
    #: [CycleParticipant] sign off a participant's results: their manager in the cycle, or HR.
    CYCLE_SIGN_OFF = "cycle.sign_off"
    #: [CycleParticipant] the results page: the subject once shared, their manager chain, HR.
    CYCLE_RESULTS_VIEW = "cycle.results_view"
    #: [ReviewCycle, or None] create calibration groups, set the target distribution, close a
    #: session (HR's alone).
    CALIBRATION_MANAGE = "calibration.manage"
    #: [CalibrationGroup] the session's page: its charts, people and ratings (its members and HR).
    CALIBRATION_VIEW = "calibration.view"
    #: [CycleParticipant] adjust a calibrated rating in the participant's session.
    CALIBRATION_ADJUST = "calibration.adjust"
    #: [CycleParticipant] confirm the participant's results in calibration.
    CALIBRATION_CONFIRM = "calibration.confirm"
    #: [CycleParticipant] read and write calibration notes about the participant — never the
    #: participant themselves.
    CALIBRATION_NOTES = "calibration.notes"
    #: one's own notifications (those of the viewer's person), and marking them read.
    NOTIFICATIONS_VIEW = "notifications.view"
    #: [Person] record feedback or a win about a person (a colleague or oneself): anyone with a person.
    EVIDENCE_RECORD = "evidence.record"
    #: [Person] the evidence recorded about a person: themselves, their managers (two levels up), HR.
    #: An author also sees what they wrote (the selectors add it).
    EVIDENCE_VIEW = "evidence.view"
    #: [CycleParticipant] nominate peers for a participant: the subject and their cycle manager.
    PEER_NOMINATE = "peer.nominate"
    #: [CycleParticipant] approve or decline the peers nominated: the cycle manager, never the subject.
    PEER_NOMINATION_DECIDE = "peer.nomination_decide"
    #: [CycleParticipant] see the nominations and the peer feedback summary of a participant: the
    #: subject (aggregated, above the threshold), their managers (two levels up) and HR.
    PEER_FEEDBACK_VIEW = "peer.feedback_view"
    #: [CycleParticipant] who answered (names): HR always; the cycle manager and skip level when the
    #: cycle shows names to managers; never the subject.
    PEER_FEEDBACK_NAMES = "peer.feedback_names"
    #: answer the peer or upward feedback one was asked for (the selectors find only one's own).
    FEEDBACK_ANSWER = "feedback.answer"
    # Promotions (`trellis.web.promotions`). Nominations and decisions are confidential: the subject
    # sees only their own requests and outcomes (on the Promotions page), never the packet.
    #: the Promotions page: one's own requests and outcomes, the nominations one made or endorses.
    PROMOTION_LIST = "promotion.list"
    #: ask for a promotion conversation about oneself (the service takes no other subject).
    PROMOTION_REQUEST = "promotion.request"
    #: [Person] nominate for promotion — and turn their request into a nomination, decline it, edit,
    #: submit or withdraw the nomination: their direct manager.
    PROMOTION_NOMINATE = "promotion.nominate"
    #: [Nomination] the packet: readiness, ratings and evidence, the case, endorsements, decision:
    #: the subject's managers (two levels up) and the members of the committee it was submitted to.
    PROMOTION_VIEW = "promotion.view"
    #: [Nomination] the skip-level endorsement: the manager of the subject's manager.
    PROMOTION_ENDORSE = "promotion.endorse"
    #: [Nomination] approve or "not yet": a member of the committee it was submitted to (or HR) who
    #: is not the subject's manager at any distance (`NOT_ON_OWN_REPORTS`).
    PROMOTION_DECIDE = "promotion.decide"
    #: the queue of nominations awaiting one's committees.
    PROMOTION_QUEUE = "promotion.queue"
    #: all open nominations, decisions and the "not yet" list; configure committees.
    PROMOTION_OVERVIEW = "promotion.overview"
    PROMOTION_COMMITTEE_MANAGE = "promotion.committee_manage"
    #: [Nomination] an approved promotion entering the person's level history (HR's actor).
    PROMOTION_APPLY = "promotion.apply"
    # Measuring the framework itself (the what-if of the draft's criteria, rater agreement).
    #: the share of each level's people who would meet the draft's promotion criteria beside the
    #: published ones', and the people whose status would change (names): HR's alone — criteria are
    #: structure, which only HR edits, and a small level's share is its people's status.
    READINESS_WHAT_IF = "readiness.what_if"
    #: [family id, or None for "some family"] rater agreement beside the behavioural descriptions of
    #: a family in the authoring editor: whoever may edit that family's descriptions (its co-authors
    #: and HR). Figures only — no rating, rater or person.
    AGREEMENT_VIEW = "agreement.view"
    #: the agreement overview of every competency, level and description: HR's alone.
    AGREEMENT_OVERVIEW = "agreement.overview"

    # --- growth (growth app: skill gaps, plans, 1:1s) ---
    #: [Person] their skill gaps against any level, with the figures and evidence behind them: the
    #: person, their manager chain and HR — never an IT admin as such.
    GAPS_VIEW = "gaps.view"
    # 1:1s are the pair's: HR admins are answered by the rule alone (`PAIR_ONLY`). HR sees nothing
    # of them — not their content and not that they happened.
    #: [Person] the 1:1 page of a report — the conversation guide, the pair's meetings — and
    #: starting a meeting: their direct manager alone.
    ONE_ON_ONE_GUIDE = "one_on_one.guide"
    #: the viewer's own 1:1s (as a report, and the people they hold them with): anyone with a person.
    ONE_ON_ONE_MINE = "one_on_one.mine"
    #: [OneOnOne] a meeting's page — its agenda and shared notes, and the viewer's own private
    #: notes — and adding to it: its manager and its report, nobody else.
    ONE_ON_ONE_VIEW = "one_on_one.view"
    #: [Person] their development plan — goals, actions, progress updates, check-ins: the person,
    #: their manager chain (manager and skip-level) and HR. Plans are confidential: anyone else is
    #: answered 404.
    PLAN_VIEW = "plan.view"
    #: [Person] draft, extend and update their plan: the person (who owns it) and their direct
    #: manager (who supports it), and HR; the skip-level manager reads it only.
    PLAN_EDIT = "plan.edit"
    #: the OKR tree's page: every signed-in person (company and team objectives are not
    #: confidential; personal ones are filtered by `OBJECTIVE_VIEW`).
    OKR_VIEW = "okr.view"
    #: [Objective] read it: company and team objectives, everyone; a personal objective, its
    #: owner, their manager chain (manager and skip-level) and HR.
    OBJECTIVE_VIEW = "objective.view"
    #: [level: "company", "team" or "personal"] add an objective of that level: company ones, HR;
    #: team ones (the viewer's team, under a company objective), managers; personal ones (the
    #: viewer's own, under a team objective), anyone with a person.
    OBJECTIVE_CREATE = "objective.create"
    #: [Objective] add key results to it and record their current values: its owner (a team's
    #: manager, a personal objective's person); company objectives, HR.
    OBJECTIVE_EDIT = "objective.edit"

    # --- internal mobility (mobility app: opportunities and applications) ---
    #: the open opportunities, each matched against the viewer, and one's own applications:
    #: whoever has a person.
    OPPORTUNITY_LIST = "opportunity.list"
    #: [Opportunity] read it: anyone with a person once it is open (or filled, or closed); a draft
    #: only its hiring manager (and HR).
    OPPORTUNITY_VIEW = "opportunity.view"
    #: post a role, a project or a gig: hiring managers (whoever manages someone) and HR.
    OPPORTUNITY_POST = "opportunity.post"
    #: [Opportunity] edit, open, close it; see its ranked candidates and move them through the
    #: stages: its hiring manager and HR.
    OPPORTUNITY_MANAGE = "opportunity.manage"
    #: [Opportunity] save, express interest in, apply to, withdraw from it: anyone with a person
    #: but its hiring manager (the services check it is open).
    OPPORTUNITY_APPLY = "opportunity.apply"
    #: the applications of one's reports (at any distance) that the applicant shows their
    #: management chain (`mobility.selectors.shown_to_chain`): managers.
    APPLICATIONS_OF_REPORTS = "applications.of_reports"
    #: the skills heatmap of the company or of any job family (aggregates, and patterns named by
    #: team): HR's alone.
    HEATMAP_ORGANISATION = "heatmap.organisation"
    #: [Person: a manager] the skills heatmap of everyone under that manager, at any depth: the
    #: manager themselves and the managers above them — and HR.
    HEATMAP_TEAM = "heatmap.team"


#: Actions that nobody may take about themselves, HR admins included (their target concerns a
#: person: see `subject_person_id`). Checked before any other rule.
NOT_ON_ONESELF: frozenset[Action] = frozenset(
    {
        Action.ASSESSMENT_RATE,
        Action.CYCLE_SIGN_OFF,
        Action.CALIBRATION_ADJUST,
        Action.CALIBRATION_CONFIRM,
        Action.CALIBRATION_NOTES,
        Action.PEER_NOMINATION_DECIDE,
        Action.PEER_FEEDBACK_NAMES,
        Action.PROMOTION_NOMINATE,
        Action.PROMOTION_VIEW,
        Action.PROMOTION_ENDORSE,
        Action.PROMOTION_DECIDE,
        Action.PROMOTION_APPLY,
    }
)


#: Actions where a viewer the target concerns is answered by the rule alone, HR admins included: an
#: HR admin reviewed in a cycle sees their own results only when they are shared, as anyone does.
SUBJECT_BY_THE_RULE: frozenset[Action] = frozenset({Action.ASSESSMENT_VIEW, Action.CYCLE_RESULTS_VIEW})

#: Actions that nobody may take about a person they manage, directly or not, HR admins included:
#: a committee member does not decide on their own reports. Checked before any other rule.
NOT_ON_OWN_REPORTS: frozenset[Action] = frozenset({Action.PROMOTION_DECIDE})

#: Actions where HR admins are answered by the rule alone, as anyone is: a 1:1 belongs to the manager
#: and the report who hold it (an HR admin reads only their own).
PAIR_ONLY: frozenset[Action] = frozenset(
    {Action.ONE_ON_ONE_GUIDE, Action.ONE_ON_ONE_MINE, Action.ONE_ON_ONE_VIEW}
)


_CACHE_ATTRIBUTE = "_trellis_policy_cache"


def _cache(viewer: User | AnonymousUser) -> dict[str, Any]:
    cache: dict[str, Any] | None = getattr(viewer, _CACHE_ATTRIBUTE, None)
    if cache is None:
        cache = {}
        setattr(viewer, _CACHE_ATTRIBUTE, cache)
    return cache


def viewer_person(viewer: User | AnonymousUser | None) -> Person | None:
    """The active person linked to `viewer`'s account, or None (anonymous, IT-only accounts)."""
    if viewer is None or not viewer.is_authenticated:
        return None
    from trellis.web.people.models import Person

    cache = _cache(viewer)
    if "person" not in cache:
        try:
            person: Person | None = viewer.person
        except Person.DoesNotExist:
            person = None
        cache["person"] = person if person is not None and person.is_active else None
    result: Person | None = cache["person"]
    return result


def is_manager(viewer: User | AnonymousUser | None) -> bool:
    """Whether `viewer` has at least one active direct report."""
    person = viewer_person(viewer)
    if person is None:
        return False
    assert viewer is not None
    cache = _cache(viewer)
    if "is_manager" not in cache:
        cache["is_manager"] = person.reports.filter(is_active=True).exists()
    result: bool = cache["is_manager"]
    return result


def coauthored_families(viewer: User | AnonymousUser | None) -> frozenset[str]:
    """The ids of the job families whose content `viewer` co-authors."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return frozenset()
    from trellis.web.frameworks.models import FamilyCoauthor

    cache = _cache(viewer)
    if "families" not in cache and getattr(viewer, "coauthors_any_family", None) is False:
        # The session's account was loaded knowing it co-authors nothing (accounts.backends).
        cache["families"] = frozenset()
    if "families" not in cache:
        cache["families"] = frozenset(
            FamilyCoauthor.objects.filter(user=viewer).values_list("family_id", flat=True)
        )
    result: frozenset[str] = cache["families"]
    return result


def visible_people(viewer: User | AnonymousUser | None) -> Q:
    """A filter on `Person` selecting the people `viewer` may see (for selectors).

    HR: everyone. Anyone else: themselves, and their active reports and reports' reports.
    Nobody, for anonymous and inactive viewers and for accounts without a person.
    """
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return Q(pk__in=[])
    if viewer.is_hr_admin:
        return Q()
    person = viewer_person(viewer)
    if person is None:
        return Q(pk__in=[])
    return (
        Q(pk=person.pk)
        | Q(manager_id=person.pk, is_active=True)
        | Q(manager__manager_id=person.pk, manager__is_active=True, is_active=True)
    )


def _manages(person: Person, subject: Person) -> bool:
    """Whether `subject` is an active direct report of `person`, or an active report of one."""
    from trellis.web.people.models import Person

    if not subject.is_active or subject.manager_id is None:
        return False
    if subject.manager_id == person.pk:
        return True
    if Person.manager.is_cached(subject):
        middle = subject.manager
        assert middle is not None
        return middle.is_active and middle.manager_id == person.pk
    return Person.objects.filter(pk=subject.manager_id, is_active=True, manager_id=person.pk).exists()


def _sees_person(viewer: User, subject: Any) -> bool:
    from trellis.web.people.models import Person

    if not isinstance(subject, Person):
        raise TypeError(f"this action takes a Person, not {type(subject).__name__}")
    person = viewer_person(viewer)
    if person is None:
        return False
    return subject.pk == person.pk or _manages(person, subject)


def _edits_content(viewer: User, family_id: Any) -> bool:
    families = coauthored_families(viewer)
    if family_id is None:
        return bool(families)
    return family_id in families


def calibration_group_ids(viewer: User | AnonymousUser | None) -> frozenset[int]:
    """The ids of the calibration groups `viewer`'s person is a member of."""
    person = viewer_person(viewer)
    if person is None:
        return frozenset()
    assert viewer is not None
    cache = _cache(viewer)
    if "calibration_groups" not in cache:
        from trellis.web.reviews.models import CalibrationGroup

        cache["calibration_groups"] = frozenset(
            CalibrationGroup.objects.filter(members=person).values_list("pk", flat=True)
        )
    result: frozenset[int] = cache["calibration_groups"]
    return result


def manager_chain_ids(subject_id: int) -> list[int]:
    """The ids of the managers above the person `subject_id`, nearest first: one query whatever the
    depth (`people.reporting_lines`); a loop in the reporting lines stops the walk."""
    from trellis.web.people.reporting_lines import manager_chains

    return manager_chains([subject_id]).get(subject_id, [])


def _viewer_manager_chain_ids(viewer: User, subject_id: int) -> list[int]:
    """`manager_chain_ids`, read once per request and subject (a page checking several things
    about one person walks the line once)."""
    chains: dict[int, list[int]] = _cache(viewer).setdefault("manager_chains", {})
    if subject_id not in chains:
        chains[subject_id] = manager_chain_ids(subject_id)
    return chains[subject_id]


def _manages_at_any_distance(viewer: User, target: Any) -> bool:
    person = viewer_person(viewer)
    subject_id = subject_person_id(target)
    return (
        person is not None
        and subject_id is not None
        and person.pk in _viewer_manager_chain_ids(viewer, subject_id)
    )


def _sees_team(viewer: User, target: Any) -> bool:
    """The team of `target` (a Person, the manager): themselves while they manage someone, or a
    manager above them at any distance."""
    from trellis.web.people.models import Person

    if not isinstance(target, Person):
        raise TypeError(f"this action takes a Person, not {type(target).__name__}")
    person = viewer_person(viewer)
    if person is None or not target.is_active:
        return False
    if target.pk == person.pk:
        return is_manager(viewer)
    return _manages_at_any_distance(viewer, target)


def _calibrates(viewer: User, target: Any) -> bool:
    """A member of the calibration group (the target itself, or the participant's group)."""
    from trellis.web.reviews.models import CalibrationGroup, CycleParticipant

    group_id: int | None
    if isinstance(target, CalibrationGroup):
        group_id = target.pk
    elif isinstance(target, CycleParticipant):
        group_id = target.calibration_group_id
    else:
        raise TypeError(f"this action takes a calibration group or participant, not {type(target).__name__}")
    return group_id is not None and group_id in calibration_group_ids(viewer)


def committee_ids(viewer: User | AnonymousUser | None) -> frozenset[int]:
    """The ids of the promotion committees `viewer`'s person sits on."""
    person = viewer_person(viewer)
    if person is None:
        return frozenset()
    assert viewer is not None
    cache = _cache(viewer)
    if "committees" not in cache:
        cache["committees"] = frozenset(person.promotion_committees.values_list("pk", flat=True))
    result: frozenset[int] = cache["committees"]
    return result


def _subject_of(target: Any) -> Person:
    from trellis.web.promotions.models import Nomination

    if not isinstance(target, Nomination):
        raise TypeError(f"this action takes a Nomination, not {type(target).__name__}")
    return target.person


def _nominates(viewer: User, target: Any) -> bool:
    from trellis.web.people.models import Person

    if not isinstance(target, Person):
        raise TypeError(f"this action takes a Person, not {type(target).__name__}")
    person = viewer_person(viewer)
    return person is not None and target.is_active and target.manager_id == person.pk


def _sees_nomination(viewer: User, target: Any) -> bool:
    subject = _subject_of(target)
    person = viewer_person(viewer)
    if person is None:
        return False
    return _manages(person, subject) or (
        target.committee_id is not None and target.committee_id in committee_ids(viewer)
    )


def _endorses(viewer: User, target: Any) -> bool:
    from trellis.web.people.models import Person

    subject = _subject_of(target)
    person = viewer_person(viewer)
    if person is None or not subject.is_active or subject.manager_id is None:
        return False
    return Person.objects.filter(pk=subject.manager_id, is_active=True, manager_id=person.pk).exists()


def _decides(viewer: User, target: Any) -> bool:
    _subject_of(target)
    return target.committee_id is not None and target.committee_id in committee_ids(viewer)


def _has_person(viewer: User, target: Any) -> bool:
    return viewer_person(viewer) is not None


def _sits_on_a_committee(viewer: User, target: Any) -> bool:
    return bool(committee_ids(viewer))


def _hr_only(viewer: User, target: Any) -> bool:
    # HR admins are let through before the rules are consulted; nobody else is.
    return False


def _everyone(viewer: User, target: Any) -> bool:
    return True


def _it_admin(viewer: User, target: Any) -> bool:
    return viewer.is_it_admin


def _manager(viewer: User, target: Any) -> bool:
    return is_manager(viewer)


def _coauthor_of_some_family(viewer: User, target: Any) -> bool:
    return bool(coauthored_families(viewer))


# --- review cycles ---------------------------------------------------------------------------------


def _in_chain_above(person: Person, subject_id: int) -> bool:
    """Whether `person` is `subject_id`'s manager or skip-level manager now (both active)."""
    from trellis.web.people.models import Person

    return Person.objects.filter(
        Q(manager_id=person.pk) | Q(manager__manager_id=person.pk, manager__is_active=True),
        pk=subject_id,
        is_active=True,
    ).exists()


def _results_shared(assessment: Any) -> bool:
    """Whether HR has shared the results of the assessment's subject in its cycle."""
    from trellis.web.reviews.models import CycleParticipant

    return CycleParticipant.objects.filter(
        cycle_id=assessment.cycle_id, person_id=assessment.subject_id, shared_at__isnull=False
    ).exists()


def _reads_assessment(viewer: User, assessment: Any) -> bool:
    """Its author; the subject for their own self-assessment always, and for the manager's and the
    calibrated result once the cycle is shared; the subject's manager chain (manager and
    skip-level) — a self-assessment only once submitted. Peer and upward answers are read through
    their own aggregating rules (never one by one by the subject)."""
    from trellis.web.reviews.models import Assessment, Source

    if not isinstance(assessment, Assessment):
        raise TypeError(f"this action takes an Assessment, not {type(assessment).__name__}")
    person = viewer_person(viewer)
    if person is None:
        return False
    if assessment.author_id == person.pk:
        return True
    if assessment.subject_id == person.pk:
        return assessment.source in (Source.MANAGER, Source.CALIBRATED) and _results_shared(assessment)
    if assessment.source == Source.SELF and assessment.submitted_at is None:
        return False
    if assessment.source == Source.UPWARD:
        return False
    return _in_chain_above(person, assessment.subject_id)


def _authors(viewer: User, assessment: Any) -> bool:
    person = viewer_person(viewer)
    return person is not None and getattr(assessment, "author_id", None) == person.pk


def _signs_off(viewer: User, participant: Any) -> bool:
    person = viewer_person(viewer)
    return person is not None and getattr(participant, "manager_id", None) == person.pk


def _reads_results(viewer: User, participant: Any) -> bool:
    person = viewer_person(viewer)
    if person is None:
        return False
    if participant.person_id == person.pk:
        return participant.shared_at is not None
    return participant.manager_id == person.pk or _in_chain_above(person, participant.person_id)


def _cycle_manages(person: Person, participant: Any) -> bool:
    """Whether `person` is `participant`'s cycle manager (their manager when the cycle opened)."""
    from trellis.web.reviews.models import CycleParticipant

    if not isinstance(participant, CycleParticipant):
        raise TypeError(f"this action takes a CycleParticipant, not {type(participant).__name__}")
    return participant.manager_id == person.pk


def _nominates_peers(viewer: User, participant: Any) -> bool:
    person = viewer_person(viewer)
    if person is None:
        return False
    return participant.person_id == person.pk or _cycle_manages(person, participant)


def _decides_nominations(viewer: User, participant: Any) -> bool:
    person = viewer_person(viewer)
    return person is not None and _cycle_manages(person, participant)


def _sees_feedback(viewer: User, participant: Any) -> bool:
    person = viewer_person(viewer)
    if person is None:
        return False
    return _cycle_manages(person, participant) or _sees_person(viewer, participant.person)


def _sees_feedback_names(viewer: User, participant: Any) -> bool:
    person = viewer_person(viewer)
    if person is None or not participant.cycle.show_peer_names_to_manager:
        return False
    return _cycle_manages(person, participant) or (
        participant.person_id != person.pk and _sees_person(viewer, participant.person)
    )


# --- growth: 1:1s ----------------------------------------------------------------------------------


def _holds_one_on_ones_with(viewer: User, target: Any) -> bool:
    """The active direct manager of the (active) person `target`."""
    return _nominates(viewer, target)


def _in_the_pair(viewer: User, meeting: Any) -> bool:
    """The manager or the report of the 1:1 `meeting`."""
    from trellis.web.growth.models import OneOnOne

    if not isinstance(meeting, OneOnOne):
        raise TypeError(f"this action takes a OneOnOne, not {type(meeting).__name__}")
    person = viewer_person(viewer)
    return person is not None and person.pk in (meeting.manager_id, meeting.report_id)


# --- growth: plans and objectives ------------------------------------------------------------------


def _edits_plan(viewer: User, subject: Any) -> bool:
    """The person themselves, or their direct manager (both active)."""
    from trellis.web.people.models import Person

    if not isinstance(subject, Person):
        raise TypeError(f"this action takes a Person, not {type(subject).__name__}")
    person = viewer_person(viewer)
    if person is None or not subject.is_active:
        return False
    return subject.pk == person.pk or subject.manager_id == person.pk


def _objective(target: Any) -> Any:
    from trellis.web.growth.models import Objective

    if not isinstance(target, Objective):
        raise TypeError(f"this action takes an Objective, not {type(target).__name__}")
    return target


def _reads_objective(viewer: User, target: Any) -> bool:
    objective = _objective(target)
    if objective.level != objective.Level.PERSONAL:
        return True
    return objective.owner is not None and _sees_person(viewer, objective.owner)


def _creates_objective(viewer: User, level: Any) -> bool:
    if level not in ("company", "team", "personal"):
        raise TypeError(f"this action takes an objective level, not {level!r}")
    if level == "team":
        return is_manager(viewer)
    return level == "personal" and viewer_person(viewer) is not None


def _edits_objective(viewer: User, target: Any) -> bool:
    objective = _objective(target)
    person = viewer_person(viewer)
    return person is not None and objective.owner_id is not None and objective.owner_id == person.pk


# --- internal mobility -----------------------------------------------------------------------------


def _opportunity(target: Any) -> Any:
    from trellis.web.mobility.models import Opportunity

    if not isinstance(target, Opportunity):
        raise TypeError(f"this action takes an Opportunity, not {type(target).__name__}")
    return target


def _hires_for(viewer: User, target: Any) -> bool:
    person = viewer_person(viewer)
    return person is not None and _opportunity(target).hiring_manager_id == person.pk


def _sees_opportunity(viewer: User, target: Any) -> bool:
    if viewer_person(viewer) is None:
        return False
    return _opportunity(target).status != "draft" or _hires_for(viewer, target)


def _may_apply(viewer: User, target: Any) -> bool:
    return _sees_opportunity(viewer, target) and not _hires_for(viewer, target)


#: What a signed-in, active viewer who is not an HR admin may do (HR admins may do everything).
_RULES: dict[Action, Callable[[User, Any], bool]] = {
    Action.HOME_VIEW: _everyone,
    Action.FRAMEWORK_VIEW: _everyone,
    Action.FRAMEWORK_EDIT_CONTENT: _edits_content,
    Action.FRAMEWORK_EDIT_STRUCTURE: _hr_only,
    Action.FRAMEWORK_SUBMIT_FOR_REVIEW: _coauthor_of_some_family,
    Action.FRAMEWORK_PUBLISH: _hr_only,
    Action.FRAMEWORK_IMPORT: _hr_only,
    Action.FRAMEWORK_VIEW_DRAFT: _coauthor_of_some_family,
    Action.PERSON_VIEW: _sees_person,
    Action.PERSON_VIEW_HISTORY: _sees_person,
    Action.PERSON_CREATE: _hr_only,
    Action.PERSON_UPDATE: _hr_only,
    Action.PERSON_SET_MANAGER: _hr_only,
    Action.PEOPLE_LIST: _manager,
    Action.ORGANISATION_OVERVIEW: _hr_only,
    Action.PEOPLE_IMPORT: _hr_only,
    Action.AUDIT_VIEW: _it_admin,
    Action.USER_MANAGE: _it_admin,
    Action.USER_INVITE: _it_admin,
    Action.SETTINGS_MANAGE: _it_admin,
    Action.ROLES_VIEW: _it_admin,
    Action.ROLES_MANAGE: _hr_only,
    Action.ADMIN_VIEW: _it_admin,
    Action.RATINGS_IMPORT: _hr_only,
    Action.READINESS_VIEW: _sees_person,
    Action.CYCLE_MANAGE: _hr_only,
    Action.REVIEWS_MINE: _has_person,
    Action.ASSESSMENT_VIEW: _reads_assessment,
    Action.ASSESSMENT_WRITE_SELF: _authors,
    Action.ASSESSMENT_RATE: _authors,
    Action.CYCLE_SIGN_OFF: _signs_off,
    Action.CYCLE_RESULTS_VIEW: _reads_results,
    Action.CALIBRATION_MANAGE: _hr_only,
    Action.CALIBRATION_VIEW: _calibrates,
    Action.CALIBRATION_ADJUST: _calibrates,
    Action.CALIBRATION_CONFIRM: _calibrates,
    Action.CALIBRATION_NOTES: _calibrates,
    Action.NOTIFICATIONS_VIEW: _has_person,
    Action.EVIDENCE_RECORD: _has_person,
    Action.EVIDENCE_VIEW: _sees_person,
    Action.PEER_NOMINATE: _nominates_peers,
    Action.PEER_NOMINATION_DECIDE: _decides_nominations,
    Action.PEER_FEEDBACK_VIEW: _sees_feedback,
    Action.PEER_FEEDBACK_NAMES: _sees_feedback_names,
    Action.FEEDBACK_ANSWER: _has_person,
    Action.PROMOTION_LIST: _has_person,
    Action.PROMOTION_REQUEST: _has_person,
    Action.PROMOTION_NOMINATE: _nominates,
    Action.PROMOTION_VIEW: _sees_nomination,
    Action.PROMOTION_ENDORSE: _endorses,
    Action.PROMOTION_DECIDE: _decides,
    Action.PROMOTION_QUEUE: _sits_on_a_committee,
    Action.PROMOTION_OVERVIEW: _hr_only,
    Action.PROMOTION_COMMITTEE_MANAGE: _hr_only,
    Action.PROMOTION_APPLY: _hr_only,
    Action.GAPS_VIEW: _sees_person,
    Action.ONE_ON_ONE_GUIDE: _holds_one_on_ones_with,
    Action.ONE_ON_ONE_MINE: _has_person,
    Action.ONE_ON_ONE_VIEW: _in_the_pair,
    Action.PLAN_VIEW: _sees_person,
    Action.PLAN_EDIT: _edits_plan,
    Action.OKR_VIEW: _everyone,
    Action.OBJECTIVE_VIEW: _reads_objective,
    Action.OBJECTIVE_CREATE: _creates_objective,
    Action.OBJECTIVE_EDIT: _edits_objective,
    Action.HEATMAP_ORGANISATION: _hr_only,
    Action.HEATMAP_TEAM: _sees_team,
    Action.READINESS_WHAT_IF: _hr_only,
    Action.AGREEMENT_VIEW: _edits_content,
    Action.AGREEMENT_OVERVIEW: _hr_only,
    Action.OPPORTUNITY_LIST: _has_person,
    Action.OPPORTUNITY_VIEW: _sees_opportunity,
    Action.OPPORTUNITY_POST: _manager,
    Action.OPPORTUNITY_MANAGE: _hires_for,
    Action.OPPORTUNITY_APPLY: _may_apply,
    Action.APPLICATIONS_OF_REPORTS: _manager,
}


def subject_person_id(target: Any) -> int | None:
    """The id of the person `target` concerns: a Person's own, else its ``subject_id`` or
    ``person_id`` (an assessment, a rating, a cycle participant, a nomination); None otherwise."""
    from trellis.web.people.models import Person

    if isinstance(target, Person):
        return target.pk
    for attribute in ("subject_id", "person_id"):
        value = getattr(target, attribute, None)
        if isinstance(value, int):
            return value
    return None


def _about_oneself(viewer: User, target: Any) -> bool:
    person = viewer_person(viewer)
    return person is not None and subject_person_id(target) == person.pk


def can(viewer: User | AnonymousUser | None, action: str, target: Any = None) -> bool:
    """Whether `viewer` may do `action` (to `target`, for the actions that take one)."""
    try:
        known = Action(action)
    except ValueError:
        raise ValueError(f"unknown action {action!r}") from None
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return False
    if known in NOT_ON_ONESELF and _about_oneself(viewer, target):
        return False
    if known in SUBJECT_BY_THE_RULE and _about_oneself(viewer, target):
        return _RULES[known](viewer, target)
    if known in NOT_ON_OWN_REPORTS and _manages_at_any_distance(viewer, target):
        return False
    if viewer.is_hr_admin and known not in PAIR_ONLY:
        return True
    return _RULES[known](viewer, target)


def require(viewer: User | AnonymousUser | None, action: str, target: Any = None) -> None:
    """Raise ``PermissionDenied`` (HTTP 403) unless `viewer` may do `action`."""
    if not can(viewer, action, target):
        raise PermissionDenied(f"not allowed: {action}")


def require_visible(viewer: User | AnonymousUser | None, action: str, target: Any = None) -> None:
    """Raise ``Http404`` unless `viewer` may do `action`: for objects whose existence is private."""
    if not can(viewer, action, target):
        raise Http404("no such page")
