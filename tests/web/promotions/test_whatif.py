"""The what-if of the draft's promotion criteria (HR): shares and status changes worked out by hand on
a small company, the page and its refusals, a draft that cannot be read, and the page's queries not
growing with the number of people.

The framework (below) has one track, IC1–IC4, three competencies expected at 2–5, and promotions
asking only for a minimum average (no endorsement, no calibration): IC1→IC2 3, IC2→IC3 4, IC3→IC4 4. The draft raises IC1→IC2 to
3.5, lowers IC2→IC3 to 3 and leaves IC3→IC4 as it is (rewording a description only). One closed
cycle's calibrated ratings give each person their average:

    IC1: ann 4 (4,4,4)  ben 3.33 (3,3,4)  cat 2.67 (2,3,3)  dov unrated
         published ≥3: ann, ben — 2 of 4 (50%); draft ≥3.5: ann — 1 of 4 (25%); ben no longer ready
    IC2: eve 4 (4,4,4)  fay 3 (3,3,3)
         published ≥4: eve — 1 of 2 (50%); draft ≥3: eve, fay — 2 of 2 (100%); fay becomes ready
    IC3: gus 4.33 (4,4,5) — 1 of 1 under both, unchanged
    IC4: hal — the top of the track: not shown
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkDraft, FrameworkVersion
from trellis.web.frameworks.services import framework_draft_save, framework_publish
from trellis.web.people.models import Person
from trellis.web.promotions.whatif_selectors import readiness_what_if
from trellis.web.reviews.cycle_results import cycle_results_build
from trellis.web.reviews.models import ReviewCycle, Source

from ..conftest import make_person
from .conftest import make_cycle, rate

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 6, 30)

FRAMEWORK = """\
trellis: 1
name: What-if test company
version: "1"
core_competencies:
  - {id: communication, name: Communication}
  - {id: delivery, name: Delivery}
families:
  - id: engineering
    name: Engineering
    competencies:
      - {id: craft, name: Software craft, tracks: [ic]}
    tracks:
      - id: ic
        name: Individual contributor
        kind: ic
        levels:
          - {code: IC1, name: Engineer I, title: Engineer I}
          - {code: IC2, name: Engineer II, title: Engineer II}
          - {code: IC3, name: Senior, title: Senior Engineer}
          - {code: IC4, name: Staff, title: Staff Engineer}
        expectations:
          communication:
            IC1: {proficiency: 2, behaviour: Explains their work to their team.}
            IC2: {proficiency: 3}
            IC3: {proficiency: 4}
            IC4: {proficiency: 5}
          delivery:
            IC1: {proficiency: 2}
            IC2: {proficiency: 3}
            IC3: {proficiency: 4}
            IC4: {proficiency: 5}
          craft:
            IC1: {proficiency: 2}
            IC2: {proficiency: 3}
            IC3: {proficiency: 4}
            IC4: {proficiency: 5}
    promotions:
      - {from_level: IC1, to_level: IC2, min_average: 3, manager_endorsement: false, calibration: false}
      - {from_level: IC2, to_level: IC3, min_average: 4, manager_endorsement: false, calibration: false}
      - {from_level: IC3, to_level: IC4, min_average: 4, manager_endorsement: false, calibration: false}
"""

DRAFT = (
    FRAMEWORK.replace("to_level: IC2, min_average: 3,", "to_level: IC2, min_average: 3.5,")
    .replace("to_level: IC3, min_average: 4,", "to_level: IC3, min_average: 3,")
    .replace("Explains their work to their team.", "Explains their work to their team in writing.")
)

COMPETENCIES = ("communication", "delivery", "craft")
SCORES = {
    "ann": ("IC1", (4, 4, 4)),
    "ben": ("IC1", (3, 3, 4)),
    "cat": ("IC1", (2, 3, 3)),
    "dov": ("IC1", None),
    "eve": ("IC2", (4, 4, 4)),
    "fay": ("IC2", (3, 3, 3)),
    "gus": ("IC3", (4, 4, 5)),
    "hal": ("IC4", (5, 5, 5)),
}


def _draft(hr_admin: User, text: str) -> None:
    revision = FrameworkDraft.objects.values_list("revision", flat=True).get()
    framework_draft_save(actor=hr_admin, yaml_text=text, expected_revision=revision)


@pytest.fixture
def company(hr_admin: User) -> dict[str, Person]:
    framework_draft_save(actor=hr_admin, yaml_text=FRAMEWORK, expected_revision=None)
    version: FrameworkVersion = framework_publish(actor=hr_admin)
    cycle = make_cycle(version, "2025 H2", "2025-12-31", ReviewCycle.Phase.CLOSED)
    people = {}
    for number, (name, (level, scores)) in enumerate(SCORES.items()):
        person = make_person(None, employee_id=f"W{number}", full_name=name.title(), level_code=level)
        people[name] = person
        if scores is not None:
            rate(cycle, person, Source.CALIBRATED, None, dict(zip(COMPETENCIES, scores, strict=True)))
    _draft(hr_admin, DRAFT)
    return people


def _counts(row: Any) -> tuple[int, int | None, int | None]:
    """(population, ready under the published version, ready under the draft)."""
    return (row.comparison.population, row.comparison.ready_published, row.comparison.ready_draft)


def _rows(hr_admin: User) -> dict[str, Any]:
    result = readiness_what_if(viewer=hr_admin, as_of=AS_OF)
    return {row.comparison.level[2]: row for row in result.levels}


def test_shares_and_status_changes_as_worked_out_by_hand(hr_admin: User, company: dict[str, Person]) -> None:
    result = readiness_what_if(viewer=hr_admin, as_of=AS_OF)
    assert result.draft_readable and result.published_number == 1
    rows = {row.comparison.level: row for row in result.levels}
    assert list(rows) == [
        ("engineering", "ic", "IC1"),
        ("engineering", "ic", "IC2"),
        ("engineering", "ic", "IC3"),
    ]
    ic1, ic2, ic3 = rows.values()
    assert _counts(ic1) == (4, 2, 1)
    assert (ic1.comparison.share_published, ic1.comparison.share_draft) == (0.5, 0.25)
    assert [p.name for p in ic1.no_longer_ready] == ["Ben"] and ic1.became_ready == ()
    assert _counts(ic2) == (2, 1, 2)
    assert [p.name for p in ic2.became_ready] == ["Fay"] and ic2.no_longer_ready == ()
    assert [p.person_id for p in ic2.became_ready] == [company["fay"].pk]
    assert ic1.comparison.criteria_changed and ic2.comparison.criteria_changed
    # A reworded description changes nobody's criteria.
    assert not ic3.comparison.criteria_changed
    assert _counts(ic3) == (1, 1, 1)
    assert ic1.move == "IC1 → IC2" and ic1.family == "Engineering" and ic1.track == "Individual contributor"
    assert result.people_changing == 2
    assert [row.comparison.level[2] for row in result.unchanged_levels] == ["IC3"]


def test_the_page_shows_shares_and_names_to_hr(
    login: Any, hr_admin: User, company: dict[str, Person]
) -> None:
    response = login(hr_admin).get("/readiness/what-if/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "50% (2 of 4)" in page and "25% (1 of 4)" in page and "100% (2 of 2)" in page
    assert "1 would no longer be ready" in page and "1 would become ready" in page
    assert f'<a href="/readiness/{company["ben"].pk}/">Ben</a>' in page
    assert f'<a href="/readiness/{company["fay"].pk}/">Fay</a>' in page
    assert "1 level unchanged" in page
    # The publish page links to it.
    assert "/readiness/what-if/" in login(hr_admin).get(reverse("authoring:publish")).content.decode()


@pytest.mark.parametrize("who", ["coauthor", "manager", "employee", "it_admin"])
def test_nobody_but_hr_sees_it(
    login: Any, personas: dict[str, User], company: dict[str, Person], who: str
) -> None:
    response = login(personas[who]).get("/readiness/what-if/")
    assert response.status_code == 403
    assert b"Ben" not in response.content and b"of 4)" not in response.content


def test_an_unreadable_draft_is_said_so(login: Any, hr_admin: User, company: dict[str, Person]) -> None:
    _draft(hr_admin, "trellis: 1\nfamilies: [\n")
    result = readiness_what_if(viewer=hr_admin, as_of=AS_OF)
    assert not result.draft_readable and result.levels == ()
    response = login(hr_admin).get("/readiness/what-if/")
    assert response.status_code == 200
    assert "cannot be read as a framework" in response.content.decode()


def test_an_unchanged_draft_changes_no_status(hr_admin: User, company: dict[str, Person]) -> None:
    _draft(hr_admin, FRAMEWORK)
    result = readiness_what_if(viewer=hr_admin, as_of=AS_OF)
    assert result.changed_levels == () and result.people_changing == 0
    assert [row.comparison.share_published for row in result.levels] == [0.5, 0.5, 1.0]


def test_queries_do_not_grow_with_people(hr_admin: User, company: dict[str, Person]) -> None:
    def counted() -> int:
        with CaptureQueriesContext(connection) as captured:
            readiness_what_if(viewer=hr_admin, as_of=AS_OF)
        return len(captured.captured_queries)

    counted()  # the published version is parsed once per process
    few = counted()
    cycle = ReviewCycle.objects.get()
    for number in range(20):
        person = make_person(None, employee_id=f"X{number}", full_name=f"Extra {number}", level_code="IC2")
        rate(cycle, person, Source.CALIBRATED, None, {"communication": 3, "delivery": 3, "craft": 3})
    # Ratings written behind the services' back: their results are built as an import builds them.
    cycle_results_build(cycle_ids=[cycle.pk])
    assert counted() == few
    assert len(_rows(hr_admin)["IC2"].comparison.became_ready) == 21
