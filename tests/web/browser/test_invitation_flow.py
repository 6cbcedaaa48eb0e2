"""Inviting people in a real browser: HR imports a new person and invites everyone without a
sign-in; the worker sends the queued mails, and the invitation mail arrives at a real SMTP server
(aiosmtpd); the browser follows the link in it, the new person chooses a password, is signed in and sees their home.

Invitations write accounts, so the flow has a module (and a demo company) of its own.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from trellis.framework import wording
from trellis.web.accounts.models import User
from trellis.web.people.models import Person

from ..mail_server import MailServer
from ..task_worker import run_queued_tasks
from . import pages
from .conftest import DemoCompany, Steps, sign_in

NEWCOMER = ("NW9101", "rosa.invite@northwind.example", "Rosa Invite")
PASSWORD = "trellis lattice 2026"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _export(manager_employee_id: str) -> bytes:
    employee_id, email, full_name = NEWCOMER
    return (
        "Employee ID,Email,Full name,Title,Team,Job family,Track,Level,Level since,Manager employee ID\n"
        f"{employee_id},{email},{full_name},Software Engineer,Platform,engineering,ic,IC2,2025-01-15,{manager_employee_id}\n"
    ).encode()


def test_hr_invites_an_imported_person_who_accepts_from_the_mail(
    page: Page, steps: Steps, demo_company: DemoCompany, smtp_server: MailServer, browser_errors: list[str]
) -> None:
    employee_id, email, full_name = NEWCOMER
    manager = Person.objects.get(email=demo_company.manager_email)
    without_sign_in = Person.objects.filter(is_active=True, user__isnull=True).count() + 1

    sign_in(page, demo_company.hr_email)
    pages.import_people(page, "new-starters.csv", _export(manager.employee_id))
    steps.shot("imported")

    pages.main(page).get_by_role("link", name="Invite people to sign in").click()
    expect(pages.heading(page)).to_have_text("Sign-ins")
    row = pages.main(page).get_by_role("row", name=re.compile(re.escape(full_name)))
    expect(row).to_contain_text("No sign-in")
    steps.shot("sign-ins before")

    pages.main(page).get_by_role(
        "button", name=f"Invite {wording.count(without_sign_in, 'person', 'people')} without a sign-in"
    ).click()
    expect(pages.main(page).get_by_role("status").first).to_contain_text(
        f"{wording.count(without_sign_in, 'invitation is', 'invitations are')} being sent"
    )
    # The mails wait for the worker: the page says so, for the page and for each person.
    expect(pages.main(page).get_by_role("region", name="Invitation mails")).to_contain_text(
        f"{wording.count(without_sign_in, 'invitation mail')} waiting for the worker"
    )
    pages.visit(page, "/accounts/admin/invitations/?status=invited")
    invited_row = pages.main(page).get_by_role("row", name=re.compile(re.escape(full_name)))
    expect(invited_row).to_contain_text("Invited")
    expect(invited_row).to_contain_text("Mail queued")
    expect(pages.main(page).get_by_role("region", name="Invitation mails")).to_be_visible()
    steps.shot("sign-ins queued")
    assert smtp_server.messages == []

    [ran] = run_queued_tasks("trellis.web.accounts.tasks.invitations_mail_queued")
    assert (ran.status, ran.return_value) == ("SUCCESSFUL", f"sent {without_sign_in}, failed 0")
    # The section follows the worker by itself (htmx), and goes once every mail is sent.
    expect(pages.main(page).get_by_role("region", name="Invitation mails")).to_have_count(0)
    page.reload()
    expect(invited_row).to_contain_text("Sent ")
    steps.shot("sign-ins after")
    assert len(smtp_server.messages) == without_sign_in

    # The new person, in the same browser once HR has signed out, opens the link from their mail.
    link = smtp_server.invitation_link(email)
    pages.sign_out(page)
    page.goto(urlsplit(link).path)
    expect(pages.heading(page)).to_have_text(f"Welcome, {full_name}")
    steps.shot("accept desktop")
    page.set_viewport_size(PHONE)
    steps.shot("accept phone")

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Set my password and sign in").click()
    expect(pages.heading(page)).to_have_text("Hello, Rosa")
    steps.shot("home phone")
    page.set_viewport_size(DESKTOP)
    steps.shot("home desktop")
    assert User.objects.get(email=email).check_password(PASSWORD)
    assert Person.objects.get(employee_id=employee_id).user.email == email  # type: ignore[union-attr]

    # The link works once.
    pages.sign_out(page)
    page.goto(urlsplit(link).path)
    expect(pages.heading(page)).to_have_text("This invitation has been used already")
    steps.shot("link used")
    # The page answers 410 Gone, which the browser logs; that one line is expected, nothing else.
    assert [error for error in browser_errors if "status of 410" not in error] == []
    browser_errors.clear()

    # And the password signs in as any other.
    sign_in(page, email, PASSWORD)
