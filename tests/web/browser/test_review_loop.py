"""The whole review loop in one browser walk, on the demo company, each step as the persona whose
step it is — HR, the employee, a peer, the manager, the skip-level manager and a committee member.

HR opens a cycle for one team; the employee self-assesses and nominates a peer, the manager approves
the peer, who answers; the manager assesses; HR moves the cycle to calibration, makes a session
with the manager, adjusts one rating with a reason, writes a note, confirms and closes; the manager
signs off, HR shares, and the employee reads their results — without the calibration note or the
peer's answer (one peer is below the cycle's threshold). Then the manager nominates two reports,
the skip-level manager endorses, a committee member approves one and answers "not yet" to the other,
the worker applies the approval, and the approved person's level history shows the new level from
its effective date.

Every action goes through the pages (links, labels, buttons); the database is read only to check
what the pages stored. Each step is shot at desktop width (1280 px; and at phone width, 390 px, with
TRELLIS_PHONE_SHOTS=1), and every page the loop is about passes axe-core (no serious or critical
violation) once. At the end the promoted employee sees the outcome of their case, not the committee's
reason. A module of its own: it writes, and each module gets a fresh demo company.
"""

from __future__ import annotations

import os
import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from trellis.web.accounts.models import User
from trellis.web.people.demo_accounts import COAUTHOR_EMAIL
from trellis.web.people.models import Person, PersonChange
from trellis.web.promotions.models import Nomination
from trellis.web.reviews.models import (
    Assessment,
    CalibrationAdjustment,
    CalibrationGroup,
    CalibrationNote,
    CycleParticipant,
    PeerNomination,
    Rating,
    ReviewCycle,
    Source,
)

from ..task_worker import run_queued_tasks
from . import pages
from .conftest import DemoCompany, Steps, demo_framework, sign_in
from .test_cycle_flow import check_accessibility

CYCLE = "Review loop 2026"
GROUP = "Loop calibration"
#: Set TRELLIS_PHONE_SHOTS=1 to shoot every step at phone width too (twice the screenshots' time).
PHONE_SHOTS = bool(os.environ.get("TRELLIS_PHONE_SHOTS"))
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SELF_COMMENT = "Wrote the design note for the billing export and walked the team through it."
PEER_COMMENT = "Explains trade-offs in writing before anyone asks."
MANAGER_COMMENT = "Owns the billing export end to end."
ADJUST_REASON = "The group read the export rollout as beyond the level's scope."
NOTE = "Discussed as a stretch candidate for the payments lead."
APPROVE_REASON = "Operates at the next level, confirmed in calibration."
NOT_YET_REASON = "Scope: no cross-team project led yet."


class Walk:
    """The steps of the walk: each page shot at both widths and, once, checked by axe-core."""

    def __init__(self, page: Page, steps: Steps) -> None:
        self.page = page
        self.steps = steps
        self.checked: list[str] = []

    def shot(self, name: str, *, axe: bool = False) -> None:
        # A focused field makes the screenshot hide its caret with an inline style, which the CSP refuses.
        self.page.evaluate("document.activeElement && document.activeElement.blur()")
        if axe:
            check_accessibility(self.page, name, self.checked)
        self.steps.shot(name)
        if PHONE_SHOTS:
            self.page.set_viewport_size(PHONE)
            self.steps.shot(f"{name} phone")
            self.page.set_viewport_size(DESKTOP)

    def sign_in(self, email: str) -> None:
        sign_in(self.page, email)

    def sign_out(self) -> None:
        pages.sign_out(self.page)


def next_level(person: Person) -> str | None:
    """The level after `person`'s on their track in the demo's framework (None at the top)."""
    family = demo_framework().family(person.family_id)
    track = family.track(person.track_id) if family is not None else None
    codes = [level.code for level in track.levels] if track is not None else []
    position = codes.index(person.level_code) if person.level_code in codes else len(codes)
    return codes[position + 1] if position + 1 < len(codes) else None


def open_reviews(page: Page) -> None:
    pages.follow_navigation(page, "Reviews")
    expect(pages.heading(page)).to_have_text(re.compile(r"^(My reviews|Review cycles)$"))


def hr_opens_the_cycle(walk: Walk, company: DemoCompany, employee: Person) -> ReviewCycle:
    page, main = walk.page, pages.main(walk.page)
    walk.sign_in(company.hr_email)
    open_reviews(page)
    if pages.heading(page).inner_text() == "My reviews":
        main.get_by_role("link", name="Review cycles").click()
    main.get_by_role("link", name="Open a cycle").click()
    form = main.get_by_role("form", name="Open a review cycle")
    form.get_by_label("Name").fill(CYCLE)
    form.get_by_label("Starts on").fill("2026-07-01")
    form.get_by_label("Ends on").fill("2026-12-31")
    form.get_by_label("Fewest peer answers shown").fill("3")
    assert employee.team is not None
    form.get_by_label(employee.team.name, exact=True).check()
    walk.shot("hr opens a cycle for the team")
    form.get_by_role("button", name="Open the cycle").click()
    expect(pages.heading(page)).to_have_text(CYCLE)
    walk.shot("cycle page", axe=True)
    cycle = ReviewCycle.objects.get(name=CYCLE)
    team = set(Person.objects.filter(team=employee.team, is_active=True).values_list("pk", flat=True))
    assert set(cycle.participants.values_list("person_id", flat=True)) == team
    walk.sign_out()
    return cycle


def employee_self_assesses_and_nominates(
    walk: Walk, company: DemoCompany, employee: Person, peer: Person
) -> None:
    page, main = walk.page, pages.main(walk.page)
    walk.sign_in(company.employee_email)
    open_reviews(page)
    walk.shot("my reviews", axe=True)
    main.get_by_role("link", name=f"Your self-assessment — {CYCLE}").click()
    expect(pages.heading(page)).to_have_text(f"Self-assessment of {employee.full_name}")
    communication = main.get_by_role("group", name="Communication", exact=True)
    communication.get_by_role("group", name="Rating of Communication").get_by_label("4 · Advanced").check()
    expect(communication.get_by_text(re.compile(r"^Saved "))).to_be_visible()
    communication.get_by_label("Comment").fill(SELF_COMMENT)
    page.wait_for_function(
        "() => document.getElementById('revision-communication').value === '2'", timeout=5_000
    )
    walk.shot("self-assessment", axe=True)
    main.get_by_role("button", name="Submit").click()
    expect(pages.heading(page)).to_have_text("My reviews")
    expect(main).to_contain_text("Submitted.")

    # From "My reviews", the employee asks a teammate for feedback.
    item = main.get_by_role("listitem").filter(has_text=f"Your self-assessment — {CYCLE}")
    item.get_by_role("link", name="Your peer feedback").click()
    expect(pages.heading(page)).to_have_text(f"Feedback on {employee.full_name}")
    main.get_by_label("Peer's work e-mail address").fill(peer.email)
    main.get_by_role("button", name="Nominate").click()
    expect(main.get_by_role("cell", name=peer.full_name, exact=True)).to_be_visible()
    walk.shot("employee nominated a peer", axe=True)
    walk.sign_out()


def manager_approves_the_peer(walk: Walk, company: DemoCompany, employee: Person) -> None:
    page, main = walk.page, pages.main(walk.page)
    walk.sign_in(company.manager_email)
    open_reviews(page)
    walk.shot("manager's reviews")
    item = main.get_by_role("listitem").filter(has_text=f"{employee.full_name} — {CYCLE}")
    item.get_by_role("link", name=f"Peer feedback on {employee.full_name}").click()
    main.get_by_role("button", name="Approve").click()
    expect(main.get_by_role("cell", name=re.compile(r"^Approved"))).to_be_visible()
    walk.shot("manager approved the peer")
    walk.sign_out()


def peer_answers(walk: Walk, peer: Person, employee: Person) -> None:
    page, main = walk.page, pages.main(walk.page)
    assert peer.user is not None
    walk.sign_in(peer.user.email)
    # Two unread: the cycle opening (the peer is in the cycle too) and the request for feedback.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile(r"^Notifications 2")
    ).click()
    expect(pages.heading(page)).to_have_text("Notifications")
    walk.shot("peer's notifications", axe=True)
    main.locator("li.notification").filter(
        has_text=f"Feedback requested on {employee.full_name}"
    ).get_by_role("button", name="Open").click()
    expect(pages.heading(page)).to_have_text(f"Feedback on {employee.full_name}")
    for fieldset in main.get_by_role("group").all():
        name = fieldset.locator("legend").inner_text()
        fieldset.get_by_label("Comment").fill(
            PEER_COMMENT if name == "Communication" else f"Solid on {name}."
        )
    main.get_by_role("group", name="Communication").get_by_label("Rating (optional)").select_option("4")
    walk.shot("peer answers", axe=True)
    main.get_by_role("button", name="Submit").click()
    expect(main.get_by_text("Submitted", exact=True)).to_be_visible()
    main.get_by_role("link", name="Feedback to give").click()
    expect(main.get_by_role("listitem").filter(has_text=CYCLE)).to_contain_text("Submitted")
    walk.shot("peer's feedback to give", axe=True)
    walk.sign_out()


def manager_assesses(walk: Walk, company: DemoCompany, employee: Person) -> None:
    page, main = walk.page, pages.main(walk.page)
    walk.sign_in(company.manager_email)
    open_reviews(page)
    main.get_by_role("link", name=f"{employee.full_name} — {CYCLE}").click()
    expect(pages.heading(page)).to_have_text(f"Manager assessment of {employee.full_name}")
    for name, label in (("Communication", "3 · Proficient"), ("Ownership", "4 · Advanced")):
        group = main.get_by_role("group", name=name, exact=True)
        group.get_by_role("group", name=f"Rating of {name}").get_by_label(label).check()
        expect(group.get_by_text(re.compile(r"^Saved "))).to_be_visible()
    ownership = main.get_by_role("group", name="Ownership", exact=True)
    ownership.get_by_label("Comment").fill(MANAGER_COMMENT)
    page.wait_for_function("() => document.getElementById('revision-ownership').value === '2'", timeout=5_000)
    walk.shot("manager assessment", axe=True)
    main.get_by_role("button", name="Submit").click()
    expect(pages.heading(page)).to_have_text("My reviews")
    walk.sign_out()


def calibration(walk: Walk, company: DemoCompany, cycle: ReviewCycle, employee: Person) -> None:
    page, main = walk.page, pages.main(walk.page)
    manager = Person.objects.get(email=company.manager_email)
    walk.sign_in(company.hr_email)
    open_reviews(page)
    if pages.heading(page).inner_text() == "My reviews":
        main.get_by_role("link", name="Review cycles").click()
    main.get_by_role("link", name=CYCLE).click()
    main.get_by_role("button", name="Move on to Calibration").click()
    expect(main).to_contain_text(f"{CYCLE} is now in Calibration.")
    main.get_by_role("link", name="Calibration groups and target distribution").click()
    expect(pages.heading(page)).to_have_text(f"Calibration · {CYCLE}")
    main.get_by_label("Name").fill(GROUP)
    main.get_by_label(manager.full_name).check()
    walk.shot("calibration of the cycle", axe=True)
    main.get_by_role("button", name="Create the group").click()
    expect(pages.heading(page)).to_have_text(GROUP)
    walk.shot("calibration board", axe=True)

    main.get_by_role("link", name=employee.full_name, exact=True).first.click()
    expect(pages.heading(page)).to_have_text(employee.full_name)
    row = main.get_by_role("row", name=re.compile(r"^Communication"))
    row.get_by_label("Calibrated rating").select_option("4")
    row.get_by_label("Why").fill(ADJUST_REASON)
    row.get_by_role("button", name="Adjust Communication").click()
    expect(main.get_by_text(ADJUST_REASON, exact=False)).to_be_visible()
    main.get_by_label(re.compile(r"^Note")).fill(NOTE)
    main.get_by_role("button", name="Add the note").click()
    expect(main.get_by_text(NOTE)).to_be_visible()
    walk.shot("calibration of the employee", axe=True)
    main.get_by_role("button", name="Confirm in calibration").click()
    expect(main).to_contain_text(f"{employee.full_name}: confirmed in calibration.")
    main.get_by_role("button", name=re.compile(r"^Close the session")).click()
    expect(main).to_contain_text("Session closed")
    walk.shot("calibration closed")

    # On to sign-off, from the cycle's page.
    main.get_by_role("link", name=f"Calibration · {CYCLE}").click()
    page.get_by_role("paragraph").filter(has_text="Review cycles").get_by_role("link", name=CYCLE).click()
    expect(pages.heading(page)).to_have_text(CYCLE)
    main.get_by_role("button", name="Move on to Sign-off").click()
    expect(main).to_contain_text(f"{CYCLE} is now in Sign-off.")
    walk.sign_out()


def manager_signs_off(walk: Walk, company: DemoCompany, employee: Person) -> None:
    page, main = walk.page, pages.main(walk.page)
    walk.sign_in(company.manager_email)
    open_reviews(page)
    item = main.get_by_role("listitem").filter(has_text=f"{employee.full_name} — {CYCLE}")
    item.get_by_role("link", name="Overview").click()
    expect(pages.heading(page)).to_have_text(f"{employee.full_name} — {CYCLE}")
    main.get_by_role("button", name="Sign off these results").click()
    expect(main).to_contain_text(f"Signed off {employee.full_name}'s results.")
    walk.shot("manager signed off")
    walk.sign_out()


def hr_shares(walk: Walk, company: DemoCompany) -> None:
    page, main = walk.page, pages.main(walk.page)
    walk.sign_in(company.hr_email)
    open_reviews(page)
    if pages.heading(page).inner_text() == "My reviews":
        main.get_by_role("link", name="Review cycles").click()
    main.get_by_role("link", name=CYCLE).click()
    main.get_by_role("button", name="Move on to Shared with employees").click()
    expect(main).to_contain_text(f"{CYCLE} is now in Shared with employees.")
    walk.shot("hr shared the cycle")
    walk.sign_out()


def employee_reads_results(walk: Walk, company: DemoCompany, employee: Person) -> None:
    page, main = walk.page, pages.main(walk.page)
    walk.sign_in(company.employee_email)
    open_reviews(page)
    main.get_by_role("link", name=f"{CYCLE}: your results").click()
    results = main.get_by_role("table").first
    expect(results.get_by_role("row", name=re.compile(r"^Communication"))).to_contain_text("4 · Advanced")
    expect(results.get_by_role("row", name=re.compile(r"^Ownership"))).to_contain_text(MANAGER_COMMENT)
    expect(main).not_to_contain_text(NOTE)
    expect(main).not_to_contain_text(ADJUST_REASON)
    expect(main).not_to_contain_text(PEER_COMMENT)
    walk.shot("employee reads the results", axe=True)
    main.get_by_role("link", name="Peer feedback").click()
    expect(pages.heading(page)).to_have_text(f"Feedback on {employee.full_name}")
    expect(main).not_to_contain_text(PEER_COMMENT)
    walk.shot("employee's peer feedback below the threshold")
    pages.follow_navigation(page, "Home")
    expect(page.get_by_role("heading", name="Where you stand")).to_be_visible()
    main.get_by_role("link", name="Your readiness across cycles").click()
    expect(pages.heading(page)).to_have_text("Your readiness")
    walk.shot("employee's readiness", axe=True)
    walk.sign_out()


def nominate(walk: Walk, person: Person, case: str, *, axe: bool = False) -> None:
    page, main = walk.page, pages.main(walk.page)
    pages.follow_navigation(page, "People")
    pages.open_profile(page, person.full_name)
    main.get_by_role("link", name="Nominate for promotion").click()
    expect(pages.heading(page)).to_have_text(f"Nominate {person.full_name}")
    main.get_by_label("The case for the promotion").fill(case)
    walk.shot(f"nominate {person.full_name}", axe=axe)
    main.get_by_role("button", name="Submit to the committee").click()
    expect(main).to_contain_text("Submitted to the promotion committee.")


def promotions(walk: Walk, company: DemoCompany, employee: Person, other: Person) -> None:
    page, main = walk.page, pages.main(walk.page)
    walk.sign_in(company.manager_email)
    nominate(
        walk, employee, "Leads the billing export; calibrated above the level on communication.", axe=True
    )
    walk.shot("packet", axe=True)
    nominate(walk, other, "Delivers reliably; asked to lead the next migration.")
    pages.follow_navigation(page, "Promotions")
    walk.shot("manager's promotions", axe=True)
    walk.sign_out()

    manager = employee.manager
    assert manager is not None and manager.manager is not None
    skip_level = User.objects.get(person=manager.manager)
    walk.sign_in(skip_level.email)
    pages.follow_navigation(page, "Promotions")
    endorse = main.get_by_role("region", name="Awaiting your skip-level endorsement")
    for person in (employee, other):
        endorse.get_by_role("link", name=person.full_name).click()
        main.get_by_label("Your endorsement").fill("I have seen the work; a strong case.")
        main.get_by_role("button", name="Endorse").click()
        expect(main).to_contain_text("Endorsement recorded.")
        if person == employee:
            walk.shot("skip-level endorsed")
        pages.follow_navigation(page, "Promotions")
    walk.sign_out()

    walk.sign_in(COAUTHOR_EMAIL)
    pages.follow_navigation(page, "Promotions")
    main.get_by_role("link", name="Committee queue").click()
    expect(pages.heading(page)).to_have_text("Committee queue")
    walk.shot("committee queue", axe=True)
    main.get_by_role("link", name=employee.full_name).click()
    main.get_by_label("Approve").check()
    main.get_by_label("Takes effect on").fill(timezone.localdate().isoformat())
    main.get_by_label("Reason").fill(APPROVE_REASON)
    walk.shot("committee member decides", axe=True)
    main.get_by_role("button", name="Record the decision").click()
    expect(main).to_contain_text("Approved.")
    main.get_by_role("link", name=other.full_name).click()
    main.get_by_label("Not yet").check()
    main.get_by_label("Reason").fill(NOT_YET_REASON)
    main.get_by_role("button", name="Record the decision").click()
    expect(main).to_contain_text("Decided: not yet.")
    walk.shot("committee member decided")
    walk.sign_out()


def test_the_whole_review_loop_on_the_demo_company(
    page: Page, steps: Steps, demo_company: DemoCompany, browser_errors: list[str]
) -> None:
    walk = Walk(page, steps)
    employee = Person.objects.select_related("manager", "team").get(email=demo_company.employee_email)
    assert employee.manager is not None
    teammates = Person.objects.filter(manager=employee.manager, is_active=True, user__isnull=False)
    peer = teammates.exclude(pk=employee.pk).order_by("employee_id").first()
    assert peer is not None
    # The second nomination: a teammate below the top of their track (one with a next level).
    other = next(
        person
        for person in teammates.filter(team=employee.team)
        .exclude(pk__in=[employee.pk, peer.pk])
        .order_by("employee_id")
        if next_level(person) is not None
    )
    promoted_to = next_level(employee)
    assert promoted_to is not None

    cycle = hr_opens_the_cycle(walk, demo_company, employee)
    employee_self_assesses_and_nominates(walk, demo_company, employee, peer)
    manager_approves_the_peer(walk, demo_company, employee)
    peer_answers(walk, peer, employee)
    manager_assesses(walk, demo_company, employee)
    self_rating = Rating.objects.get(
        cycle=cycle, source=Source.SELF, subject=employee, competency_id="communication"
    )
    assert (self_rating.score, self_rating.comment) == (4, SELF_COMMENT)
    assert PeerNomination.objects.get(cycle=cycle, subject=employee).status == "approved"
    peer_answer = Assessment.objects.get(cycle=cycle, source=Source.PEER, author=peer)
    assert peer_answer.submitted_at is not None
    assert peer_answer.ratings.get(competency_id="communication").comment == PEER_COMMENT

    calibration(walk, demo_company, cycle, employee)
    group = CalibrationGroup.objects.get(cycle=cycle, name=GROUP)
    adjustment = CalibrationAdjustment.objects.get(group=group)
    assert (adjustment.before, adjustment.after, adjustment.reason) == (3, 4, ADJUST_REASON)
    assert CalibrationNote.objects.get(group=group).text == NOTE
    assert group.status == "closed"

    manager_signs_off(walk, demo_company, employee)
    hr_shares(walk, demo_company)
    participant = CycleParticipant.objects.get(cycle=cycle, person=employee)
    assert participant.calibration_confirmed_at is not None
    assert participant.signed_off_at is not None and participant.shared_at is not None
    # The worker runs what sharing queued (readiness), as `trellis worker` would.
    assert all(task.status == "SUCCESSFUL" for task in run_queued_tasks())
    employee_reads_results(walk, demo_company, employee)

    promotions(walk, demo_company, employee, other)
    # The worker runs what the pages queued: readiness, and the approval taking effect today.
    ran = run_queued_tasks()
    applied = [task for task in ran if task.task_path.endswith("promotions_apply_due")]
    assert [(task.status, task.return_value) for task in applied] == [("SUCCESSFUL", 1)]
    employee.refresh_from_db()
    assert (employee.level_code, employee.level_since) == (promoted_to, timezone.localdate())
    assert Nomination.objects.get(person=other).target_level_code == next_level(other)
    assert sorted(
        Nomination.objects.filter(person__in=[employee, other]).values_list("status", flat=True)
    ) == [
        "approved",
        "not_yet",
    ]

    walk.sign_in(demo_company.hr_email)
    pages.follow_navigation(page, "People")
    pages.open_profile(page, employee.full_name)
    history = pages.main(page).get_by_role("region", name="History")
    latest = history.get_by_role("listitem").first
    expect(latest).to_contain_text(employee.level_code)
    expect(latest).to_contain_text(timezone.localdate().strftime("%-d %b %Y"))
    walk.shot("level history", axe=True)
    pages.follow_navigation(page, "Promotions")
    main = pages.main(page)
    main.get_by_role("link", name="Overview").click()
    not_yet = main.get_by_role("region", name="Not yet")
    expect(not_yet).to_contain_text(other.full_name)
    expect(not_yet).to_contain_text(NOT_YET_REASON)
    walk.shot("promotions overview", axe=True)
    main.get_by_role("link", name="Committees").click()
    expect(pages.heading(page)).to_have_text("Promotion committees")
    walk.shot("committees", axe=True)
    walk.sign_out()

    # The promoted person sees the outcome and its date, never the committee's reason.
    walk.sign_in(demo_company.employee_email)
    pages.follow_navigation(page, "Promotions")
    own = main.get_by_role("region", name="Your promotion cases")
    expect(own).to_contain_text(f"{promoted_to}")
    expect(own).to_contain_text("Decided: approved")
    expect(main).not_to_contain_text(APPROVE_REASON)
    walk.shot("the promoted employee's promotions", axe=True)
    change = PersonChange.objects.filter(person=employee, kind=PersonChange.Kind.LEVEL).first()
    assert change is not None and change.new_value.endswith(f"/{employee.level_code}")
    assert timezone.localtime(change.changed_at).date() == timezone.localdate()
    assert walk.checked == [  # every page of the loop, checked by axe-core on the way
        "cycle page",
        "my reviews",
        "self-assessment",
        "employee nominated a peer",
        "peer's notifications",
        "peer answers",
        "peer's feedback to give",
        "manager assessment",
        "calibration of the cycle",
        "calibration board",
        "calibration of the employee",
        "employee reads the results",
        "employee's readiness",
        f"nominate {employee.full_name}",
        "packet",
        "manager's promotions",
        "committee queue",
        "committee member decides",
        "level history",
        "promotions overview",
        "committees",
        "the promoted employee's promotions",
    ]
    assert browser_errors == []
