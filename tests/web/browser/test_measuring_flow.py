"""Measuring the framework in a real browser, on the demo company with its two past cycles: HR
changes the draft's promotion criteria (no manager endorsement, scope evidence or time at the next level asked, as
the promotion pages would) and opens the what-if from the publish page; the co-author of Engineering
(the manager persona) reads the rater agreement beside each behavioural description; HR opens the
agreement overview. Each page at desktop width and at 390 px (a phone), and axe-core finds no serious
or critical violation on any of them.

A module of its own: it writes the draft.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from trellis.framework.yaml_io import dumps
from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkDraft
from trellis.web.frameworks.services import framework_draft_save
from trellis.web.people import demo

from . import pages
from .conftest import DemoCompany, Steps, demo_framework, sign_in

BLOCKING_IMPACTS = {"serious", "critical"}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
_AXE = Axe()


def _check_accessibility(page: Page, name: str) -> None:
    violations = _AXE.run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{name} ({page.url}):\n" + "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} — "
        + "; ".join(f"{', '.join(node['target'])}: {node['failureSummary']}" for node in v["nodes"])
        for v in blocking
    )


def _both_widths(page: Page, steps: Steps, name: str) -> None:
    page.set_viewport_size(DESKTOP)
    steps.shot(f"{name} desktop")
    _check_accessibility(page, name)
    page.set_viewport_size(PHONE)
    steps.shot(f"{name} phone")
    _check_accessibility(page, f"{name} (phone)")
    page.set_viewport_size(DESKTOP)


@pytest.fixture(scope="module", autouse=True)
def _criteria_changed(demo_company: DemoCompany, django_db_blocker: Any) -> Iterator[None]:
    """The draft: every promotion no longer asking for the manager's endorsement, scope evidence or
    time operating at the next level — the demo's people lack those most (so that some would become
    ready)."""
    with django_db_blocker.unblock():
        framework = demo_framework().model_copy(deep=True)
        for family in framework.families:
            for promotion in family.promotions:
                promotion.manager_endorsement = False
                promotion.scope_evidence = []
                promotion.time_at_next_level = None
        revision = FrameworkDraft.objects.values_list("revision", flat=True).get()
        framework_draft_save(
            actor=User.objects.get(email=demo.HR_EMAIL),
            yaml_text=dumps(framework),
            expected_revision=revision,
        )
    yield


def test_hr_sees_what_the_draft_s_criteria_would_change(
    page: Page, steps: Steps, demo_company: DemoCompany
) -> None:
    sign_in(page, demo_company.hr_email)
    pages.open_authoring(page)
    pages.main(page).get_by_role("link", name="Review and publish").click()
    pages.main(page).get_by_role("link", name="What the draft's promotion criteria would change").click()
    expect(
        page.get_by_role("heading", level=1, name="What the draft's criteria would change")
    ).to_be_visible()
    changed = page.get_by_role("table", name="Share of each level ready under version 1 and under the draft")
    expect(changed.locator("tbody tr").first).to_be_visible()
    expect(pages.main(page).get_by_text("Would become ready:").first).to_be_visible()
    _both_widths(page, steps, "what-if")


def test_the_co_author_reads_agreement_beside_each_description(
    page: Page, steps: Steps, demo_company: DemoCompany
) -> None:
    sign_in(page, demo_company.manager_email)  # co-author of Engineering
    pages.open_authoring(page)
    framework = demo_framework()
    family = framework.family("engineering")
    assert family is not None
    track = family.track("ic")
    assert track is not None
    pages.open_editor(page, family)
    pages.open_behaviours(page, track, "Communication")
    badges = pages.main(page).locator(".agreement-badge")
    expect(badges).to_have_count(len(track.levels))
    expect(badges.filter(has_text="Agreement ").first).to_be_visible()
    expect(pages.main(page).get_by_role("link", name="Agreement of every description")).to_have_count(0)
    _both_widths(page, steps, "behaviours with agreement")


def test_hr_reads_the_agreement_overview(page: Page, steps: Steps, demo_company: DemoCompany) -> None:
    sign_in(page, demo_company.hr_email)
    framework = demo_framework()
    family = framework.family("engineering")
    assert family is not None
    track = family.track("ic")
    assert track is not None
    pages.open_authoring(page)
    pages.open_editor(page, family)
    pages.open_behaviours(page, track, "Communication")
    pages.main(page).get_by_role("link", name="Agreement of every description").click()
    expect(page.get_by_role("heading", level=1, name="Rater agreement")).to_be_visible()
    expect(page.get_by_role("table", name="Agreement per competency, every level together")).to_be_visible()
    _both_widths(page, steps, "agreement overview")
