"""What the growth page tests share: tests/evaluation/readiness.yaml published (the promotions
tests' `version`), and the employee rated over two counted cycles and a running one."""

from __future__ import annotations

import datetime

import pytest

from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.reviews.models import EvidenceItem, ReviewCycle, Source

from ..promotions.conftest import make_cycle, rate, version  # noqa: F401  (the framework fixture)


@pytest.fixture
def rated(version: FrameworkVersion, employee: User, manager: User) -> None:  # noqa: F811
    h1 = make_cycle(version, "2025 H1", "2025-06-30", ReviewCycle.Phase.CLOSED)
    h2 = make_cycle(version, "2025 H2", "2025-12-31", ReviewCycle.Phase.SHARED)
    running = make_cycle(version, "2026 H1", "2026-06-30", ReviewCycle.Phase.CALIBRATION)
    person = employee.person
    rate(h1, person, Source.MANAGER, manager.person, {"communication": 3, "delivery": 3, "craft": 2})
    rate(h1, person, Source.CALIBRATED, None, {"delivery": 4})
    rate(h2, person, Source.MANAGER, manager.person, {"communication": 2})
    rate(h2, person, Source.SELF, person, {"craft": 5})  # craft has an assessed figure: self ignored
    rate(running, person, Source.MANAGER, manager.person, {"craft": 5})  # not shared yet: not counted
    EvidenceItem.objects.create(
        subject=person,
        author=manager.person,
        text="Ran the March release end to end.",
        competency_ids=["delivery"],
        occurred_on=datetime.date(2025, 3, 14),
    )
