"""A small company whose skills heatmap is computed by hand (tests/evaluation/readiness.yaml's
Engineering: IC2 expects communication 3, delivery 3, craft 3).

Under the manager persona, team Platform: the employee and five more at IC2. Under a second
manager, Gus (M1, reporting to the skip-level manager), team "=Growth" — a name a spreadsheet would
run as a formula — six at IC2. Two counted cycles (2025 H1 closed, 2025 H2 shared), managers' ratings:

- Platform: communication 4 (+1), delivery 3 (0), craft 2 (−1); the employee's communication is 2
  in H2, the later cycle, which wins (−1).
- =Growth: communication 2 (−1), delivery 3 (0), craft 4 (+1); G1's delivery calibrated to 5 in
  H1 (+2); G6 has no assessed craft, only a self-rating of 5: unknown.

Nobody rates the managers (M1 and M2 expect communication, delivery and people development).
"""

from __future__ import annotations

from typing import Any

from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people.models import Team
from trellis.web.reviews.models import ReviewCycle, Source

from ..conftest import make_person, make_user
from ..promotions.conftest import make_cycle, rate


def heatmap_company(
    version: FrameworkVersion, manager: User, employee: User, skip_level_manager: User
) -> dict[str, Any]:
    h1 = make_cycle(version, "2025 H1", "2025-06-30", ReviewCycle.Phase.CLOSED)
    h2 = make_cycle(version, "2025 H2", "2025-12-31", ReviewCycle.Phase.SHARED)
    platform = employee.person.team
    growth = Team.objects.create(name="=Growth")
    gus_user = make_user("gus@example.com", "Gus Growth")
    gus = make_person(
        gus_user,
        employee_id="G000",
        full_name="Gus Growth",
        track_id="management",
        level_code="M1",
        manager=skip_level_manager.person,
        team=growth,
    )
    boss = manager.person
    platform_people = [employee.person]
    for index in range(1, 6):
        platform_people.append(
            make_person(
                None,
                employee_id=f"P00{index}",
                full_name=f"Pat {index}",
                level_code="IC2",
                manager=boss,
                team=platform,
            )
        )
    for person in platform_people:
        rate(h1, person, Source.MANAGER, boss, {"communication": 4, "delivery": 3, "craft": 2})
    rate(h2, employee.person, Source.MANAGER, boss, {"communication": 2})
    growth_people = [
        make_person(
            None,
            employee_id=f"G00{index}",
            full_name=f"Gia {index}",
            level_code="IC2",
            manager=gus,
            team=growth,
        )
        for index in range(1, 7)
    ]
    for index, person in enumerate(growth_people, start=1):
        scores = {"communication": 2, "delivery": 3}
        if index != 6:
            scores["craft"] = 4
        rate(h1, person, Source.MANAGER, gus, scores)
    rate(h1, growth_people[0], Source.CALIBRATED, None, {"delivery": 5})
    rate(h2, growth_people[5], Source.SELF, growth_people[5], {"craft": 5})
    return {"gus": gus_user, "growth": growth, "platform": platform, "h1": h1, "h2": h2}
