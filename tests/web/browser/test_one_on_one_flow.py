"""A 1:1 in a real browser, on the demo company: the manager opens a report's 1:1 guide from their
home, starts a meeting, writes a private note and a shared note and adds an agenda item; the
employee signs in, finds the meeting among their 1:1s, and reads the shared note and the agenda —
never the manager's private note. Screenshots at desktop width and at 390 px; axe-core checks each
page. Writes, so the flow has a module (and a demo company) of its own."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from trellis.web.growth.models import AgendaItem, OneOnOne, PrivateNote, SharedNote
from trellis.web.people.models import Person

from . import pages
from .conftest import DemoCompany, Steps, sign_in

BLOCKING_IMPACTS = {"serious", "critical"}
_AXE = Axe()
PRIVATE = "Private: wants to move toward the platform team, not yet ready to say so."
SHARED = "Shared: we agreed on the design review and the release checklist."
TOPIC = "Conference budget for next year"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _no_blocking_violation(page: Page) -> None:
    results = _AXE.run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    assert blocking == [], [(v["id"], v["help"]) for v in blocking]


def _shot_both(page: Page, steps: Steps, name: str) -> None:
    steps.shot(name)
    page.set_viewport_size(PHONE)
    steps.shot(f"{name} phone")
    page.set_viewport_size(DESKTOP)


def test_a_manager_holds_a_1_1_and_the_report_reads_the_shared_part_only(
    page: Page, steps: Steps, demo_company: DemoCompany
) -> None:
    employee = Person.objects.get(email=demo_company.employee_email)
    held_before = OneOnOne.objects.filter(report=employee).count()
    main = pages.main(page)

    sign_in(page, demo_company.manager_email)
    main.get_by_role("link", name=f"1:1 guide for {employee.full_name}").click()
    expect(pages.heading(page)).to_have_text(f"1:1s with {employee.full_name}")
    expect(main.get_by_role("heading", name="Questions to ask")).to_be_visible()
    _shot_both(page, steps, "guide")
    _no_blocking_violation(page)

    main.get_by_role("button", name="Start the 1:1").click()
    expect(pages.heading(page)).to_have_text(f"1:1 with {employee.full_name}")
    meeting = OneOnOne.objects.filter(report=employee).order_by("-id").first()
    assert meeting is not None and OneOnOne.objects.filter(report=employee).count() == held_before + 1

    main.get_by_label("Private note (only you will ever read it)").fill(PRIVATE)
    main.get_by_role("button", name="Keep the private note").click()
    expect(main.get_by_text(PRIVATE)).to_be_visible()
    main.get_by_label("Shared note (you both read it)").fill(SHARED)
    main.get_by_role("button", name="Add the shared note").click()
    expect(main.get_by_text(SHARED)).to_be_visible()
    main.get_by_label("Topic").fill(TOPIC)
    main.get_by_role("button", name="Add to the agenda").click()
    expect(main.get_by_role("listitem").filter(has_text=TOPIC)).to_be_visible()
    _shot_both(page, steps, "meeting as the manager")
    _no_blocking_violation(page)
    assert [note.text for note in PrivateNote.objects.filter(meeting=meeting)] == [PRIVATE]
    assert [note.text for note in SharedNote.objects.filter(meeting=meeting)] == [SHARED]
    assert [item.text for item in AgendaItem.objects.filter(meeting=meeting)] == [TOPIC]
    pages.sign_out(page)

    sign_in(page, demo_company.employee_email)
    main.get_by_role("link", name="Your 1:1s").click()
    expect(pages.heading(page)).to_have_text("Your 1:1s")
    steps.shot("your 1:1s")
    main.get_by_role("region", name="With your manager").get_by_role("link").first.click()
    expect(pages.heading(page)).to_have_text(f"1:1 with {meeting.manager.full_name}")
    expect(main.get_by_text(SHARED)).to_be_visible()
    expect(main.get_by_role("listitem").filter(has_text=TOPIC)).to_be_visible()
    assert PRIVATE not in page.content()
    main.get_by_role("button", name=f"Tick off “{TOPIC}”").click()
    expect(main.get_by_text("Done", exact=True)).to_be_visible()
    _shot_both(page, steps, "meeting as the employee")
    _no_blocking_violation(page)
    assert AgendaItem.objects.get(meeting=meeting).done
