"""The opportunities pages: the employee's ranked list with its explanations and their moves, the
posting form's refusals, the hiring manager's ranked candidates, and the manager's view of their
people's applications, which a hidden one joins only at the interview."""

from __future__ import annotations

import datetime
import html as markup
import re
from typing import Any

import pytest
from django.test import Client

from trellis.web.mobility.models import Application, Opportunity

from .conftest import application, open_gig

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return " ".join(markup.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def get(client: Client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status
    return response.content.decode()


def test_the_employee_sees_the_match_explained_and_filters_by_kind(
    login: Any, gig: Opportunity, rated: dict[str, Any]
) -> None:
    hard = open_gig(rated["other_manager"].person, title="Platform project", kind=Opportunity.Kind.PROJECT)
    hard.requirements.filter(competency_id="craft").update(minimum=5)
    client = login(rated["employee"])
    page = text(get(client, "/opportunities/"))
    assert page.index("Checkout reliability gig") < page.index("Platform project")
    assert "100% match Meets 3 of 3 requirements" in page
    assert "67% match Meets 2 of 3 requirements" in page
    assert "Short Software craft: 4, short by 1 of 5" in page
    only_gigs = text(get(client, "/opportunities/?kind=gig"))
    assert "Checkout reliability gig" in only_gigs and "Platform project" not in only_gigs
    assert "Checkout reliability gig" in text(get(client, "/opportunities/?kind=nonsense"))


def test_the_employee_applies_hidden_and_finds_it_on_my_applications(
    login: Any, gig: Opportunity, rated: dict[str, Any]
) -> None:
    client = login(rated["employee"])
    response = client.post(
        f"/opportunities/{gig.pk}/apply/",
        {"action": "apply", "note": "I know checkout.", "hidden_from_manager": "on"},
    )
    assert response.status_code == 302 and response["Location"] == f"/opportunities/{gig.pk}/"
    stored = Application.objects.get()
    assert (stored.stage, stored.note, stored.hidden_from_manager) == ("applied", "I know checkout.", True)
    html = get(client, f"/opportunities/{gig.pk}/")
    assert "Now: Applied · hidden from your manager until an interview" in text(html)
    # Only the moves the stage allows: the settings and withdrawing; not "Apply" again.
    assert re.findall(r'name="action" value="(\w+)"', html) == ["settings", "withdraw"]
    mine = text(get(client, "/opportunities/mine/"))
    assert "Checkout reliability gig" in mine and "Once an interview is arranged" in mine
    refused = client.post(f"/opportunities/{gig.pk}/apply/", {"action": "teleport"})
    assert refused.status_code == 400 and "Select a valid choice" in refused.content.decode()
    assert Application.objects.get().stage == "applied"


def test_the_posting_form_names_the_field_it_refuses_and_stores_nothing(
    login: Any, rated: dict[str, Any]
) -> None:
    client = login(rated["manager"])
    assert "Required competency 1" in get(client, "/opportunities/new/")
    response = client.post(
        "/opportunities/new/",
        {
            "kind": "role",
            "title": "Senior engineer",
            "time_share": 100,
            "capacity": 1,
            "competency_1": "craft",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the minimum proficiency for this competency." in html
    response = client.post(
        "/opportunities/new/",
        {
            "kind": "role",
            "title": "Senior engineer",
            "time_share": 100,
            "capacity": 1,
            "competency_1": "craft",
            "minimum_1": "4",
        },
    )
    assert response.status_code == 400
    assert "Choose the role&#x27;s level from the published framework." in response.content.decode()
    assert Opportunity.objects.count() == 0
    response = client.post(
        "/opportunities/new/",
        {"kind": "role", "title": "Senior engineer", "level": "engineering/ic/IC3", "time_share": 100,
         "capacity": 1, "competency_1": "craft", "minimum_1": "4"},
    )  # fmt: skip
    role = Opportunity.objects.get()
    assert response["Location"] == f"/opportunities/{role.pk}/"
    assert (role.kind, role.level_code, role.status) == ("role", "IC3", "draft")
    assert client.post(f"/opportunities/{role.pk}/status/", {"status": "open"}).status_code == 302
    role.refresh_from_db()
    assert role.status == "open"


def test_the_hiring_manager_sees_the_candidates_ranked_and_moves_one(
    login: Any, gig: Opportunity, rated: dict[str, Any]
) -> None:
    application(gig, rated["newcomer"], "applied")
    application(gig, rated["outsider"].person, "interested")  # the other manager's own report
    one_short = application(gig, rated["coauthor"].person, "applied")
    application(gig, rated["employee"].person, "applied", hidden=True)  # not their chain: shown
    application(gig, rated["skip_level_manager"].person, "saved")
    client = login(rated["other_manager"])
    page = text(get(client, f"/opportunities/{gig.pk}/candidates/"))
    order = [
        page.index(name)
        for name in ("Emi Employee", rated["coauthor"].full_name, rated["outsider"].full_name, "Nia Newcomer")
    ]
    assert order == sorted(order)
    assert rated["skip_level_manager"].full_name not in page
    assert "Unknown Unknown: not rated yet on any requirement, so not a match" in page
    response = client.post(
        f"/opportunities/applications/{one_short.pk}/stage/",
        {"stage": "talking", "revision": one_short.revision},
    )
    assert response.status_code == 302
    one_short.refresh_from_db()
    assert one_short.stage == "talking"
    refused = client.post(f"/opportunities/applications/{one_short.pk}/stage/", {"stage": "accepted"})
    assert refused.status_code == 400
    assert "application is talking: it cannot move to accepted." in markup.unescape(refused.content.decode())
    one_short.refresh_from_db()
    assert one_short.stage == "talking"
    saved = Application.objects.get(stage="saved")
    assert (
        client.post(f"/opportunities/applications/{saved.pk}/stage/", {"stage": "talking"}).status_code == 404
    )


def test_the_manager_sees_a_hidden_application_only_once_talking(
    login: Any, gig: Opportunity, rated: dict[str, Any]
) -> None:
    hidden = application(gig, rated["employee"].person, "applied", hidden=True)
    client = login(rated["manager"])
    assert "Checkout reliability gig" not in get(client, "/opportunities/reports/")
    assert client.get(f"/opportunities/{gig.pk}/candidates/").status_code == 403
    hiring = login(rated["other_manager"])
    hiring.post(f"/opportunities/applications/{hidden.pk}/stage/", {"stage": "talking"})
    client = login(rated["manager"])
    page = text(get(client, "/opportunities/reports/"))
    assert "Emi Employee Checkout reliability gig Talking" in page


def test_a_filled_role_says_who_filled_it_and_how_long_it_took(
    login: Any, gig: Opportunity, rated: dict[str, Any]
) -> None:
    filled = application(gig, rated["employee"].person, "applied", "talking", "offered", "accepted")
    Opportunity.objects.filter(pk=gig.pk).update(
        status=Opportunity.Status.FILLED, filled_at=gig.opened_at + datetime.timedelta(days=26)
    )
    page = text(get(login(rated["coauthor"]), f"/opportunities/{gig.pk}/"))
    assert f"Filled internally by {filled.person.full_name}, 26 days after it opened." in page
    postings = text(get(login(rated["other_manager"]), "/opportunities/"))
    assert "Checkout reliability gig Filled · Candidates · filled in 26 days" in postings
