"""Everyone's figures read in bulk for the company-wide matching, and each opportunity's best
candidates ranked from them: the same figures as one person's gaps (self-ratings aside, left out at
this scale), hand-computed.

The employee (growth's `rated`): 2025 H1 closed — manager communication 3, delivery 3, craft 2,
calibrated delivery 4; 2025 H2 shared — manager communication 2, self craft 5; 2026 H1 still in
calibration — manager craft 5 (not counted).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trellis.evaluation.matching import RankFields, rank_key
from trellis.web.accounts.models import User
from trellis.web.growth.selectors import demonstrated_get
from trellis.web.mobility.matching_selectors import demonstrated_matrix, rank_people_for_all
from trellis.web.mobility.models import Opportunity, OpportunityRequirement
from trellis.web.people.models import Person
from trellis.web.reviews.models import ReviewCycle, Source

from ..growth.conftest import rated  # noqa: F401  (the fixture)
from ..promotions.conftest import make_cycle, rate, version  # noqa: F401  (helpers and the fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rated")]

COLUMNS = ["communication", "delivery", "craft", "people-development"]


def row(matrix: object, person: Person) -> list[float | None]:
    ids = matrix.person_ids.tolist()  # type: ignore[attr-defined]
    values = matrix.scores[ids.index(person.pk)].tolist()  # type: ignore[attr-defined]
    return [None if math.isnan(value) else value for value in values]


def test_the_latest_assessed_figure_per_competency_as_the_gaps_page_reads_it(
    employee: User, manager: User
) -> None:
    matrix = demonstrated_matrix(competencies=COLUMNS)
    assert matrix.competencies == COLUMNS
    # Communication: H2's 2 over H1's 3; delivery: H1's calibrated 4 over the manager's 3; craft: H1's
    # manager 2 (H2's self-rating ignored: an assessed figure exists; 2026 H1 not counted yet).
    assert row(matrix, employee.person) == [2.0, 4.0, 2.0, None]
    single = demonstrated_get(person=employee.person)
    assert {c: single[c].score for c in single} == {"communication": 2.0, "delivery": 4.0, "craft": 2.0}
    # Every active person has a row, with or without figures, by id.
    assert matrix.person_ids.tolist() == sorted(
        Person.objects.filter(is_active=True).values_list("pk", flat=True)
    )
    assert row(matrix, manager.person) == [None, None, None, None]


def test_of_two_cycles_ending_the_same_day_the_later_name_wins_and_self_only_is_unknown(
    employee: User, manager: User
) -> None:
    published = ReviewCycle.objects.get(name="2025 H1").framework_version
    also = make_cycle(published, "2025 H2 extra", "2025-12-31", ReviewCycle.Phase.CLOSED)
    rate(also, employee.person, Source.MANAGER, manager.person, {"communication": 4})
    rate(also, manager.person, Source.SELF, manager.person, {"delivery": 5})
    matrix = demonstrated_matrix(competencies=COLUMNS)
    assert row(matrix, employee.person)[0] == 4.0
    assert demonstrated_get(person=employee.person)["communication"].score == 4.0
    # A self-rating alone: the gaps page shows it, labelled; the bulk figures leave it out (unknown).
    assert demonstrated_get(person=manager.person)["delivery"].source == "self"
    assert row(matrix, manager.person) == [None, None, None, None]


def test_every_competency_rated_when_none_are_named_and_inactive_people_have_no_row(employee: User) -> None:
    matrix = demonstrated_matrix()
    assert sorted(matrix.competencies) == ["communication", "craft", "delivery"]
    Person.objects.filter(pk=employee.person.pk).update(is_active=False)
    matrix = demonstrated_matrix(competencies=COLUMNS)
    assert employee.person.pk not in matrix.person_ids.tolist()
    assert np.isnan(matrix.scores).all()


def opportunity(manager: User, title: str, requirements: dict[str, float]) -> Opportunity:
    made = Opportunity.objects.create(
        kind="gig", title=title, hiring_manager=manager.person, status=Opportunity.Status.OPEN
    )
    OpportunityRequirement.objects.bulk_create(
        OpportunityRequirement(opportunity=made, competency_id=c, minimum=m) for c, m in requirements.items()
    )
    return made


def test_each_opportunitys_best_candidates_with_their_rank(
    employee: User, manager: User, skip_level_manager: User
) -> None:
    cycle = ReviewCycle.objects.get(name="2025 H2")
    rate(cycle, manager.person, Source.MANAGER, skip_level_manager.person, {"communication": 4, "craft": 1})
    fits = opportunity(manager, "Release gig", {"communication": 2, "delivery": 4})
    craft = opportunity(manager, "Craft gig", {"craft": 3.5, "communication": 3})
    demonstrated_matrix()  # the counted cycles' results built once (made here without the services)
    with CaptureQueriesContext(connection) as queries:
        ranked = rank_people_for_all([fits, craft], top=3)
    # Requirements, people, cycles, the cycles built, the competency codes, each counted cycle's results.
    assert len(queries) == 5 + 2
    everyone = RankFields(unknown_class=True, unmet=2, total_shortfall=0.0, unknowns=2)
    # Release gig: the employee meets both; the manager meets communication, delivery unknown; the
    # skip-level manager has no figure at all.
    assert [(c.person_id, c.rank) for c in ranked[fits.pk]] == [
        (employee.person.pk, RankFields(False, 0, 0.0, 0)),
        (manager.person.pk, RankFields(False, 1, 0.0, 1)),
        (skip_level_manager.person.pk, everyone),
    ]
    # Craft gig: the manager is short by 2.5 on craft, meets communication (1 unmet); the employee is
    # short 1.5 on craft and 1 on communication (2 unmet): fewer unmet first.
    assert [(c.person_id, c.rank) for c in ranked[craft.pk]] == [
        (manager.person.pk, RankFields(False, 1, 2.5, 0)),
        (employee.person.pk, RankFields(False, 2, 2.5, 0)),
        (skip_level_manager.person.pk, everyone),
    ]
    # The key is the one the per-person path gives (trellis.evaluation.matching.rank_key).
    assert ranked[craft.pk][0].key == rank_key(unknown_class=False, unmet=1, total_shortfall=2.5, unknowns=0)
    assert rank_people_for_all([]) == {}
