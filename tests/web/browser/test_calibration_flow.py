"""A calibration session in a real browser: HR sets the cycle's target, the session's board shows
its charts (under the strict content security policy: any violation is a console error, which fails
the test) and passes axe-core; HR adjusts a rating with a reason and writes a note; the manager sees
the board as a member. Calibration writes, so the flow has a module (and a demo company) of its own."""

from __future__ import annotations

import datetime
import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people.models import Person
from trellis.web.reviews.models import (
    Assessment,
    CalibrationAdjustment,
    CalibrationGroup,
    CalibrationNote,
    CycleParticipant,
    Rating,
    ReviewCycle,
    Source,
)

from . import pages
from .conftest import DemoCompany, Steps, sign_in

COMPETENCIES = ("communication", "ownership", "delivery")
BLOCKING_IMPACTS = {"serious", "critical"}


def _session(company: DemoCompany) -> CalibrationGroup:
    """A cycle in calibration for the demo manager's reports and those of one more manager, rated
    by their managers (scores that differ by manager), in one group of the two managers."""
    manager = Person.objects.get(email=company.manager_email)
    other = (
        Person.objects.filter(reports__isnull=False, is_active=True)
        .exclude(pk=manager.pk)
        .distinct()
        .order_by("pk")
        .first()
    )
    assert other is not None
    cycle = ReviewCycle.objects.create(
        name="Second half 2026 (calibration flow)",
        framework_version=FrameworkVersion.objects.get(is_current=True),
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 12, 31),
        phase=ReviewCycle.Phase.CALIBRATION,
    )
    group = CalibrationGroup.objects.create(cycle=cycle, name="Flow managers")
    group.members.set([manager, other])
    people = Person.objects.filter(manager__in=[manager, other], is_active=True).order_by("pk")
    for index, person in enumerate(people):
        CycleParticipant.objects.create(
            cycle=cycle, person=person, family_id=person.family_id, track_id=person.track_id,
            level_code=person.level_code, manager=person.manager, calibration_group=group,
        )  # fmt: skip
        assessment = Assessment.objects.create(
            cycle=cycle, subject=person, source=Source.MANAGER, author=person.manager
        )
        lean = 1 if person.manager_id == manager.pk else 0
        Rating.objects.bulk_create(
            Rating(
                assessment=assessment,
                cycle=cycle,
                subject=person,
                source=Source.MANAGER,
                competency_id=competency,
                score=min(5, 2 + lean + (index + position) % 3),
            )
            for position, competency in enumerate(COMPETENCIES)
        )
    return group


def _no_blocking_violations(page: Page) -> None:
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    assert blocking == [], [(v["id"], v["help"]) for v in blocking]


def test_hr_calibrates_with_charts_a_reason_and_a_note(
    page: Page, steps: Steps, demo_company: DemoCompany, browser_errors: list[str]
) -> None:
    group = _session(demo_company)
    cycle = group.cycle
    sign_in(page, demo_company.hr_email)
    pages.visit(page, f"/reviews/calibration/cycles/{cycle.pk}/")
    main = pages.main(page)
    for point, share in ((2, "20"), (3, "50"), (4, "30")):
        main.get_by_label(f"Share at {point} (%)").fill(share)
    main.get_by_role("button", name="Save the target").click()
    expect(main.get_by_text("Now: 1: 0% · 2: 20% · 3: 50% · 4: 30% · 5: 0%")).to_be_visible()
    steps.shot("cycle with target")

    main.get_by_role("link", name="Flow managers").click()
    expect(pages.heading(page)).to_have_text("Flow managers")
    charts = main.locator("svg.chart")
    expect(charts).to_have_count(2)
    expect(main.get_by_role("img", name=re.compile(r"^People by overall rating"))).to_be_visible()
    expect(main.locator("svg.chart-distribution rect.bar-target")).to_have_count(5)
    main.get_by_text("The numbers as a table").first.click()
    expect(main.get_by_role("table", name=re.compile(r"^People by overall rating"))).to_be_visible()
    steps.shot("board")
    _no_blocking_violations(page)

    person = (
        CycleParticipant.objects.filter(calibration_group=group)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    assert person is not None
    main.get_by_role("link", name=person.person.full_name, exact=True).first.click()
    expect(pages.heading(page)).to_have_text(person.person.full_name)
    row = main.get_by_role("row", name=re.compile(r"^Delivery"))
    current = Rating.objects.get(subject=person.person, cycle=cycle, competency_id="delivery").score
    target = 5 if current != 5 else 4
    row.get_by_label("Calibrated rating").select_option(str(target))
    row.get_by_label("Why").fill("Led the payments migration across three teams.")
    row.get_by_role("button", name="Adjust Delivery").click()
    expect(main.get_by_text(f"Delivery: {current} → {target}")).to_be_visible()
    main.get_by_label(re.compile(r"^Note")).fill("Ready for a stretch assignment next half.")
    main.get_by_role("button", name="Add the note").click()
    expect(main.get_by_text("Ready for a stretch assignment next half.")).to_be_visible()
    steps.shot("person adjusted with a note")
    _no_blocking_violations(page)
    adjustment = CalibrationAdjustment.objects.get(group=group)
    assert (adjustment.before, adjustment.after, adjustment.reason) == (
        current, target, "Led the payments migration across three teams.",
    )  # fmt: skip
    assert CalibrationNote.objects.filter(group=group).count() == 1
    assert browser_errors == []


def test_a_member_sees_the_board(page: Page, steps: Steps, demo_company: DemoCompany) -> None:
    group = CalibrationGroup.objects.get(name="Flow managers")
    sign_in(page, demo_company.manager_email)
    pages.visit(page, f"/reviews/calibration/groups/{group.pk}/")
    main = pages.main(page)
    expect(main.get_by_role("img", name="Each manager's reports against everyone else's")).to_be_visible()
    expect(main.get_by_role("button", name=re.compile("Close the session"))).to_have_count(0)
    steps.shot("board as a member")
