"""Authoring in a real browser: a co-author sees a lint finding appear beside the text as they type,
and HR publishes the draft as a new version after its confirmation page (lint summary and changes).

In the demo company the manager co-authors Engineering. These tests write to the draft, so they
have a module (and a demo company) of their own.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from trellis.framework.model import Family, Track
from trellis.web.frameworks.models import FrameworkDraft, FrameworkVersion

from . import pages
from .conftest import DemoCompany, Steps, demo_framework, sign_in

TRAIT_WORDING = "Demonstrates leadership in meetings."
OBSERVABLE_WORDING = "Writes a design document for each change that two teams review before work starts."
#: Published with its warnings: they are listed on the confirmation page, and do not block it.
VAGUE_WORDING = "Writes a design document for each change, and has a strong understanding of the API, etc."


def _engineering() -> tuple[Family, Track]:
    family = demo_framework().family("engineering")
    assert family is not None
    track = family.track("ic")
    assert track is not None
    return family, track


def test_coauthor_sees_a_lint_finding_appear_while_typing(
    page: Page, steps: Steps, demo_company: DemoCompany
) -> None:
    family, track = _engineering()
    sign_in(page, demo_company.manager_email)  # the demo manager co-authors Engineering
    pages.open_authoring(page)
    steps.shot("authoring overview")

    pages.open_editor(page, family)
    steps.shot("family editor")
    pages.open_behaviours(page, track, "Communication")
    steps.shot("behaviours editor")

    behaviour = pages.main(page).get_by_role("textbox", name="Behaviour at IC2")
    behaviour.fill("")
    # Typed key by key, as a person types: the finding must come from the page reacting to input,
    # not from submitting the form.
    behaviour.press_sequentially(TRAIT_WORDING)
    level_group = pages.main(page).get_by_role("group", name=re.compile(r"^IC2 "))
    expect(level_group.get_by_text(re.compile(r"TRL201")).first).to_be_visible()
    expect(level_group).to_contain_text(re.compile(r"trait", re.IGNORECASE))
    steps.shot("lint finding TRL201")

    behaviour.fill("")
    behaviour.press_sequentially(OBSERVABLE_WORDING)
    expect(level_group.get_by_text(re.compile(r"TRL201"))).to_have_count(0)
    steps.shot("finding gone")
    assert TRAIT_WORDING not in FrameworkDraft.objects.get().yaml_text, "typing must not save the draft"


def test_hr_publishes_a_new_version(page: Page, steps: Steps, demo_company: DemoCompany) -> None:
    family, track = _engineering()
    assert FrameworkVersion.objects.get(is_current=True).number == 1

    sign_in(page, demo_company.hr_email)
    pages.open_authoring(page)
    pages.open_editor(page, family)
    pages.open_behaviours(page, track, "Communication")
    pages.main(page).get_by_role("textbox", name="Behaviour at IC2").fill(VAGUE_WORDING)
    pages.main(page).get_by_role("button", name=re.compile(r"^save", re.IGNORECASE)).click()
    expect(pages.main(page).get_by_role("textbox", name="Behaviour at IC2")).to_have_value(VAGUE_WORDING)
    assert VAGUE_WORDING in FrameworkDraft.objects.get().yaml_text
    steps.shot("draft saved")

    pages.open_authoring(page)
    steps.shot("authoring overview")
    publishing = pages.main(page).get_by_role("region", name="Review and publishing")
    publishing.get_by_role("link", name="Review and publish").click()

    # The confirmation: the lint summary and the changes from version 1, before anything is published.
    expect(pages.heading(page)).to_have_text("Publish the draft as version 2")
    summary = pages.main(page).get_by_role("region", name="Lint summary")
    expect(summary.locator(".publish-summary")).to_have_text("0 errors, 2 warnings.")
    warnings = summary.get_by_role("table", name="Warnings of the draft").locator("tbody tr")
    expect(warnings).to_have_count(2)
    for row, phrase in zip(warnings.all(), ("has a strong understanding of", "etc."), strict=True):
        # Placed in the framework's words, linked to the field where it is fixed.
        expect(row.get_by_role("link")).to_have_text("Engineering · IC2 · Communication")
        expect(row).to_contain_text(f'"{phrase}" is a vague qualifier, not an observable behaviour')
    changes = pages.main(page).get_by_role("region", name="What changes from version 1")
    expect(changes).to_contain_text("0 structural and 1 wording change.")
    reworded = changes.locator(".diff-change--reworded")
    expect(reworded).to_have_count(1)
    expect(reworded).to_contain_text("Engineering · Individual contributor · IC2 · Communication")
    expect(reworded.locator("ins")).to_have_text(f"After: {VAGUE_WORDING}")
    assert FrameworkVersion.objects.count() == 1, "the confirmation page publishes nothing"
    steps.shot("publish confirmation")
    page.set_viewport_size({"width": 390, "height": 844})
    steps.shot("publish confirmation phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    pages.main(page).get_by_role("button", name="Publish version 2").click()
    expect(page.get_by_text(re.compile(r"version 2", re.IGNORECASE)).first).to_be_visible()
    expect(page.get_by_text("Published version 2: 0 structural and 1 wording changes.")).to_be_visible()
    steps.shot("published")

    current = FrameworkVersion.objects.get(is_current=True)
    assert current.number == 2
    assert VAGUE_WORDING in current.yaml_text
    assert FrameworkVersion.objects.count() == 2
