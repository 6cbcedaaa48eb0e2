"""The persona rules of `trellis.web.policy`: every persona × every action, and the edge cases."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.policy import Action

ALL = frozenset(
    {
        "employee",
        "manager",
        "skip_level_manager",
        "other_manager",
        "outsider",
        "coauthor",
        "hr_admin",
        "it_admin",
    }
)
HR = frozenset({"hr_admin"})
ADMINS = frozenset({"hr_admin", "it_admin"})

#: (action, target: a persona whose person is the target, a family id, or None) → who may.
EXPECTED: list[tuple[Action, str | None, frozenset[str]]] = [
    (Action.HOME_VIEW, None, ALL),
    (Action.FRAMEWORK_VIEW, None, ALL),
    (Action.FRAMEWORK_EDIT_CONTENT, "family:engineering", frozenset({"coauthor", "hr_admin"})),
    (Action.FRAMEWORK_EDIT_CONTENT, "family:product", HR),
    (Action.FRAMEWORK_EDIT_CONTENT, None, frozenset({"coauthor", "hr_admin"})),
    (Action.FRAMEWORK_EDIT_STRUCTURE, None, HR),
    (Action.FRAMEWORK_SUBMIT_FOR_REVIEW, None, frozenset({"coauthor", "hr_admin"})),
    (Action.FRAMEWORK_PUBLISH, None, HR),
    (Action.FRAMEWORK_IMPORT, None, HR),
    (Action.FRAMEWORK_VIEW_DRAFT, None, frozenset({"coauthor", "hr_admin"})),
    (Action.PERSON_VIEW, "employee", frozenset({"employee", "manager", "skip_level_manager", "hr_admin"})),
    (Action.PERSON_VIEW, "manager", frozenset({"manager", "skip_level_manager", "hr_admin"})),
    (Action.PERSON_VIEW, "skip_level_manager", frozenset({"skip_level_manager", "hr_admin"})),
    (Action.PERSON_VIEW, "outsider", frozenset({"outsider", "other_manager", "hr_admin"})),
    (Action.PERSON_VIEW, "coauthor", frozenset({"coauthor", "hr_admin"})),
    (
        Action.PERSON_VIEW_HISTORY,
        "employee",
        frozenset({"employee", "manager", "skip_level_manager", "hr_admin"}),
    ),
    (Action.PERSON_VIEW_HISTORY, "outsider", frozenset({"outsider", "other_manager", "hr_admin"})),
    (Action.PERSON_CREATE, None, HR),
    (Action.PERSON_UPDATE, "employee", HR),
    (Action.PERSON_SET_MANAGER, "employee", HR),
    (Action.PEOPLE_LIST, None, frozenset({"manager", "skip_level_manager", "other_manager", "hr_admin"})),
    (Action.PEOPLE_IMPORT, None, HR),
    (Action.ORGANISATION_OVERVIEW, None, HR),
    (Action.AUDIT_VIEW, None, ADMINS),
    (Action.USER_MANAGE, None, ADMINS),
    (Action.USER_INVITE, None, ADMINS),
    (Action.SETTINGS_MANAGE, None, ADMINS),
    (Action.ADMIN_VIEW, None, ADMINS),
    (Action.ROLES_VIEW, None, ADMINS),
    (Action.ROLES_MANAGE, None, HR),
    # Readiness: the person, their manager chain and HR; never the IT admin as such.
    (Action.READINESS_VIEW, "employee", frozenset({"employee", "manager", "skip_level_manager", "hr_admin"})),
    (Action.READINESS_VIEW, "manager", frozenset({"manager", "skip_level_manager", "hr_admin"})),
    (Action.READINESS_VIEW, "outsider", frozenset({"outsider", "other_manager", "hr_admin"})),
    # Skill gaps: the same people as readiness.
    (Action.GAPS_VIEW, "employee", frozenset({"employee", "manager", "skip_level_manager", "hr_admin"})),
    (Action.GAPS_VIEW, "outsider", frozenset({"outsider", "other_manager", "hr_admin"})),
    # 1:1s: the pair's alone — HR admins too are answered by the rule (they hold none here).
    (Action.ONE_ON_ONE_GUIDE, "employee", frozenset({"manager"})),
    (Action.ONE_ON_ONE_GUIDE, "manager", frozenset({"skip_level_manager"})),
    (Action.ONE_ON_ONE_GUIDE, "outsider", frozenset({"other_manager"})),
    (Action.ONE_ON_ONE_MINE, None, ALL - {"it_admin", "hr_admin"}),
    # "one_on_one:X": a meeting of X with their manager.
    (Action.ONE_ON_ONE_VIEW, "one_on_one:employee", frozenset({"employee", "manager"})),
    (Action.ONE_ON_ONE_VIEW, "one_on_one:manager", frozenset({"manager", "skip_level_manager"})),
    # Skills heatmaps: the company and families are HR's; a team (target: its manager) is the
    # manager's while they manage someone, and every manager's above them.
    (Action.HEATMAP_ORGANISATION, None, HR),
    (Action.HEATMAP_TEAM, "manager", frozenset({"manager", "skip_level_manager", "hr_admin"})),
    (Action.HEATMAP_TEAM, "skip_level_manager", frozenset({"skip_level_manager", "hr_admin"})),
    (Action.HEATMAP_TEAM, "other_manager", frozenset({"other_manager", "hr_admin"})),
    (Action.HEATMAP_TEAM, "employee", frozenset({"manager", "skip_level_manager", "hr_admin"})),
    # Importing past ratings: HR's alone.
    (Action.RATINGS_IMPORT, None, HR),
    # Review cycles: targets "review:<what>" are the employee's, in an open cycle (see `_review_target`).
    (Action.CYCLE_MANAGE, None, HR),
    (Action.REVIEWS_MINE, None, ALL - {"it_admin"}),
    (Action.ASSESSMENT_VIEW, "review:self", frozenset({"employee", "hr_admin"})),
    (Action.ASSESSMENT_VIEW, "review:manager", frozenset({"manager", "skip_level_manager", "hr_admin"})),
    (Action.ASSESSMENT_WRITE_SELF, "review:self", frozenset({"employee", "hr_admin"})),
    (Action.ASSESSMENT_RATE, "review:manager", frozenset({"manager", "hr_admin"})),
    # Nobody rates themselves: not even HR (a target about the employee, for the employee).
    (Action.ASSESSMENT_RATE, "employee", HR),
    (Action.CYCLE_SIGN_OFF, "review:participant", frozenset({"manager", "hr_admin"})),
    (
        Action.CYCLE_RESULTS_VIEW,
        "review:participant",
        frozenset({"manager", "skip_level_manager", "hr_admin"}),
    ),
    # Calibration: a group whose members are the manager and the other manager, calibrating the
    # employee, the outsider and the manager themselves.
    (Action.CALIBRATION_MANAGE, None, HR),
    (Action.CALIBRATION_VIEW, "calibration:group", frozenset({"manager", "other_manager", "hr_admin"})),
    (Action.CALIBRATION_ADJUST, "calibration:employee", frozenset({"manager", "other_manager", "hr_admin"})),
    (Action.CALIBRATION_ADJUST, "calibration:manager", frozenset({"other_manager", "hr_admin"})),
    (Action.CALIBRATION_CONFIRM, "calibration:outsider", frozenset({"manager", "other_manager", "hr_admin"})),
    (Action.CALIBRATION_CONFIRM, "calibration:manager", frozenset({"other_manager", "hr_admin"})),
    (Action.CALIBRATION_NOTES, "calibration:employee", frozenset({"manager", "other_manager", "hr_admin"})),
    (Action.CALIBRATION_NOTES, "calibration:manager", frozenset({"other_manager", "hr_admin"})),
    (Action.NOTIFICATIONS_VIEW, None, ALL - {"it_admin"}),
    (Action.EVIDENCE_RECORD, "employee", ALL - {"it_admin"}),
    (Action.EVIDENCE_VIEW, "employee", frozenset({"employee", "manager", "skip_level_manager", "hr_admin"})),
    (Action.EVIDENCE_VIEW, "outsider", frozenset({"outsider", "other_manager", "hr_admin"})),
    (Action.FEEDBACK_ANSWER, None, ALL - {"it_admin"}),
    # A participant of a review cycle (see `_target`): the employee, under the manager.
    (Action.PEER_NOMINATE, "participant:employee", frozenset({"employee", "manager", "hr_admin"})),
    (Action.PEER_NOMINATION_DECIDE, "participant:employee", frozenset({"manager", "hr_admin"})),
    (
        Action.PEER_FEEDBACK_VIEW,
        "participant:employee",
        frozenset({"employee", "manager", "skip_level_manager", "hr_admin"}),
    ),
    (Action.PEER_FEEDBACK_NAMES, "participant:employee", HR),
    # In a cycle that shows peer names to managers: the managers, never the subject.
    (
        Action.PEER_FEEDBACK_NAMES,
        "participant:employee+names",
        frozenset({"manager", "skip_level_manager", "hr_admin"}),
    ),
    # Promotions: "nomination:X" is X's nomination, submitted to a committee of the other manager and
    # the skip-level manager (who may not decide about their own reports).
    (Action.PROMOTION_LIST, None, ALL - {"it_admin"}),
    (Action.PROMOTION_REQUEST, None, ALL - {"it_admin"}),
    (Action.PROMOTION_NOMINATE, "employee", frozenset({"manager", "hr_admin"})),
    (Action.PROMOTION_NOMINATE, "manager", frozenset({"skip_level_manager", "hr_admin"})),
    (
        Action.PROMOTION_VIEW,
        "nomination:employee",
        frozenset({"manager", "skip_level_manager", "other_manager", "hr_admin"}),
    ),
    (
        Action.PROMOTION_VIEW,
        "nomination:manager",
        frozenset({"skip_level_manager", "other_manager", "hr_admin"}),
    ),
    (Action.PROMOTION_ENDORSE, "nomination:employee", frozenset({"skip_level_manager", "hr_admin"})),
    (Action.PROMOTION_ENDORSE, "nomination:manager", HR),
    (Action.PROMOTION_DECIDE, "nomination:employee", frozenset({"other_manager", "hr_admin"})),
    (Action.PROMOTION_DECIDE, "nomination:outsider", frozenset({"skip_level_manager", "hr_admin"})),
    (
        Action.PROMOTION_QUEUE,
        "nomination:employee",
        frozenset({"other_manager", "skip_level_manager", "hr_admin"}),
    ),
    (Action.PROMOTION_OVERVIEW, None, HR),
    (Action.PROMOTION_COMMITTEE_MANAGE, None, HR),
    (Action.PROMOTION_APPLY, "nomination:employee", HR),
    (Action.READINESS_WHAT_IF, None, HR),
    (Action.AGREEMENT_VIEW, "family:engineering", frozenset({"coauthor", "hr_admin"})),
    (Action.AGREEMENT_VIEW, "family:product", HR),
    (Action.AGREEMENT_VIEW, None, frozenset({"coauthor", "hr_admin"})),
    (Action.AGREEMENT_OVERVIEW, None, HR),
    # Development plans: read by the person, their manager chain and HR; edited by the person and
    # their direct manager (and HR), never the skip-level manager.
    (Action.PLAN_VIEW, "employee", frozenset({"employee", "manager", "skip_level_manager", "hr_admin"})),
    (Action.PLAN_VIEW, "outsider", frozenset({"outsider", "other_manager", "hr_admin"})),
    (Action.PLAN_EDIT, "employee", frozenset({"employee", "manager", "hr_admin"})),
    (Action.PLAN_EDIT, "manager", frozenset({"manager", "skip_level_manager", "hr_admin"})),
    (Action.PLAN_EDIT, "outsider", frozenset({"outsider", "other_manager", "hr_admin"})),
    # The OKR tree: "objective:<level>[:<owner>]" (see `_objective_target`); "level:<level>".
    (Action.OKR_VIEW, None, ALL),
    (Action.OBJECTIVE_VIEW, "objective:company", ALL),
    (Action.OBJECTIVE_VIEW, "objective:team:manager", ALL),
    (
        Action.OBJECTIVE_VIEW,
        "objective:personal:employee",
        frozenset({"employee", "manager", "skip_level_manager", "hr_admin"}),
    ),
    (Action.OBJECTIVE_CREATE, "level:company", HR),
    (
        Action.OBJECTIVE_CREATE,
        "level:team",
        frozenset({"manager", "skip_level_manager", "other_manager", "hr_admin"}),
    ),
    (Action.OBJECTIVE_CREATE, "level:personal", ALL - {"it_admin"}),
    (Action.OBJECTIVE_EDIT, "objective:company", HR),
    (Action.OBJECTIVE_EDIT, "objective:team:manager", frozenset({"manager", "hr_admin"})),
    (Action.OBJECTIVE_EDIT, "objective:personal:employee", frozenset({"employee", "hr_admin"})),
    # Internal mobility: "opportunity:<status>" is a gig posted by the manager (see `_opportunity`).
    (Action.OPPORTUNITY_LIST, None, ALL - {"it_admin"}),
    (
        Action.OPPORTUNITY_POST,
        None,
        frozenset({"manager", "skip_level_manager", "other_manager", "hr_admin"}),
    ),
    (Action.OPPORTUNITY_VIEW, "opportunity:open", ALL - {"it_admin"}),
    (Action.OPPORTUNITY_VIEW, "opportunity:draft", frozenset({"manager", "hr_admin"})),
    (Action.OPPORTUNITY_MANAGE, "opportunity:open", frozenset({"manager", "hr_admin"})),
    (Action.OPPORTUNITY_MANAGE, "opportunity:draft", frozenset({"manager", "hr_admin"})),
    (Action.OPPORTUNITY_APPLY, "opportunity:open", ALL - {"it_admin", "manager"}),
    (Action.OPPORTUNITY_APPLY, "opportunity:draft", HR),
    (
        Action.APPLICATIONS_OF_REPORTS,
        None,
        frozenset({"manager", "skip_level_manager", "other_manager", "hr_admin"}),
    ),
]


def case_id(value: object) -> str:
    """Test ids that are the same in every process (a frozenset's order is not)."""
    if isinstance(value, frozenset):
        return "+".join(sorted(value))
    return str(value)


def test_every_action_is_in_the_table() -> None:
    assert {action for action, _, _ in EXPECTED} == set(Action)


def _review_target(what: str, personas: dict[str, User]) -> object:
    """The employee's participation in an open cycle of everyone, or their self or manager
    assessment in it (each with one rating; the self-assessment not submitted)."""
    import datetime

    from trellis.web.frameworks.models import FrameworkVersion
    from trellis.web.reviews.assessment_services import rating_save
    from trellis.web.reviews.cycle_services import Selection, cycle_open
    from trellis.web.reviews.models import Assessment, CycleParticipant, Source

    cycle = cycle_open(
        actor=personas["hr_admin"],
        name="Policy",
        framework_version=FrameworkVersion.objects.get(is_current=True),
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 12, 31),
        selection=Selection(everyone=True),
    ).cycle
    participant = CycleParticipant.objects.select_related("cycle").get(
        cycle=cycle, person=personas["employee"].person
    )
    if what == "participant":
        return participant
    source = Source(what)
    author = personas["employee"] if source == Source.SELF else personas["manager"]
    rating_save(
        actor=author, participant=participant, source=source, competency_id="communication",
        score=3, comment="", evidence="", revision=0,
    )  # fmt: skip
    return Assessment.objects.get(cycle=cycle, source=source)


def _target(name: str | None, personas: dict[str, User]) -> object:
    if name is None:
        return None
    if name.startswith("review:"):
        return _review_target(name.removeprefix("review:"), personas)
    if name.startswith("family:"):
        return name.removeprefix("family:")
    if name.startswith("calibration:"):
        return _calibration_target(name.removeprefix("calibration:"), personas)
    if name.startswith("participant:"):
        return _participant(personas, name.removeprefix("participant:"))
    if name.startswith("one_on_one:"):
        return _one_on_one(personas[name.removeprefix("one_on_one:")].person)
    if name.startswith("level:"):
        return name.removeprefix("level:")
    if name.startswith("objective:"):
        return _objective_target(name.removeprefix("objective:"), personas)
    if name.startswith("nomination:"):
        return _submitted_nomination(personas[name.removeprefix("nomination:")].person, personas)
    if name.startswith("opportunity:"):
        return _opportunity(personas, name.removeprefix("opportunity:"))
    return personas[name].person


def _one_on_one(report: object) -> object:
    """A 1:1 of `report` with their manager."""
    import datetime

    from trellis.web.growth.models import OneOnOne
    from trellis.web.people.models import Person

    assert isinstance(report, Person)
    return OneOnOne.objects.create(
        manager=report.manager, report=report, happens_on=datetime.date(2026, 11, 2)
    )


def _opportunity(personas: dict[str, User], status: str) -> object:
    from trellis.web.mobility.models import Opportunity

    return Opportunity.objects.create(
        kind=Opportunity.Kind.GIG, title="Gig", hiring_manager=personas["manager"].person, status=status
    )


def _calibration_target(name: str, personas: dict[str, User]) -> object:
    """The calibration group ("group") or the named persona's place in it."""
    import datetime

    from trellis.web.frameworks.models import FrameworkVersion
    from trellis.web.reviews.models import CalibrationGroup, CycleParticipant, ReviewCycle

    version = FrameworkVersion.objects.create(number=1, yaml_text="name: Policy\n")
    cycle = ReviewCycle.objects.create(
        name="Cycle",
        framework_version=version,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 6, 30),
    )
    group = CalibrationGroup.objects.create(cycle=cycle, name="Managers")
    group.members.set([personas["manager"].person, personas["other_manager"].person])
    participants = {
        persona: CycleParticipant.objects.create(
            cycle=cycle,
            person=personas[persona].person,
            family_id="engineering",
            track_id="ic",
            level_code="IC2",
            manager=personas[persona].person.manager,
            calibration_group=group,
        )
        for persona in ("employee", "outsider", "manager")
    }
    return group if name == "group" else participants[name]


def _participant(personas: dict[str, User], name: str) -> object:
    """A participant of a review cycle pinned to a (bare) published version; ``+names``: the cycle
    shows peer names to managers."""
    import datetime

    from trellis.web.frameworks.models import FrameworkVersion
    from trellis.web.reviews.models import CycleParticipant, ReviewCycle

    persona, _, names = name.partition("+")
    version = FrameworkVersion.objects.first() or FrameworkVersion.objects.create(number=1, yaml_text="")
    cycle = ReviewCycle.objects.create(
        name=f"Cycle {ReviewCycle.objects.count() + 1}",
        framework_version=version,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 6, 30),
        show_peer_names_to_manager=bool(names),
    )
    person = personas[persona].person
    return CycleParticipant.objects.create(
        cycle=cycle,
        person=person,
        family_id=person.family_id,
        track_id=person.track_id,
        level_code=person.level_code,
        manager=person.manager,
    )


def _objective_target(name: str, personas: dict[str, User]) -> object:
    """An objective of the level named, owned by the persona named (none for the company's)."""
    import datetime

    from trellis.web.growth.models import Objective

    level, _, owner = name.partition(":")
    return Objective.objects.create(
        title=f"A {level} objective",
        level=level,
        owner=personas[owner].person if owner else None,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )


def _submitted_nomination(subject: object, personas: dict[str, User]) -> object:
    from trellis.web.promotions.models import Nomination, PromotionCommittee

    committee, _ = PromotionCommittee.objects.get_or_create(name="Promotions")
    committee.members.set([personas["other_manager"].person, personas["skip_level_manager"].person])
    return Nomination.objects.create(
        person=subject, target_family_id="engineering", target_track_id="ic", target_level_code="IC6",
        status=Nomination.Status.SUBMITTED, committee=committee,
    )  # fmt: skip


@pytest.mark.parametrize(("action", "target_name", "allowed"), EXPECTED, ids=case_id)
def test_who_may_do_what(
    personas: dict[str, User],
    action: Action,
    target_name: str | None,
    allowed: frozenset[str],
    request: pytest.FixtureRequest,
) -> None:
    if target_name is not None and target_name.startswith("review:"):
        request.getfixturevalue("published_framework")
    target = _target(target_name, personas)
    actual = {name for name, viewer in personas.items() if policy.can(viewer, action, target)}
    assert actual == allowed
    assert policy.can(AnonymousUser(), action, target) is False
    assert policy.can(None, action, target) is False


@pytest.mark.parametrize(("action", "target_name", "allowed"), EXPECTED, ids=case_id)
def test_a_deactivated_account_may_do_nothing(
    personas: dict[str, User],
    action: Action,
    target_name: str | None,
    allowed: frozenset[str],
    request: pytest.FixtureRequest,
) -> None:
    if target_name is not None and target_name.startswith("review:"):
        request.getfixturevalue("published_framework")
    target = _target(target_name, personas)
    for viewer in personas.values():
        viewer.is_active = False
        assert policy.can(viewer, action, target) is False


def test_a_manager_no_longer_sees_a_report_who_left(
    employee: User, manager: User, skip_level_manager: User
) -> None:
    employee.person.is_active = False
    employee.person.save(update_fields=["is_active"])
    subject = type(employee.person).objects.get(pk=employee.person.pk)
    assert policy.can(manager, Action.PERSON_VIEW, subject) is False
    assert policy.can(skip_level_manager, Action.PERSON_VIEW, subject) is False


def test_a_manager_who_left_does_not_link_their_manager_to_their_reports(
    employee: User, manager: User, skip_level_manager: User
) -> None:
    manager.person.is_active = False
    manager.person.save(update_fields=["is_active"])
    subject = type(employee.person).objects.get(pk=employee.person.pk)
    assert policy.can(skip_level_manager, Action.PERSON_VIEW, subject) is False


def test_a_manager_whose_reports_all_left_is_no_longer_a_manager(employee: User, manager: User) -> None:
    employee.person.is_active = False
    employee.person.save(update_fields=["is_active"])
    assert policy.can(User.objects.get(pk=manager.pk), Action.PEOPLE_LIST) is False


def test_unknown_actions_are_programming_errors(employee: User) -> None:
    with pytest.raises(ValueError, match=r"unknown action 'person\.veiw'"):
        policy.can(employee, "person.veiw")


def test_person_actions_need_a_person(employee: User) -> None:
    with pytest.raises(TypeError, match="takes a Person"):
        policy.can(employee, Action.PERSON_VIEW, employee)


def test_require_refuses_with_permission_denied(employee: User) -> None:
    with pytest.raises(PermissionDenied):
        policy.require(employee, Action.FRAMEWORK_PUBLISH)
    policy.require(employee, Action.FRAMEWORK_VIEW)


def test_require_visible_hides_with_not_found(employee: User, outsider: User) -> None:
    with pytest.raises(Http404):
        policy.require_visible(employee, Action.PERSON_VIEW, outsider.person)
    policy.require_visible(employee, Action.PERSON_VIEW, employee.person)


def test_answers_are_cached_for_the_request(
    manager: User, employee: User, coauthor: User, django_assert_num_queries: object
) -> None:
    viewer = User.objects.select_related("person").get(pk=manager.pk)
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert policy.can(viewer, Action.PEOPLE_LIST) is True
        assert policy.can(viewer, Action.PEOPLE_LIST) is True
        assert policy.is_manager(viewer) is True
    author = User.objects.select_related("person").get(pk=coauthor.pk)
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert policy.can(author, Action.FRAMEWORK_EDIT_CONTENT, "engineering") is True
        assert policy.can(author, Action.FRAMEWORK_EDIT_CONTENT, "product") is False
        assert policy.can(author, Action.FRAMEWORK_SUBMIT_FOR_REVIEW) is True


def test_seeing_a_skip_level_report_costs_one_query_or_none(
    employee: User, skip_level_manager: User, django_assert_num_queries: object
) -> None:
    viewer = User.objects.select_related("person").get(pk=skip_level_manager.pk)
    subject = type(employee.person).objects.get(pk=employee.person.pk)
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert policy.can(viewer, Action.PERSON_VIEW, subject) is True
    loaded = type(employee.person).objects.select_related("manager").get(pk=employee.person.pk)
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert policy.can(viewer, Action.PERSON_VIEW, loaded) is True


def test_visible_people_filter_matches_the_rule(personas: dict[str, User]) -> None:
    from trellis.web.people.models import Person

    def visible(name: str) -> set[str]:
        return set(
            Person.objects.filter(policy.visible_people(personas[name])).values_list("full_name", flat=True)
        )

    assert visible("employee") == {"Emi Employee"}
    assert visible("manager") == {"Mo Manager", "Emi Employee"}
    assert visible("skip_level_manager") == {"Sara Skip", "Mo Manager", "Emi Employee"}
    assert visible("other_manager") == {"Otto Other", "Ola Outsider"}
    assert visible("coauthor") == {"Cai Coauthor"}
    assert visible("it_admin") == set()
    assert len(visible("hr_admin")) == 6
    assert Person.objects.filter(policy.visible_people(AnonymousUser())).count() == 0
