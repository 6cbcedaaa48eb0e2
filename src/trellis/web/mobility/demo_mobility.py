"""The demo company's internal marketplace: open roles and gigs, applications in several stages (one
hidden from the applicant's manager), and a role filled from inside earlier.

Written through the mobility services (so every stage is recorded, with who, and the filled role's
move is in the person's history), from people chosen by employee id: the same company gives the same
marketplace. The demo manager persona posts a role and a gig on Engineering's competencies; another
manager — outside the employee persona's management chain — posts the gig the walkthrough applies
to, whose requirements the employee persona meets; a role filled from inside 26 days after it
opened keeps its person's place (see `_filled_role`). The personas' own applications are left to
the walkthroughs.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from trellis.framework.model import Framework
from trellis.web.accounts.models import User
from trellis.web.frameworks.selectors import framework_published_for_work
from trellis.web.mobility.models import Application, Opportunity
from trellis.web.mobility.selectors import demonstrated_many
from trellis.web.mobility.services import (
    RequirementInput,
    application_act,
    application_move,
    opportunity_save,
    opportunity_status_set,
)
from trellis.web.people.demo_accounts import EMPLOYEE_EMAIL, MANAGER_EMAIL, PERSONAS
from trellis.web.people.models import Person
from trellis.web.people.reporting_lines import manager_chains

#: The title of the gig the walkthrough applies to (the browser test finds it by it).
DEMO_GIG_TITLE = "Checkout reliability review"


def _account(person: Person) -> User:
    assert person.user is not None, f"{person.full_name} has no account"
    return person.user


def _requirements(
    framework: Framework, person: Person, how_many: int, above: int = 0
) -> list[RequirementInput]:
    """`how_many` of the competencies of `person`'s track, at the level the framework expects of
    their current level (3 where it says nothing), `above` it (within the scale)."""
    family = framework.family(person.family_id)
    assert family is not None
    track = family.track(person.track_id)
    assert track is not None
    wanted = []
    for competency in framework.competencies_for(family, track)[:how_many]:
        expected = track.expectations.get(competency.id, {}).get(person.level_code)
        wanted.append(
            RequirementInput(competency.id, float(expected.proficiency) if expected is not None else 3.0)
        )
    return wanted


def load_demo_mobility() -> list[Opportunity]:
    """Post the demo's opportunities and applications (nothing when there are some already); the
    opportunities posted are returned."""
    published = framework_published_for_work()
    if published is None or Opportunity.objects.exists():
        return []
    framework = published.framework
    manager = Person.objects.filter(email=MANAGER_EMAIL).first()
    employee = Person.objects.filter(email=EMPLOYEE_EMAIL).first()
    if manager is None or employee is None or manager.user is None:
        return []
    chain = manager_chains([employee.pk]).get(employee.pk, [])
    personas = [email for email, _ in PERSONAS]
    # Another manager, outside the employee's chain: the gig the walkthrough applies to is theirs.
    hiring = (
        Person.objects.filter(is_active=True, reports__isnull=False, user__isnull=False)
        .exclude(pk__in=[*chain, employee.pk])
        .exclude(email__in=personas)
        .distinct()
        .order_by("employee_id")
        .first()
    )
    if hiring is None:
        return []
    hiring_user = _account(hiring)
    manager_user = _account(manager)
    figures = demonstrated_many([employee.pk]).get(employee.pk, {})
    # The employee meets each requirement: at most their own figure on their three strongest.
    strongest = sorted(figures.values(), key=lambda figure: (-figure.score, figure.competency))[:3]
    fitting = [RequirementInput(figure.competency, float(int(figure.score))) for figure in strongest] or [
        RequirementInput(competency.id, 2.0) for competency in framework.core_competencies[:3]
    ]
    today = timezone.localdate()

    def posted(actor: User, **fields: object) -> Opportunity:
        opportunity = opportunity_save(actor=actor, opportunity=None, **fields)  # type: ignore[arg-type]
        return opportunity_status_set(actor=actor, opportunity=opportunity, status=Opportunity.Status.OPEN)

    gig = posted(
        hiring_user,
        kind=Opportunity.Kind.GIG,
        title=DEMO_GIG_TITLE,
        description="Two days a week for a quarter: review the last six incidents of checkout, find the "
        "patterns and write the three changes that would have prevented most of them.",
        team=hiring.team,
        starts_on=today + datetime.timedelta(days=14),
        ends_on=today + datetime.timedelta(days=104),
        time_share=40,
        capacity=2,
        requirements=fitting,
    )
    others = list(
        Person.objects.filter(is_active=True, user__isnull=False, reports__isnull=True, track_id="ic")
        .exclude(email__in=personas)
        .exclude(pk__in=[hiring.pk, manager.pk])
        .exclude(manager=hiring)
        .order_by("employee_id")[:12]
    )
    engineers = [person for person in others if person.family_id == manager.family_id] or others
    level_up = [person for person in engineers if person.manager_id != manager.pk]
    role_template = level_up[0] if level_up else employee
    role = posted(
        manager_user,
        kind=Opportunity.Kind.ROLE,
        title=f"{role_template.level_code} on {_team_name(manager)}",
        description="A permanent place on the team: the level and the manager change when you accept.",
        team=manager.team,
        level=f"{role_template.family_id}/{role_template.track_id}/{role_template.level_code}",
        requirements=_requirements(framework, role_template, 3, above=1),
    )
    tooling = posted(
        manager_user,
        kind=Opportunity.Kind.PROJECT,
        title="On-call tooling project",
        description="One day a week: the alerts that wake people up, fewer and better.",
        team=manager.team,
        starts_on=today + datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=60),
        time_share=20,
        capacity=3,
        requirements=_requirements(framework, role_template, 2),
    )
    stages = [
        (role, Application.Stage.APPLIED, False),
        (role, Application.Stage.TALKING, False),
        (tooling, Application.Stage.INTERESTED, False),
        (gig, Application.Stage.APPLIED, True),  # hidden from their manager until an interview
        (tooling, Application.Stage.OFFERED, False),
    ]
    for person, (opportunity, stage, hidden) in zip(others, stages, strict=False):
        _reach(person, opportunity, stage, hidden)
    filled = _filled_role(framework, others[len(stages) :])
    return [gig, role, tooling, *([filled] if filled is not None else [])]


def _reach(person: Person, opportunity: Opportunity, stage: str, hidden: bool) -> Application:
    """`person`'s application to `opportunity`, moved to `stage` as the applicant and then the
    hiring manager would."""
    first = (
        Application.Stage.INTERESTED if stage == Application.Stage.INTERESTED else Application.Stage.APPLIED
    )
    action = "interest" if first == Application.Stage.INTERESTED else "apply"
    application = application_act(
        actor=_account(person), opportunity=opportunity, action=action, hidden_from_manager=hidden
    )
    hiring = _account(opportunity.hiring_manager)
    for next_stage in (Application.Stage.TALKING, Application.Stage.OFFERED, Application.Stage.ACCEPTED):
        if application.stage == stage:
            break
        application = application_move(actor=hiring, application=application, stage=next_stage)
    return application


def _team_name(person: Person) -> str:
    return person.team.name if person.team is not None else "the team"


def _filled_role(framework: Framework, spare: list[Person]) -> Opportunity | None:
    """A role filled from inside a few weeks ago, by 26 days: posted by a spare person's own
    manager at that person's level on their team, so that filling it keeps their place (the
    demo's review history was written for the company as it stands; a real acceptance moves the
    person, as the tests show)."""
    for person in spare:
        manager = person.manager
        if manager is None or manager.user is None or manager.email in {email for email, _ in PERSONAS}:
            continue
        manager_user = manager.user
        role = opportunity_save(
            actor=manager_user,
            opportunity=None,
            kind=Opportunity.Kind.ROLE,
            title=f"{person.level_code} on {_team_name(manager)}",
            team=person.team,
            level=f"{person.family_id}/{person.track_id}/{person.level_code}",
            requirements=_requirements(framework, person, 2),
        )
        opportunity_status_set(actor=manager_user, opportunity=role, status=Opportunity.Status.OPEN)
        _reach(person, role, Application.Stage.ACCEPTED, False)
        now = timezone.now()
        Opportunity.objects.filter(pk=role.pk).update(
            opened_at=now - datetime.timedelta(days=35), filled_at=now - datetime.timedelta(days=9)
        )
        role.refresh_from_db()
        return role
    return None
