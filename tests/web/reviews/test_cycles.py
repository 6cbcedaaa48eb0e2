"""Review cycles: opening one (its participants pinned at their level and manager, in a constant
number of queries), its phases, calibrated results, sign-off and sharing — and who may see what.
Every refusal also asserts that nothing stored changed."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.web.conftest import HIRED_ON, LEVEL_SINCE, make_user
from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.notifications.models import Notification
from trellis.web.people.models import Person, Team
from trellis.web.policy import Action
from trellis.web.reviews.assessment_services import assessment_submit, rating_save
from trellis.web.reviews.cycle_services import (
    Selection,
    cycle_advance,
    cycle_open,
    participant_sign_off,
)
from trellis.web.reviews.models import Assessment, CycleParticipant, Rating, ReviewCycle, Source

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 7, 1), datetime.date(2026, 12, 31)


def review_tables() -> tuple[list[tuple[Any, ...]], ...]:
    """Everything the cycle services write: cycles, participants, assessments, ratings, audit."""
    return (
        list(ReviewCycle.objects.order_by("pk").values_list()),
        list(CycleParticipant.objects.order_by("pk").values_list()),
        list(Assessment.objects.order_by("pk").values_list()),
        list(Rating.objects.order_by("pk").values_list()),
        list(AuditEvent.objects.order_by("pk").values_list("action", "target_id")),
    )


def open_cycle(actor: User, version: FrameworkVersion, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "name": "Second half 2026",
        "framework_version": version,
        "starts_on": START,
        "ends_on": END,
        "selection": Selection(everyone=True),
    }
    values.update(overrides)
    return cycle_open(actor=actor, **values)


@pytest.fixture(name="cycle")
def cycle_fixture(personas: dict[str, User], published_framework: FrameworkVersion) -> ReviewCycle:
    """Everyone in the personas' company, in the assessment phase."""
    opened: ReviewCycle = open_cycle(personas["hr_admin"], published_framework).cycle
    return opened


def participant_of(cycle: ReviewCycle, user: User) -> CycleParticipant:
    return CycleParticipant.objects.select_related("cycle__framework_version", "person").get(
        cycle=cycle, person=user.person
    )


def rate(
    actor: User, participant: CycleParticipant, source: Source, competency: str, score: int | None, **kw: Any
) -> Any:
    return rating_save(
        actor=actor,
        participant=participant,
        source=source,
        competency_id=competency,
        score=score,
        comment=kw.get("comment", ""),
        evidence=kw.get("evidence", ""),
        revision=kw.get("revision", 0),
    )


class TestOpening:
    def test_everyone_active_is_taken_in_at_their_level_and_manager_now(
        self, personas: dict[str, User], published_framework: FrameworkVersion
    ) -> None:
        opened = open_cycle(
            personas["hr_admin"], published_framework, peer_minimum=4, upward_feedback=True, self_due=END
        )
        rows = sorted(
            CycleParticipant.objects.filter(cycle=opened.cycle).values_list(
                "person__employee_id", "family_id", "track_id", "level_code", "manager__employee_id"
            )
        )
        assert rows == [
            ("E001", "engineering", "management", "M2", None),
            ("E002", "engineering", "management", "M1", "E001"),
            ("E003", "engineering", "ic", "IC2", "E002"),
            ("E004", "engineering", "management", "M1", None),
            ("E005", "engineering", "ic", "IC3", "E004"),
            ("E006", "engineering", "ic", "IC5", None),
        ]
        assert (opened.participants, opened.left_out) == (6, 0)
        stored = ReviewCycle.objects.get()
        assert (stored.phase, stored.peer_minimum, stored.upward_feedback, stored.self_due) == (
            "assessment",
            4,
            True,
            END,
        )
        assert stored.selection == {"everyone": True, "families": [], "teams": [], "levels": []}
        event = AuditEvent.objects.get(action="cycle.opened")
        assert (event.actor_id, event.target_id) == (personas["hr_admin"].pk, str(stored.pk))
        assert event.fields == sorted(
            ["name", "framework_version", "starts_on", "ends_on", "selection", "participants"]
        )

    def test_by_team_family_or_level_takes_anyone_in_any_of_them(
        self, personas: dict[str, User], published_framework: FrameworkVersion, team: Team
    ) -> None:
        hr = personas["hr_admin"]
        by_team = open_cycle(hr, published_framework, name="A", selection=Selection(team_ids=[team.pk]))
        by_level = open_cycle(
            hr,
            published_framework,
            name="B",
            selection=Selection(levels=["engineering/ic/IC3", "engineering/ic/IC5"]),
        )
        mixed = open_cycle(
            hr,
            published_framework,
            name="C",
            selection=Selection(team_ids=[team.pk], levels=["engineering/ic/IC3"]),
        )

        def people(opened: Any) -> list[str]:
            return sorted(
                CycleParticipant.objects.filter(cycle=opened.cycle).values_list(
                    "person__employee_id", flat=True
                )
            )

        assert people(by_team) == ["E001", "E002", "E003"]
        assert people(by_level) == ["E005", "E006"]
        assert people(mixed) == ["E001", "E002", "E003", "E005"]

    def test_an_inactive_manager_is_not_pinned_and_leavers_are_not_taken_in(
        self, personas: dict[str, User], published_framework: FrameworkVersion
    ) -> None:
        Person.objects.filter(employee_id="E004").update(is_active=False)
        opened = open_cycle(personas["hr_admin"], published_framework)
        rows = dict(
            CycleParticipant.objects.filter(cycle=opened.cycle).values_list(
                "person__employee_id", "manager__employee_id"
            )
        )
        assert "E004" not in rows
        assert rows["E005"] is None

    def test_people_at_a_level_the_version_lacks_are_left_out_and_counted(
        self, personas: dict[str, User], published_framework: FrameworkVersion
    ) -> None:
        Person.objects.create(
            employee_id="E900",
            email="e900@example.com",
            full_name="Una Unplaced",
            family_id="engineering",
            track_id="ic",
            level_code="IC9",
            level_since=LEVEL_SINCE,
        )
        opened = open_cycle(personas["hr_admin"], published_framework)
        assert (opened.participants, opened.left_out) == (6, 1)
        assert not CycleParticipant.objects.filter(person__employee_id="E900").exists()

    def test_ten_thousand_people_cost_the_queries_of_six(
        self, personas: dict[str, User], published_framework: FrameworkVersion
    ) -> None:
        hr = personas["hr_admin"]
        with CaptureQueriesContext(connection) as few:
            open_cycle(hr, published_framework, name="Few")
        manager = personas["manager"].person
        Person.objects.bulk_create(
            Person(
                employee_id=f"B{number:05d}",
                email=f"b{number}@example.com",
                full_name=f"Bulk {number}",
                family_id="engineering",
                track_id="ic",
                level_code="IC2",
                level_since=LEVEL_SINCE,
                hired_on=HIRED_ON,
                manager=manager,
            )
            for number in range(10_000)
        )
        with CaptureQueriesContext(connection) as many:
            opened = open_cycle(hr, published_framework, name="Many")
        assert opened.participants == 10_006
        assert len(many.captured_queries) == len(few.captured_queries)
        # Every participant told the cycle opened, in the same constant number of queries.
        assert (
            Notification.objects.filter(kind="cycle_opened", about=f"cycle:{opened.cycle.pk}").count()
            == 10_006
        )
        assert CycleParticipant.objects.filter(cycle=opened.cycle, manager=manager).count() == 10_001

    @pytest.mark.parametrize(
        ("overrides", "errors"),
        [
            ({"name": "  "}, {"name": ["Give the cycle a name."]}),
            (
                {"ends_on": datetime.date(2026, 6, 30)},
                {"ends_on": ["The cycle cannot end before it starts."]},
            ),
            (
                {"peer_minimum": 0},
                {"peer_minimum": ["At least one peer answer is needed before any is shown."]},
            ),
            (
                {"selection": Selection()},
                {"everyone": ["Choose who takes part: everyone, or at least one family, team or level."]},
            ),
            (
                {"selection": Selection(families=["sales"])},
                {
                    "everyone": [
                        "Nobody active matches this selection at a level of the chosen framework version."
                    ]
                },
            ),
        ],
    )
    def test_bad_input_names_the_field_and_stores_nothing(
        self,
        personas: dict[str, User],
        published_framework: FrameworkVersion,
        overrides: dict[str, Any],
        errors: dict[str, list[str]],
    ) -> None:
        before = review_tables()
        with pytest.raises(ValidationError) as refused:
            open_cycle(personas["hr_admin"], published_framework, **overrides)
        assert refused.value.message_dict == errors
        assert review_tables() == before

    def test_a_name_in_use_is_refused(self, cycle: ReviewCycle, personas: dict[str, User]) -> None:
        before = review_tables()
        with pytest.raises(ValidationError) as refused:
            open_cycle(personas["hr_admin"], cycle.framework_version, name=" Second  half 2026 ")
        assert refused.value.message_dict == {"name": ["A cycle called “Second half 2026” exists already."]}
        assert review_tables() == before

    @pytest.mark.parametrize("actor", ["employee", "manager", "skip_level_manager", "it_admin"])
    def test_only_hr_opens_a_cycle(
        self, personas: dict[str, User], published_framework: FrameworkVersion, actor: str
    ) -> None:
        before = review_tables()
        with pytest.raises(PermissionDenied):
            open_cycle(personas[actor], published_framework)
        assert review_tables() == before


class TestPhases:
    def test_calibration_starts_from_a_copy_of_the_managers_scores(
        self, cycle: ReviewCycle, personas: dict[str, User]
    ) -> None:
        employee = participant_of(cycle, personas["employee"])
        rate(personas["manager"], employee, Source.MANAGER, "communication", 4, comment="Clear writing.")
        rate(personas["manager"], employee, Source.MANAGER, "ownership", None, comment="Not seen yet.")
        rate(personas["employee"], employee, Source.SELF, "communication", 5)

        cycle_advance(actor=personas["hr_admin"], cycle=cycle, expected_phase="assessment")

        assert ReviewCycle.objects.get().phase == "calibration"
        calibrated = Assessment.objects.filter(cycle=cycle, source=Source.CALIBRATED)
        assert calibrated.count() == 6
        assert all(assessment.author_id is None for assessment in calibrated)
        # Only scores given are copied: a missing one stays missing (no row), never a default.
        assert list(
            Rating.objects.filter(cycle=cycle, source=Source.CALIBRATED).values_list(
                "subject__employee_id", "competency_id", "score", "comment", "revision"
            )
        ) == [("E003", "communication", 4, "", 1)]
        assert AuditEvent.objects.filter(action="cycle.phase_changed").get().fields == [
            "calibrated_results",
            "phase",
        ]

    def test_a_stale_phase_is_refused_and_changes_nothing(
        self, cycle: ReviewCycle, personas: dict[str, User]
    ) -> None:
        cycle_advance(actor=personas["hr_admin"], cycle=cycle, expected_phase="assessment")
        before = review_tables()
        with pytest.raises(ValidationError) as refused:
            cycle_advance(actor=personas["hr_admin"], cycle=cycle, expected_phase="assessment")
        assert refused.value.messages == [
            "The cycle moved on meanwhile: it is in Calibration now. Nothing was changed."
        ]
        assert review_tables() == before

    @pytest.mark.parametrize("actor", ["employee", "manager", "it_admin"])
    def test_only_hr_moves_a_cycle_on(
        self, cycle: ReviewCycle, personas: dict[str, User], actor: str
    ) -> None:
        before = review_tables()
        with pytest.raises(PermissionDenied):
            cycle_advance(actor=personas[actor], cycle=cycle, expected_phase="assessment")
        assert review_tables() == before

    def test_the_phases_run_in_order_to_closed(self, cycle: ReviewCycle, personas: dict[str, User]) -> None:
        hr = personas["hr_admin"]
        seen = []
        for phase in ("assessment", "calibration", "sign_off", "shared"):
            seen.append(cycle_advance(actor=hr, cycle=cycle, expected_phase=phase).phase)
        assert seen == ["calibration", "sign_off", "shared", "closed"]
        with pytest.raises(ValidationError):
            cycle_advance(actor=hr, cycle=cycle, expected_phase="closed")


def to_phase(cycle: ReviewCycle, hr: User, phase: str) -> None:
    order = ["assessment", "calibration", "sign_off", "shared", "closed"]
    while cycle.phase != phase:
        cycle_advance(actor=hr, cycle=cycle, expected_phase=order[order.index(cycle.phase)])


class TestSignOffAndSharing:
    def test_sign_off_waits_for_its_phase(self, cycle: ReviewCycle, personas: dict[str, User]) -> None:
        employee = participant_of(cycle, personas["employee"])
        before = review_tables()
        with pytest.raises(ValidationError) as refused:
            participant_sign_off(actor=personas["manager"], participant=employee)
        assert refused.value.messages == [
            "Results are signed off in the sign-off phase; this cycle is in Assessment."
        ]
        assert review_tables() == before

    @pytest.mark.parametrize("actor", ["employee", "skip_level_manager", "other_manager", "it_admin"])
    def test_only_the_manager_in_the_cycle_or_hr_signs_off(
        self, cycle: ReviewCycle, personas: dict[str, User], actor: str
    ) -> None:
        to_phase(cycle, personas["hr_admin"], "sign_off")
        employee = participant_of(cycle, personas["employee"])
        before = review_tables()
        with pytest.raises(PermissionDenied):
            participant_sign_off(actor=personas[actor], participant=employee)
        assert review_tables() == before

    def test_nobody_signs_off_their_own_results_hr_included(
        self, cycle: ReviewCycle, personas: dict[str, User]
    ) -> None:
        hr_person = make_user("hr.person@example.com", "Hedda HR", is_hr_admin=True)
        Person.objects.filter(employee_id="E006").update(user=hr_person)
        to_phase(cycle, personas["hr_admin"], "sign_off")
        own = CycleParticipant.objects.get(cycle=cycle, person__employee_id="E006")
        with pytest.raises(PermissionDenied):
            participant_sign_off(actor=hr_person, participant=own)
        assert CycleParticipant.objects.get(pk=own.pk).signed_off_at is None

    def test_sharing_shows_the_signed_off_results_and_later_sign_offs_at_once(
        self, cycle: ReviewCycle, personas: dict[str, User]
    ) -> None:
        hr = personas["hr_admin"]
        employee = participant_of(cycle, personas["employee"])
        rate(personas["manager"], employee, Source.MANAGER, "communication", 4, comment="Clear writing.")
        to_phase(cycle, hr, "sign_off")
        participant_sign_off(actor=personas["manager"], participant=employee)
        with pytest.raises(ValidationError) as again:
            participant_sign_off(actor=hr, participant=employee)
        assert again.value.messages == ["These results are signed off already."]

        to_phase(cycle, hr, "shared")
        shared = dict(
            CycleParticipant.objects.filter(cycle=cycle).values_list("person__employee_id", "shared_at")
        )
        assert shared["E003"] is not None
        assert [key for key, moment in shared.items() if moment is not None] == ["E003"]

        outsider = participant_of(cycle, personas["outsider"])
        participant_sign_off(actor=personas["other_manager"], participant=outsider)
        assert CycleParticipant.objects.get(pk=outsider.pk).shared_at is not None
        assert AuditEvent.objects.filter(action="cycle.participant_signed_off").count() == 2
        assert AuditEvent.objects.filter(action="cycle.shared").count() == 1


class TestWhoSeesWhat:
    """Confidential: ratings are seen by the subject only when shared (their own self-assessment
    always), by their manager chain (manager and skip-level) and HR; never by IT admins, peers or
    other managers."""

    @pytest.fixture
    def assessed(self, cycle: ReviewCycle, personas: dict[str, User]) -> dict[str, Assessment]:
        employee = participant_of(cycle, personas["employee"])
        rate(personas["employee"], employee, Source.SELF, "communication", 3)
        rate(personas["manager"], employee, Source.MANAGER, "communication", 4)
        return {
            "self": Assessment.objects.get(source=Source.SELF),
            "manager": Assessment.objects.get(source=Source.MANAGER),
        }

    def sees(self, personas: dict[str, User], assessment: Assessment) -> list[str]:
        fresh = Assessment.objects.get(pk=assessment.pk)
        return sorted(
            name
            for name, user in personas.items()
            if policy.can(User.objects.get(pk=user.pk), Action.ASSESSMENT_VIEW, fresh)
        )

    def test_before_submission_the_self_assessment_is_its_authors_and_hrs(
        self, personas: dict[str, User], assessed: dict[str, Assessment]
    ) -> None:
        assert self.sees(personas, assessed["self"]) == ["employee", "hr_admin"]

    def test_once_submitted_the_manager_chain_reads_it(
        self, cycle: ReviewCycle, personas: dict[str, User], assessed: dict[str, Assessment]
    ) -> None:
        assessment_submit(
            actor=personas["employee"],
            participant=participant_of(cycle, personas["employee"]),
            source=Source.SELF,
        )
        assert self.sees(personas, assessed["self"]) == [
            "employee",
            "hr_admin",
            "manager",
            "skip_level_manager",
        ]

    def test_the_subject_reads_the_managers_only_once_shared(
        self, cycle: ReviewCycle, personas: dict[str, User], assessed: dict[str, Assessment]
    ) -> None:
        assert self.sees(personas, assessed["manager"]) == ["hr_admin", "manager", "skip_level_manager"]
        hr = personas["hr_admin"]
        to_phase(cycle, hr, "sign_off")
        participant_sign_off(
            actor=personas["manager"], participant=participant_of(cycle, personas["employee"])
        )
        assert self.sees(personas, assessed["manager"]) == ["hr_admin", "manager", "skip_level_manager"]
        to_phase(cycle, hr, "shared")
        assert self.sees(personas, assessed["manager"]) == [
            "employee",
            "hr_admin",
            "manager",
            "skip_level_manager",
        ]
        calibrated = Assessment.objects.get(source=Source.CALIBRATED, subject=personas["employee"].person)
        assert self.sees(personas, calibrated) == ["employee", "hr_admin", "manager", "skip_level_manager"]

    def test_results_page_rights(self, cycle: ReviewCycle, personas: dict[str, User]) -> None:
        employee = participant_of(cycle, personas["employee"])

        def readers() -> list[str]:
            fresh = CycleParticipant.objects.get(pk=employee.pk)
            return sorted(n for n, u in personas.items() if policy.can(u, Action.CYCLE_RESULTS_VIEW, fresh))

        assert readers() == ["hr_admin", "manager", "skip_level_manager"]
        to_phase(cycle, personas["hr_admin"], "sign_off")
        participant_sign_off(actor=personas["manager"], participant=employee)
        to_phase(cycle, personas["hr_admin"], "shared")
        assert readers() == ["employee", "hr_admin", "manager", "skip_level_manager"]


def test_an_hr_admin_reviewed_in_a_cycle_waits_for_sharing_like_anyone(
    cycle: ReviewCycle, personas: dict[str, User]
) -> None:
    hr_person = make_user("hr.person@example.com", "Hedda HR", is_hr_admin=True)
    Person.objects.filter(employee_id="E003").update(user=hr_person)
    employee = participant_of(cycle, personas["employee"])
    rate(personas["manager"], employee, Source.MANAGER, "communication", 4)
    manager_assessment = Assessment.objects.get(source=Source.MANAGER)
    hr_reader = User.objects.get(pk=hr_person.pk)
    assert policy.can(hr_reader, Action.ASSESSMENT_VIEW, manager_assessment) is False
    assert policy.can(hr_reader, Action.CYCLE_RESULTS_VIEW, employee) is False
    # Another HR admin reads it, as HR reads everything.
    assert policy.can(personas["hr_admin"], Action.ASSESSMENT_VIEW, manager_assessment) is True
