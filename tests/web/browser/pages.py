"""Getting to each page of the app as a person does: by the visible names of links, buttons, headings
and form fields (roles and labels), never by CSS classes or element ids.

The pages were written by several people at once; these helpers name only what a reader sees, so a
page that exists but is reached differently shows up as a clear failure of one step ("no link named
…"), and a page that does not exist yet fails the same way instead of being skipped.
"""

from __future__ import annotations

import re
from urllib.parse import quote_plus

from playwright.sync_api import Locator, Page, expect

from trellis.framework.model import Family, Framework, Level, Track


def words(text: str) -> re.Pattern[str]:
    """A case-insensitive pattern matching `text` as whole words anywhere in an accessible name."""
    return re.compile(rf"(?<![\w-]){re.escape(text)}(?![\w-])", re.IGNORECASE)


def main(page: Page) -> Locator:
    return page.get_by_role("main")


def heading(page: Page, level: int = 1) -> Locator:
    return main(page).get_by_role("heading", level=level)


def follow_navigation(page: Page, label: str) -> None:
    """Follow the link named `label` in the site's main navigation."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name=label, exact=True).click()


def open_framework_index(page: Page, framework: Framework) -> None:
    follow_navigation(page, "Framework")
    expect(page).to_have_url(re.compile(r"/framework/$"))
    expect(heading(page)).to_have_text(framework.name)


def open_family(page: Page, family: Family) -> None:
    """From the framework index, follow the family's link to its page."""
    main(page).get_by_role("link", name=words(family.name)).first.click()
    expect(heading(page)).to_contain_text(family.name)


def open_level(page: Page, track: Track, level: Level) -> None:
    """From a family page, follow the link of one level of one track to the level's page."""
    track_section = main(page).get_by_role("region", name=words(track.name))
    scope = track_section if track_section.count() == 1 else main(page)
    scope.get_by_role("link", name=words(level.code)).first.click()
    expect(heading(page)).to_contain_text(re.compile(rf"{re.escape(level.code)}|{re.escape(level.name)}"))


def open_matrix(page: Page) -> Locator:
    """From a family page, follow the link to its competency × level matrix; return the table."""
    main(page).get_by_role("link", name=re.compile(r"matrix", re.IGNORECASE)).first.click()
    table = main(page).get_by_role("table").first
    expect(table).to_be_visible()
    return table


def visit(page: Page, path: str) -> None:
    """Go to `path` (for pages whose address is part of the contract) and insist it is there."""
    response = page.goto(path)
    assert response is not None and response.status == 200, (
        f"{path} answered {response.status if response else 'nothing'}: the page is missing or refused"
    )


def search_framework(page: Page, query: str) -> None:
    """The framework search at /framework/search?q=, the address every page's search form uses."""
    visit(page, f"/framework/search?q={quote_plus(query)}")
    expect(heading(page)).to_contain_text(re.compile(r"search", re.IGNORECASE))


def open_authoring(page: Page) -> None:
    """The authoring overview: the draft, its status and the families one may edit."""
    visit(page, "/framework/authoring/")
    expect(heading(page)).to_be_visible()


def open_editor(page: Page, family: Family) -> None:
    """From the authoring overview, follow the family's link in its list of what one may edit."""
    edit = main(page).get_by_role("region", name="Edit")
    edit.get_by_role("link", name=family.name, exact=True).click()
    expect(heading(page)).to_have_text(family.name)


def open_behaviours(page: Page, track: Track, competency_name: str) -> None:
    """From a family's editor, open the behavioural descriptions of one competency on one track."""
    descriptions = main(page).get_by_role("region", name="Behavioural descriptions")
    # The competencies are listed under each track's heading, the tracks in framework order.
    descriptions.get_by_role("link", name=competency_name, exact=True).nth(_track_index(page, track)).click()
    expect(heading(page)).to_contain_text(f"{competency_name} on {track.name}")


def _track_index(page: Page, track: Track) -> int:
    names = main(page).get_by_role("region", name="Behavioural descriptions").get_by_role("heading", level=3)
    return names.all_inner_texts().index(track.name)


def open_people_import(page: Page) -> None:
    """The people import: upload an HRIS export (CSV or XLSX)."""
    visit(page, "/people/import/")
    expect(heading(page)).to_contain_text(re.compile(r"import", re.IGNORECASE))


def open_people_list(page: Page) -> None:
    """The people list: "People" for HR, "Your team" for a manager."""
    follow_navigation(page, "People")
    expect(heading(page)).to_have_text(re.compile(r"^(People|Your team)$"))


def open_profile(page: Page, full_name: str) -> None:
    """From a page listing people (a home's team table, the people list), open one profile."""
    main(page).get_by_role("link", name=full_name, exact=True).first.click()
    expect(heading(page)).to_have_text(full_name)


def import_people(page: Page, file_name: str, export: bytes) -> None:
    """From the people import page, upload `export` (CSV), accept the columns as guessed, read the
    preview and import it; ends on the page saying "Imported"."""
    open_people_import(page)
    main(page).get_by_label("HRIS export").set_input_files(
        files=[{"name": file_name, "mimeType": "text/csv", "buffer": export}]
    )
    main(page).get_by_role(
        "button", name=re.compile(r"upload|preview|continue|next", re.IGNORECASE)
    ).first.click()
    if main(page).get_by_role("heading", name=re.compile(r"column", re.IGNORECASE)).count():
        main(page).get_by_role(
            "button", name=re.compile(r"preview|continue|next", re.IGNORECASE)
        ).first.click()
    main(page).get_by_role("button", name=re.compile(r"^(import|apply)", re.IGNORECASE)).first.click()
    expect(main(page).get_by_role("heading", name=re.compile(r"^imported$", re.IGNORECASE))).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(heading(page)).to_contain_text("Sign in")
