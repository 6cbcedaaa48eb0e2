"""Authoring in a real browser: a co-author sees a lint finding appear beside the text as they type,
and HR publishes the draft as a new version.

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
    pages.main(page).get_by_role("textbox", name="Behaviour at IC2").fill(OBSERVABLE_WORDING)
    pages.main(page).get_by_role("button", name=re.compile(r"^save", re.IGNORECASE)).click()
    expect(pages.main(page).get_by_role("textbox", name="Behaviour at IC2")).to_have_value(OBSERVABLE_WORDING)
    assert OBSERVABLE_WORDING in FrameworkDraft.objects.get().yaml_text
    steps.shot("draft saved")

    pages.open_authoring(page)
    steps.shot("authoring overview")
    publishing = pages.main(page).get_by_role("region", name="Review and publishing")
    publishing.get_by_role("button", name=re.compile(r"^publish", re.IGNORECASE)).click()
    expect(page.get_by_text(re.compile(r"version 2", re.IGNORECASE)).first).to_be_visible()
    steps.shot("published")

    current = FrameworkVersion.objects.get(is_current=True)
    assert current.number == 2
    assert OBSERVABLE_WORDING in current.yaml_text
    assert FrameworkVersion.objects.count() == 2
