"""Rater agreement on the stored ratings: the figures equal `agreement()` on the same units; only the
shared and closed cycles count; too few units say "not enough ratings yet"; the badge beside each
description in the editor for its family's co-authors and HR, the overview for HR — and no figure
for anyone else; the figures are computed again only when the ratings change."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trellis.evaluation.agreement import agreement
from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.frameworks.services import framework_draft_save, framework_publish
from trellis.web.people.models import Person
from trellis.web.policy import Action
from trellis.web.reviews.agreement_selectors import (
    AGREEMENT_REPLICATES,
    agreement_overview_get,
    description_agreement_get,
)
from trellis.web.reviews.models import Assessment, CycleParticipant, Rating, ReviewCycle, Source

from ..conftest import make_person

pytestmark = pytest.mark.django_db

FRAMEWORK = Path(__file__).resolve().parents[2] / "evaluation" / "readiness.yaml"
#: Twelve IC2 engineers: (self, calibrated) scores on craft and on communication.
CRAFT = [(3, 3), (4, 4), (2, 3), (5, 4), (3, 3), (4, 2), (1, 2), (3, 4), (4, 4), (2, 2), (5, 5), (3, 1)]
COMMUNICATION = [(3, 3)] * 6 + [(4, 4)] * 6


def _cycle(version: Any, name: str, ends: datetime.date, phase: str) -> ReviewCycle:
    return ReviewCycle.objects.create(
        name=name,
        framework_version=version,
        phase=phase,
        starts_on=ends - datetime.timedelta(days=180),
        ends_on=ends,
    )


def _rate(cycle: ReviewCycle, person: Person, level: str, scores: dict[str, tuple[int, int]]) -> None:
    CycleParticipant.objects.create(
        cycle=cycle, person=person, family_id="engineering", track_id="ic", level_code=level
    )
    for source, position in ((Source.SELF, 0), (Source.CALIBRATED, 1)):
        author = person if source == Source.SELF else None
        assessment = Assessment.objects.create(cycle=cycle, subject=person, source=source, author=author)
        Rating.objects.bulk_create(
            Rating(
                assessment=assessment,
                cycle=cycle,
                subject=person,
                source=source,
                competency_id=competency,
                score=pair[position],
            )
            for competency, pair in scores.items()
        )


@pytest.fixture
def ratings(hr_admin: User) -> dict[str, Any]:
    framework_draft_save(actor=hr_admin, yaml_text=FRAMEWORK.read_text(), expected_revision=None)
    version = framework_publish(actor=hr_admin)
    closed = _cycle(version, "2025 H2", datetime.date(2025, 12, 31), ReviewCycle.Phase.CLOSED)
    still_open = _cycle(version, "2026 H1", datetime.date(2026, 6, 30), ReviewCycle.Phase.ASSESSMENT)
    people = []
    for number, (craft, communication) in enumerate(zip(CRAFT, COMMUNICATION, strict=True)):
        person = make_person(None, employee_id=f"A{number}", full_name=f"Rated {number}", level_code="IC2")
        _rate(closed, person, "IC2", {"craft": craft, "communication": communication})
        # The open cycle's ratings would make craft look perfect: they must not count.
        _rate(still_open, person, "IC2", {"craft": (5, 5)})
        people.append(person)
    # Two IC1 engineers: two units is not enough for a figure.
    for number in range(2):
        person = make_person(None, employee_id=f"B{number}", full_name=f"Junior {number}", level_code="IC1")
        _rate(closed, person, "IC1", {"craft": (2, 3)})
    return {"closed": closed, "people": people}


def _expected(scores: list[tuple[int, int]]) -> Any:
    units = [unit for unit in range(len(scores)) for _ in range(2)]
    return agreement(units, [value for pair in scores for value in pair], replicates=AGREEMENT_REPLICATES)


def test_the_figures_are_agreement_on_the_same_units(hr_admin: User, ratings: dict[str, Any]) -> None:
    figures = description_agreement_get(
        viewer=hr_admin, family_id="engineering", track_id="ic", competency_id="craft"
    )
    craft = figures["IC2"]
    expected = _expected(CRAFT)
    assert craft.agreement.alpha == pytest.approx(expected.alpha, abs=1e-12)
    assert craft.agreement.interval == expected.interval
    assert (craft.agreement.units, craft.people, craft.enough) == (12, 12, True)
    assert not figures["IC1"].enough
    overview = agreement_overview_get(viewer=hr_admin).figures
    assert overview.competencies["communication"].agreement.alpha == pytest.approx(
        _expected(COMMUNICATION).alpha
    )
    # IC2 as a level: both competencies' units together.
    level_units = [u for u in range(24) for _ in range(2)]
    level_values = [v for pair in CRAFT + COMMUNICATION for v in pair]
    assert overview.levels[("engineering", "ic", "IC2")].agreement.alpha == pytest.approx(
        agreement(level_units, level_values, replicates=0).alpha
    )


def test_the_badge_beside_each_description(
    login: Any, hr_admin: User, coauthor: User, ratings: dict[str, Any]
) -> None:
    craft = _expected(CRAFT)
    assert craft.alpha is not None and craft.interval is not None
    below = " — below 0.667" if craft.alpha < 0.667 else ""
    text = f"Agreement {craft.alpha:.2f} ({craft.interval.low:.2f} to {craft.interval.high:.2f}), 12 people{below}"
    url = reverse("authoring:behaviours", args=["engineering", "ic", "craft"])
    for user in (hr_admin, coauthor):
        page = login(user).get(url).content.decode()
        assert text in page
        assert page.count("Not enough ratings yet") == 3  # IC1, IC3 and IC4
    assert reverse("reviews:agreement") in login(hr_admin).get(url).content.decode()
    assert reverse("reviews:agreement") not in login(coauthor).get(url).content.decode()


def test_the_overview_is_hrs(login: Any, personas: dict[str, User], ratings: dict[str, Any]) -> None:
    page = login(personas["hr_admin"]).get(reverse("reviews:agreement"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Engineering · Individual contributor · IC2 · Software craft" in text
    assert "not enough ratings yet" in text
    for who in ("coauthor", "manager", "employee", "it_admin", "other_manager"):
        response = login(personas[who]).get(reverse("reviews:agreement"))
        assert response.status_code == 403 and b"Software craft" not in response.content


def test_nobody_else_may_see_figures(personas: dict[str, User]) -> None:
    assert policy.can(personas["coauthor"], Action.AGREEMENT_VIEW, "engineering")
    assert not policy.can(personas["coauthor"], Action.AGREEMENT_VIEW, "product")
    for who in ("employee", "manager", "skip_level_manager", "it_admin"):
        assert not policy.can(personas[who], Action.AGREEMENT_VIEW, "engineering")
        assert not policy.can(personas[who], Action.AGREEMENT_OVERVIEW)


def test_computed_again_only_when_the_ratings_change(hr_admin: User, ratings: dict[str, Any]) -> None:
    def read() -> tuple[float | None, int]:
        with CaptureQueriesContext(connection) as captured:
            figures = description_agreement_get(
                viewer=hr_admin, family_id="engineering", track_id="ic", competency_id="craft"
            )
        return figures["IC2"].agreement.alpha, len(captured.captured_queries)

    first, _ = read()
    again, queries = read()
    assert again == first and queries == 1  # the state of the ratings: the kept figures answer
    Rating.objects.filter(cycle=ratings["closed"], competency_id="craft", source=Source.SELF).update(
        score=3, updated_at=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)
    )
    changed, queries = read()
    assert changed != first and queries == 2
