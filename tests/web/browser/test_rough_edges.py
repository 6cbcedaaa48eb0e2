"""Rough edges a newcomer met, in a real browser: the competency matrix shows every level on a
1366 px screen and scrolls with a hint on a phone, and leaving the behaviour editor with unsaved text
asks first. The editor test saves the draft, so these tests have a module (and demo) of their own.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Dialog, Page, expect

from trellis.web.frameworks.models import FrameworkDraft

from . import pages
from .conftest import DemoCompany, Steps, demo_framework, sign_in

MATRIX = "/framework/families/engineering/ic/matrix/"


def _matrix_geometry(page: Page) -> dict[str, Any]:
    """Where the matrix's last level heading is, and how its scrolling region is set up."""
    result: dict[str, Any] = page.evaluate(
        """() => {
            const region = document.querySelector(".matrix-wrap");
            const headings = region.querySelectorAll("thead th");
            const last = headings[headings.length - 1].getBoundingClientRect();
            const rowHeading = region.querySelector("tbody th[scope=row]");
            return {
                lastText: headings[headings.length - 1].innerText,
                lastRight: last.right,
                regionRight: region.getBoundingClientRect().right,
                viewport: window.innerWidth,
                scrollWidth: region.scrollWidth,
                clientWidth: region.clientWidth,
                overflowX: getComputedStyle(region).overflowX,
                rowHeadingPosition: getComputedStyle(rowHeading).position,
                hintHidden: (document.getElementById(region.dataset.scrollHint || "") || {}).hidden,
            };
        }"""
    )
    return result


def test_the_matrix_shows_every_level_on_a_1366_screen(
    page: Page, steps: Steps, demo_company: DemoCompany
) -> None:
    track = demo_framework().families[0].tracks[0]
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, demo_company.employee_email)
    pages.visit(page, MATRIX)
    steps.shot("matrix at 1366")
    geometry = _matrix_geometry(page)
    assert geometry["lastText"] == f"{track.levels[-1].code} {track.levels[-1].name}"
    assert geometry["lastText"].startswith("IC6")
    # The last level is within the window and the region: nothing cut off, nothing to scroll.
    assert geometry["lastRight"] <= geometry["regionRight"] <= geometry["viewport"]
    assert geometry["scrollWidth"] <= geometry["clientWidth"]
    assert geometry["hintHidden"] is True
    expect(page.get_by_role("columnheader", name=re.compile(r"^IC6 "))).to_be_in_viewport()


def test_on_a_phone_the_matrix_scrolls_sideways_with_a_hint_and_the_competency_in_view(
    page: Page, steps: Steps, demo_company: DemoCompany
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, demo_company.employee_email)
    pages.visit(page, MATRIX)
    steps.shot("matrix on a phone")
    geometry = _matrix_geometry(page)
    assert geometry["scrollWidth"] > geometry["clientWidth"]
    assert (geometry["overflowX"], geometry["rowHeadingPosition"]) == ("auto", "sticky")
    assert geometry["lastRight"] > geometry["viewport"]  # off to the right, until scrolled
    hint = pages.main(page).get_by_text("scroll the table sideways to see them all")
    expect(hint).to_be_visible()
    expect(hint).to_have_text(re.compile(r"^6 levels, up to IC6: scroll the table sideways"))
    region = pages.main(page).get_by_role("region", name=re.compile(r"competencies × 6 levels"))
    region.evaluate("region => { region.scrollLeft = region.scrollWidth; }")
    expect(page.get_by_role("columnheader", name=re.compile(r"^IC6 "))).to_be_in_viewport()
    # The competency column stays at the left edge while the levels scroll past.
    first_competency = region.get_by_role("rowheader").first
    box = first_competency.bounding_box()
    region_box = region.bounding_box()
    assert box is not None and region_box is not None
    assert abs(box["x"] - region_box["x"]) <= 1.5
    steps.shot("scrolled to IC6")


def test_leaving_the_behaviour_editor_with_unsaved_text_asks_first(
    page: Page, steps: Steps, demo_company: DemoCompany
) -> None:
    family = demo_framework().family("engineering")
    assert family is not None
    track = family.tracks[0]
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", on_dialog)
    sign_in(page, demo_company.manager_email)  # co-author of Engineering
    pages.open_authoring(page)
    pages.open_editor(page, family)
    pages.open_behaviours(page, track, "Communication")
    editor_url = page.url
    behaviour = pages.main(page).get_by_role("textbox", name="Behaviour at IC2")
    text = "Writes a design document for each change that two teams review before work starts."
    behaviour.fill("")
    behaviour.press_sequentially(text)
    steps.shot("typed")

    pages.follow_navigation(page, "Framework")
    expect(page).to_have_url(editor_url)  # the person chose to stay
    assert dialogs == ["beforeunload"]
    expect(behaviour).to_have_value(text)
    steps.shot("stayed after the warning")

    pages.main(page).get_by_role("button", name="Save the behaviours").click()
    expect(page.get_by_role("main")).to_contain_text(re.compile(r"saved", re.IGNORECASE))
    assert text in FrameworkDraft.objects.get().yaml_text
    pages.follow_navigation(page, "Framework")
    expect(page).to_have_url(re.compile(r"/framework/$"))
    assert dialogs == ["beforeunload"], "saving clears the warning"
    steps.shot("left after saving")


def test_a_page_left_without_typing_does_not_ask(page: Page, demo_company: DemoCompany) -> None:
    family = demo_framework().family("engineering")
    assert family is not None
    dialogs: list[Dialog] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
    sign_in(page, demo_company.manager_email)
    pages.open_authoring(page)
    pages.open_editor(page, family)
    pages.open_behaviours(page, family.tracks[0], "Communication")
    pages.main(page).get_by_role("textbox", name="Behaviour at IC2").click()
    pages.follow_navigation(page, "Framework")
    expect(page).to_have_url(re.compile(r"/framework/$"))
    assert dialogs == []


def test_hr_home_leads_with_hr_work_and_the_manager_sees_the_way_back(
    page: Page, steps: Steps, demo_company: DemoCompany
) -> None:
    sign_in(page, demo_company.hr_email)
    second_level = pages.main(page).get_by_role("heading", level=2)
    assert second_level.all_inner_texts()[:2] == ["Your work", "The company"]
    work = pages.main(page).get_by_role("region", name="Your work")
    # Every demo person has an account; one import-free company; version 1 published by Hannah.
    expect(work.get_by_role("listitem").first).to_have_text(
        re.compile(r"^\s*0\s+active people have no sign-in yet\. Accounts\s*$")
    )
    expect(work).to_contain_text("Version 1 published")
    steps.shot("hr home")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, demo_company.manager_email)
    directions = pages.main(page).get_by_role("region", name="Other directions")
    expect(directions.get_by_role("heading", level=3)).to_have_text(
        ["Back to Individual contributor: M2 → IC5"]
    )
    expect(directions.get_by_role("link", name="IC5 Staff")).to_have_attribute(
        "href", "/framework/families/engineering/ic/levels/IC5/"
    )
    steps.shot("manager home, the way back")
