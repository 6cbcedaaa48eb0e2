"""Importing people in a real browser, as HR: upload an HRIS export, read the dry-run preview, apply.

The import writes people, so it has a module (and a demo company) of its own.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from trellis.web.people.models import Person

from . import pages
from .conftest import DemoCompany, Steps, sign_in

NEW_PEOPLE = (
    ("NW9001", "rosa.import@northwind.example", "Rosa Import", "Software Engineer", "IC2"),
    ("NW9002", "tariq.import@northwind.example", "Tariq Import", "Senior Software Engineer", "IC4"),
)


def _export(manager_employee_id: str) -> bytes:
    """An HRIS export as people write them: a header row in words, dates in ISO form."""
    lines = ["Employee ID,Email,Full name,Title,Team,Job family,Track,Level,Level since,Manager employee ID"]
    for employee_id, email, full_name, title, level in NEW_PEOPLE:
        lines.append(
            f"{employee_id},{email},{full_name},{title},Platform,engineering,ic,{level},2025-01-15,{manager_employee_id}"
        )
    return ("\n".join(lines) + "\n").encode()


def _click_first_button(page: Page, pattern: str) -> None:
    pages.main(page).get_by_role("button", name=re.compile(pattern, re.IGNORECASE)).first.click()


def test_hr_imports_people_from_a_csv(page: Page, steps: Steps, demo_company: DemoCompany) -> None:
    manager = Person.objects.get(email=demo_company.manager_email)
    people_before = Person.objects.count()

    sign_in(page, demo_company.hr_email)
    pages.open_people_import(page)
    steps.shot("import form")

    pages.main(page).get_by_label("HRIS export").set_input_files(
        files=[{"name": "hris-export.csv", "mimeType": "text/csv", "buffer": _export(manager.employee_id)}]
    )
    _click_first_button(page, r"upload|preview|continue|next")
    steps.shot("uploaded")

    # A column-mapping step may come before the preview; its defaults should already be right.
    preview = pages.main(page)
    if preview.get_by_role("heading", name=re.compile(r"column", re.IGNORECASE)).count():
        steps.shot("column mapping")
        _click_first_button(page, r"preview|continue|next")

    for _, _, full_name, _, _ in NEW_PEOPLE:
        expect(preview.get_by_role("row", name=re.compile(re.escape(full_name)))).to_contain_text(
            re.compile(r"\bNew\b")
        )
    assert Person.objects.count() == people_before, "the preview must not store anything"
    steps.shot("preview")

    _click_first_button(page, r"^(import|apply)")
    expect(preview.get_by_role("heading", name=re.compile(r"^imported$", re.IGNORECASE))).to_be_visible()
    expect(preview).to_contain_text(re.compile(r"New people\s*2"))
    steps.shot("applied")

    assert Person.objects.count() == people_before + 2
    for employee_id, email, full_name, title, level in NEW_PEOPLE:
        person = Person.objects.get(employee_id=employee_id)
        assert (person.email, person.full_name, person.title, person.level_code, person.manager_id) == (
            email,
            full_name,
            title,
            level,
            manager.pk,
        )
