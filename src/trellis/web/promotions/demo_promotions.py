"""The demo company's promotion committee, so that a nomination can be submitted and decided as
soon as the demo starts, and its first cases: a few people ready (their nominations waiting in the
committee's queue) and a few almost. Called by `trellis.web.people.demo.load_demo` once the accounts
and the readiness of everyone exist."""

from __future__ import annotations

import datetime

from django.utils import timezone

from trellis.web.accounts.models import User
from trellis.web.frameworks.selectors import framework_published_for_work
from trellis.web.people.demo_accounts import (
    COAUTHOR_EMAIL,
    EMPLOYEE_EMAIL,
    HR_EMAIL,
    IT_ADMIN_EMAIL,
    MANAGER_EMAIL,
)
from trellis.web.people.models import Person
from trellis.web.promotions.models import Nomination, PromotionCommittee, Readiness
from trellis.web.reviews.models import EvidenceItem

DEMO_COMMITTEE_NAME = "Promotion committee"


def load_demo_promotions() -> PromotionCommittee:
    """One committee for every family: the Head of People and the co-author persona (a senior
    product manager without reports, so never about their own reports). Kept as it is when the
    demo already has it."""
    committee, created = PromotionCommittee.objects.get_or_create(
        name=DEMO_COMMITTEE_NAME, defaults={"family_ids": []}
    )
    if created:
        committee.members.set(Person.objects.filter(email__in=[HR_EMAIL, COAUTHOR_EMAIL], is_active=True))
    return committee


#: People made ready in the demo (evidence of their scope, and a submitted nomination carrying their
#: manager's endorsement), and people left one endorsement short of it ("almost").
DEMO_READY = 2
DEMO_ALMOST = 1
#: Criteria the demo completes for them: what its two past cycles cannot show by ratings alone.
_COMPLETED_KINDS = frozenset({"scope_evidence", "entry_criterion", "manager_endorsement"})


def load_demo_cases(*, today: datetime.date | None = None) -> list[Nomination]:
    """Make the demo's promotion round worth opening: of the people whose ratings already meet
    every criterion ratings can meet — only scope evidence and the manager's endorsement missing —
    the first `DEMO_READY` get their scope evidenced (wins written by their manager) and a nomination
    submitted by their manager (which records the endorsement and waits in the committee's queue),
    and the next `DEMO_ALMOST` get the evidence only. The personas and the demo manager's team are
    left alone: the walkthroughs nominate them. The nominations submitted are returned."""
    from trellis.web.promotions.readiness_services import readiness_recompute, readiness_worded
    from trellis.web.promotions.services import nomination_create

    published = framework_published_for_work()
    if published is None or Nomination.objects.exists():
        return []
    day = today or timezone.localdate()
    personas = {HR_EMAIL, COAUTHOR_EMAIL, MANAGER_EMAIL, EMPLOYEE_EMAIL, IT_ADMIN_EMAIL}
    candidates: list[tuple[int, Readiness, list[str]]] = []
    for row in (
        Readiness.objects.filter(is_next_level=True, ready=False, person__is_active=True)
        .exclude(person__email__in=personas)
        .exclude(person__manager__email=MANAGER_EMAIL)
        .exclude(person__manager__isnull=True)
        .select_related("person", "person__manager")
        .order_by("person_id")
    ):
        result = readiness_worded(row, published.framework)
        if result is None:
            continue
        unmet = [criterion for criterion in result.criteria if not criterion.met]
        if unmet and {criterion.kind for criterion in unmet} <= _COMPLETED_KINDS:
            evidence = [c.subject for c in unmet if c.kind in ("scope_evidence", "entry_criterion")]
            candidates.append((len(unmet), row, evidence))
    candidates.sort(key=lambda entry: (entry[0], entry[1].person_id))
    chosen = candidates[: DEMO_READY + DEMO_ALMOST]
    EvidenceItem.objects.bulk_create(
        EvidenceItem(
            subject=row.person,
            author=row.person.manager,
            kind=EvidenceItem.Kind.WIN,
            text=statement,
            scope=statement,
            occurred_on=day - datetime.timedelta(days=30 + 7 * number),
        )
        for _, row, statements in chosen
        for number, statement in enumerate(statements)
        if row.person.manager is not None
    )
    readiness_recompute(person_ids=[row.person_id for _, row, _ in chosen])
    submitted = []
    for _, row, _ in chosen[:DEMO_READY]:
        manager = User.objects.get(person=row.person.manager)
        submitted.append(
            nomination_create(
                actor=manager,
                person=row.person,
                target=(row.target_family_id, row.target_track_id, row.target_level_code),
                case=(
                    f"{row.person.full_name} has met the {row.target_level_code} expectations in both "
                    "past cycles and has shown the scope the level asks for (see the evidence)."
                ),
                submit=True,
            )
        )
    return submitted
