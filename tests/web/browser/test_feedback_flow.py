"""Peer feedback and evidence in a real browser, on the demo company: the employee nominates a
teammate, the manager approves, the peer finds the request among their notifications and answers
it; the employee records a win from their profile. axe-core checks each new page. Writes, so the
flow has a module (and a demo company) of its own."""

from __future__ import annotations

import datetime
import re
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.notifications.models import Notification
from trellis.web.people.models import Person
from trellis.web.reviews.models import Assessment, CycleParticipant, EvidenceItem, PeerNomination, ReviewCycle

from . import pages
from .conftest import DemoCompany, Steps, sign_in

BLOCKING_IMPACTS = {"serious", "critical"}
_AXE = Axe()


def _no_blocking_violation(page: Page) -> None:
    results = _AXE.run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    assert blocking == [], [(v["id"], v["help"]) for v in blocking]


def _cycle(company: DemoCompany) -> tuple[ReviewCycle, Person, Person]:
    employee = Person.objects.select_related("manager").get(email=company.employee_email)
    assert employee.manager is not None
    peer = Person.objects.filter(manager=employee.manager, is_active=True).exclude(pk=employee.pk).first()
    assert peer is not None and peer.user is not None
    cycle = ReviewCycle.objects.create(
        name="Feedback flow cycle",
        framework_version=FrameworkVersion.objects.get(is_current=True),
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 12, 31),
        peer_due=datetime.date(2026, 12, 20),
        peer_minimum=1,
    )
    for person in (employee, peer):
        CycleParticipant.objects.create(
            cycle=cycle,
            person=person,
            family_id=person.family_id,
            track_id=person.track_id,
            level_code=person.level_code,
            manager=person.manager,
        )
    return cycle, employee, peer


def test_a_peer_is_nominated_approved_notified_and_answers(
    page: Page, steps: Steps, demo_company: DemoCompany, browser_errors: list[str], settings: Any
) -> None:
    cycle, employee, peer = _cycle(demo_company)
    participant_url = f"/feedback/cycles/{cycle.pk}/people/{employee.pk}/"
    main = pages.main(page)

    sign_in(page, demo_company.employee_email)
    page.goto(participant_url)
    expect(pages.heading(page)).to_have_text(f"Feedback on {employee.full_name}")
    main.get_by_label("Peer's work e-mail address").fill(peer.email)
    main.get_by_role("button", name="Nominate").click()
    expect(main.get_by_role("cell", name=peer.full_name, exact=True)).to_be_visible()
    expect(main.get_by_text("Feedback is shown once at least 1 have answered.")).to_be_visible()
    steps.shot("nominated")
    _no_blocking_violation(page)
    pages.sign_out(page)

    sign_in(page, demo_company.manager_email)
    page.goto(participant_url)
    main.get_by_role("button", name="Approve").click()
    expect(main.get_by_role("cell", name=re.compile(r"^Approved"))).to_be_visible()
    steps.shot("approved")
    pages.sign_out(page)
    assert PeerNomination.objects.get(cycle=cycle).status == "approved"

    assert peer.user is not None
    sign_in(page, peer.user.email)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile(r"^Notifications 1")
    ).click()
    expect(pages.heading(page)).to_have_text("Notifications")
    steps.shot("notifications")
    _no_blocking_violation(page)
    main.get_by_role("button", name="Open").first.click()
    expect(pages.heading(page)).to_have_text(f"Feedback on {employee.full_name}")
    _no_blocking_violation(page)
    assessment = Assessment.objects.get(cycle=cycle, author=peer)
    # Each competency saves itself as the peer types (htmx): its status says so. One at a time: the
    # test's server threads share one database connection (a real server's do not).
    for rating in assessment.ratings.all():
        cid = rating.competency_id
        main.locator(f"#comment_{cid}").fill(f"Seen on the {cid} front.")
        expect(main.locator(f"#answer-status-{cid}")).to_have_text(re.compile(r"^Saved "))
    main.locator("#score_communication").select_option("4")
    page.wait_for_function(
        "() => document.getElementById('answer-revision-communication').value === '3'", timeout=5_000
    )
    page.evaluate("document.activeElement.blur()")
    _no_blocking_violation(page)
    steps.shot("answer filled in")
    page.set_viewport_size({"width": 390, "height": 844})
    steps.shot("answer on a phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert {r.revision for r in assessment.ratings.exclude(competency_id="communication")} == {2}
    main.get_by_role("button", name="Submit").click()
    expect(main.get_by_text("Submitted", exact=True)).to_be_visible()
    steps.shot("answer submitted")
    assessment.refresh_from_db()
    assert assessment.submitted_at is not None
    assert Notification.objects.get(recipient=peer).read_at is not None
    pages.sign_out(page)

    sign_in(page, demo_company.employee_email)
    page.goto(participant_url)
    expect(main.get_by_text("Seen on the communication front.")).to_be_visible()
    expect(main.get_by_text(peer.full_name + ",")).to_have_count(0)
    steps.shot("the subject sees the aggregate")
    _no_blocking_violation(page)
    assert browser_errors == []


def test_the_employee_records_a_win_from_their_profile(
    page: Page, steps: Steps, demo_company: DemoCompany, browser_errors: list[str]
) -> None:
    employee = Person.objects.get(email=demo_company.employee_email)
    sign_in(page, demo_company.employee_email)
    page.goto(f"/people/{employee.pk}/")
    main = pages.main(page)
    main.get_by_role("link", name="Record feedback or a win").click()
    expect(pages.heading(page)).to_have_text("Record feedback or a win")
    _no_blocking_violation(page)
    main.get_by_label("What it is").select_option("win")
    main.get_by_label("What happened").fill("Shipped the billing migration without downtime.")
    main.get_by_label("Link (optional)").fill("https://wiki.example.com/billing")
    main.get_by_label("Communication").check()
    # The scope evidence their next level's promotion asks for (the starter framework names some).
    scope = main.get_by_label("Scope evidence it demonstrates (optional)")
    offered = scope.locator("option").all_inner_texts()
    assert offered[0] == "None" and len(offered) >= 2
    scope.select_option(label=offered[1])
    steps.shot("evidence form")
    page.set_viewport_size({"width": 390, "height": 844})
    steps.shot("evidence form on a phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    main.get_by_role("button", name="Record").click()
    expect(pages.heading(page)).to_have_text(f"Evidence about {employee.full_name}")
    expect(main.get_by_text("Shipped the billing migration without downtime.")).to_be_visible()
    expect(main.get_by_text(f"Scope evidence: {offered[1]}")).to_be_visible()
    steps.shot("evidence page")
    _no_blocking_violation(page)
    item = EvidenceItem.objects.get(subject=employee, text="Shipped the billing migration without downtime.")
    assert item.competency_ids == ["communication"] and item.kind == "win" and item.scope == offered[1]
    assert browser_errors == []
