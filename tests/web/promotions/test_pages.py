"""The promotion pages as each actor sees them: nominating, the packet with its ratings, evidence
and readiness, the skip-level endorsement and the committee's decision by form, the subject's
view (the outcome only), HR's overview — and a refused form that stores nothing."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.promotions import services
from trellis.web.promotions.models import Nomination, PromotionCommittee, Readiness
from trellis.web.reviews.models import Assessment, EvidenceItem, Rating, ReviewCycle, Source

from .conftest import IC3, stored, worded

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def reviewed(company: dict[str, User], published_framework: FrameworkVersion) -> ReviewCycle:
    """Two cycles of the employee's ratings (the packet shows the latest) and a piece of evidence."""
    employee = company["employee"].person
    manager = company["manager"].person
    cycles = []
    for name, ends_on, base in (
        ("H1 2026", datetime.date(2026, 6, 30), 2),
        ("H2 2026", datetime.date(2026, 11, 30), 3),
    ):
        cycle = ReviewCycle.objects.create(
            name=name, framework_version=published_framework, starts_on=ends_on - datetime.timedelta(days=180),
            ends_on=ends_on, phase=ReviewCycle.Phase.CLOSED,
        )  # fmt: skip
        for source, author, bump in (
            (Source.SELF, employee, 1),
            (Source.MANAGER, manager, 0),
            (Source.CALIBRATED, None, 0),
        ):
            assessment = Assessment.objects.create(
                cycle=cycle, subject=employee, source=source, author=author
            )
            Rating.objects.bulk_create(
                [
                    Rating(
                        assessment=assessment, cycle=cycle, subject=employee, source=source,
                        competency_id="communication", score=base + bump,
                        evidence="Wrote the payments RFC." if source == Source.MANAGER else "",
                    ),
                    Rating(
                        assessment=assessment, cycle=cycle, subject=employee, source=source,
                        competency_id="delivery", score=None if source == Source.CALIBRATED else base,
                    ),
                ]
            )  # fmt: skip
        cycles.append(cycle)
    # A cycle still being assessed is not in the packet, although it ends later.
    open_cycle = ReviewCycle.objects.create(
        name="H1 2027", framework_version=published_framework, starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 6, 30),
    )  # fmt: skip
    own = Assessment.objects.create(cycle=open_cycle, subject=employee, source=Source.SELF, author=employee)
    Rating.objects.create(
        assessment=own,
        cycle=open_cycle,
        subject=employee,
        source=Source.SELF,
        competency_id="communication",
        score=5,
    )
    EvidenceItem.objects.create(
        subject=employee, author=company["outsider"].person, kind=EvidenceItem.Kind.WIN,
        text="Ran the incident review.", competency_ids=["communication"],
    )  # fmt: skip
    return cycles[-1]


def test_the_manager_nominates_from_the_profile_and_the_packet_gathers_everything(
    login: Any,
    company: dict[str, User],
    committee: PromotionCommittee,
    readiness: Readiness,
    reviewed: ReviewCycle,
) -> None:
    client = login(company["manager"])
    employee = company["employee"].person
    profile = client.get(f"/people/{employee.pk}/").content.decode()
    assert f'href="/promotions/nominate/{employee.pk}/"' in profile
    form = client.get(f"/promotions/nominate/{employee.pk}/").content.decode()
    assert '<option value="engineering/ic/IC3" selected>' in form
    assert '<option value="engineering/management/M1">' in form  # crossover to management
    response = client.post(
        f"/promotions/nominate/{employee.pk}/",
        {"target": "engineering/ic/IC3", "case": "Leads the payments design reviews.", "submit": "1"},
    )
    nomination = Nomination.objects.get(person=employee)
    assert response.status_code == 302 and response["Location"] == f"/promotions/{nomination.pk}/"
    text = _text(client.get(f"/promotions/{nomination.pk}/").content.decode())
    assert "Readiness at submission" in text
    # Recomputed at submission, with the manager's endorsement.
    readiness = Readiness.objects.get(person=readiness.person_id, is_next_level=True)
    assert f"Not yet ready : {readiness.met_count} of {readiness.criteria_count} criteria met." in text
    for criterion in worded(readiness):
        assert f"{'Met' if criterion['met'] else 'Not met'} {criterion['explanation']}" in text
    assert "Ratings in H2 2026" in text
    assert "Communication 4 3 3 Wrote the payments RFC. Win: Ran the incident review." in text
    assert "Delivery 3 3 Missing" in text
    assert "Leads the payments design reviews." in text
    assert "Manager : Mo Manager" in text
    assert "Awaiting the skip-level endorsement of Sara Skip." in text
    # Another person's profile offers no nomination to the skip-level manager (not their direct report).
    skip = login(company["skip_level_manager"]).get(f"/people/{employee.pk}/").content.decode()
    assert "/promotions/nominate/" not in skip


def test_endorsing_and_deciding_by_form(
    login: Any,
    company: dict[str, User],
    committee: PromotionCommittee,
    django_capture_on_commit_callbacks: Any,
) -> None:
    nomination = services.nomination_create(
        actor=company["manager"], person=company["employee"].person, target=IC3, case="Ready.", submit=True
    )
    skip = login(company["skip_level_manager"])
    assert f'href="/promotions/{nomination.pk}/"' in skip.get("/promotions/").content.decode()
    response = skip.post(f"/promotions/{nomination.pk}/endorse/", {"note": "I have seen the work."})
    assert response.status_code == 302
    member = login(company["other_manager"])
    queue = _text(member.get("/promotions/committee/").content.decode())
    assert (
        "Emi Employee IC3 Software Engineer III · Engineering, Individual contributor Engineering promotions"
        in queue
    )
    assert "Endorsed Yes" in queue
    before = stored()
    refused = member.post(f"/promotions/{nomination.pk}/decide/", {"outcome": "approved", "reason": "Clear."})
    assert refused.status_code == 400
    assert "An approval needs the date it takes effect." in refused.content.decode()
    assert stored() == before
    with django_capture_on_commit_callbacks(execute=True):
        decided = member.post(
            f"/promotions/{nomination.pk}/decide/",
            {"outcome": "approved", "reason": "Clear.", "effective_on": timezone.localdate().isoformat()},
        )
    assert decided.status_code == 302 and decided["Location"] == "/promotions/committee/"
    nomination.refresh_from_db()
    assert (nomination.status, nomination.decided_by_id) == ("approved", company["other_manager"].person.pk)


def test_the_subject_sees_their_request_and_the_outcome_only(
    login: Any, company: dict[str, User], committee: PromotionCommittee
) -> None:
    client = login(company["employee"])
    assert client.post("/promotions/request/", {"target": "engineering/ic/IC3"}).status_code == 302
    asked = Nomination.objects.get(person=company["employee"].person)
    services.nomination_save(
        actor=company["manager"], nomination=asked, case="Confidential case text.", submit=True
    )
    page = _text(client.get("/promotions/").content.decode())
    assert "IC3 Software Engineer III · Engineering, Individual contributor — Requested" in page
    assert "Confidential" not in page
    assert client.get(f"/promotions/{asked.pk}/").status_code == 404
    services.nomination_decide(
        actor=company["other_manager"], nomination=asked, approved=False, reason="Deliberation: floor missed."
    )
    page = _text(client.get("/promotions/").content.decode())
    assert "— Decided: not yet" in page
    assert "Deliberation" not in page and "Confidential" not in page


def test_a_manager_declines_a_request_from_the_packet(login: Any, company: dict[str, User]) -> None:
    asked = services.promotion_request(actor=company["employee"])
    client = login(company["manager"])
    assert "Asking for a promotion conversation" in client.get("/promotions/").content.decode()
    before = stored()
    refused = client.post(f"/promotions/{asked.pk}/decline/", {"reason": ""})
    assert refused.status_code == 400 and "This field is required." in refused.content.decode()
    assert stored() == before
    assert client.post(f"/promotions/{asked.pk}/decline/", {"reason": "Next cycle."}).status_code == 302
    page = _text(login(company["employee"]).get("/promotions/").content.decode())
    assert "— Declined by your manager Next cycle." in page


def test_hr_adds_a_committee_by_employee_id_and_sees_the_overview(
    login: Any, company: dict[str, User]
) -> None:
    client = login(company["hr_admin"])
    before = stored()
    refused = client.post(
        "/promotions/committees/",
        {"name": "Engineering", "family_ids": ["engineering"], "members": "E004\nE999"},
    )
    assert refused.status_code == 400
    assert "Nobody has this employee ID or e-mail address: E999" in refused.content.decode()
    assert stored() == before
    added = client.post(
        "/promotions/committees/",
        {"name": "Engineering", "family_ids": ["engineering"], "members": "E004\ncoauthor@example.com"},
    )
    assert added.status_code == 302
    committee = PromotionCommittee.objects.get()
    assert sorted(committee.members.values_list("employee_id", flat=True)) == ["E004", "E006"]
    listing = _text(client.get("/promotions/committees/").content.decode())
    assert (
        "Engineering Engineering Otto Other, Cai Coauthor" in listing
        or "Engineering Engineering Cai Coauthor, Otto Other" in listing
    )
    nomination = services.nomination_create(
        actor=company["manager"], person=company["employee"].person, target=IC3, case="Ready.", submit=True
    )
    services.nomination_decide(
        actor=company["coauthor"], nomination=nomination, approved=False, reason="Floor missed."
    )
    overview = _text(client.get("/promotions/overview/").content.decode())
    assert "Floor missed. today No later case" in overview


def test_the_overview_costs_the_same_queries_whatever_the_number_of_cases(
    login: Any, company: dict[str, User], committee: PromotionCommittee
) -> None:
    client = login(company["hr_admin"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/promotions/overview/").status_code == 200
        return len(captured.captured_queries)

    def not_yet(person: Any, level: str) -> None:
        case = Nomination.objects.create(
            person=person, target_family_id="engineering", target_track_id="ic", target_level_code=level,
            status=Nomination.Status.NOT_YET, decision_reason="Not yet.", decided_at=timezone.now(),
            committee=committee,
        )  # fmt: skip
        assert case.pk

    not_yet(company["employee"].person, "IC3")
    queries()  # the framework parsed and cached once per process
    one = queries()
    for level in ("IC4", "IC5"):
        not_yet(company["employee"].person, level)
    not_yet(company["outsider"].person, "IC4")
    assert queries() == one


@pytest.mark.parametrize("actor", ["it_admin", "outsider", "employee"])
def test_the_packet_and_the_queue_are_closed_to_it_admins_peers_and_the_subject(
    login: Any, company: dict[str, User], committee: PromotionCommittee, actor: str
) -> None:
    nomination = services.nomination_create(
        actor=company["manager"],
        person=company["employee"].person,
        target=IC3,
        case="Secret case.",
        submit=True,
    )
    services.nomination_decide(
        actor=company["other_manager"], nomination=nomination, approved=False, reason="Secret reason."
    )
    client = login(company[actor])
    assert client.get(f"/promotions/{nomination.pk}/").status_code == 404
    assert client.get("/promotions/committee/").status_code == 403
    assert client.get("/promotions/overview/").status_code == 403
    index = client.get("/promotions/")
    body = index.content.decode()
    assert "Secret" not in body
    assert index.status_code == (403 if actor == "it_admin" else 200)


def test_the_nominate_page_points_to_an_open_request(login: Any, company: dict[str, User]) -> None:
    asked = services.promotion_request(actor=company["employee"])
    client = login(company["manager"])
    person = company["employee"].person
    page = client.get(f"/promotions/nominate/{person.pk}/").content.decode()
    assert (
        f'<a href="/promotions/{asked.pk}/">IC3 Software Engineer III · Engineering, Individual contributor</a>'
        in page
    )
    before = stored()
    refused = client.post(f"/promotions/nominate/{person.pk}/", {"target": "engineering/ic/IC3", "case": "x"})
    assert refused.status_code == 400
    assert "There is already an open promotion case for IC3." in refused.content.decode()
    assert stored() == before


def test_the_packet_costs_the_same_queries_whatever_the_ratings_and_evidence(
    login: Any, company: dict[str, User], committee: PromotionCommittee, reviewed: ReviewCycle
) -> None:
    nomination = services.nomination_create(
        actor=company["manager"], person=company["employee"].person, target=IC3, case="Ready.", submit=True
    )
    client = login(company["other_manager"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/promotions/{nomination.pk}/").status_code == 200
        return len(captured.captured_queries)

    queries()  # the framework parsed and cached once per process
    before = queries()
    employee = company["employee"].person
    assessment = Assessment.objects.get(cycle=reviewed, subject=employee, source=Source.MANAGER)
    Rating.objects.bulk_create(
        Rating(
            assessment=assessment,
            cycle=reviewed,
            subject=employee,
            source=Source.MANAGER,
            competency_id=c,
            score=3,
        )
        for c in ("ownership", "collaboration", "system_design")
    )
    EvidenceItem.objects.bulk_create(
        EvidenceItem(subject=employee, author=company["outsider"].person,
                     text=f"Win {n}", competency_ids=["ownership"])
        for n in range(5)
    )  # fmt: skip
    assert queries() == before


def test_the_nominate_page_offers_no_level_by_default_at_the_top_of_the_track(
    login: Any, company: dict[str, User]
) -> None:
    """At the top of the track there is no next level: the form preselects nothing (it used to
    preselect the first level of the list, the bottom of the track) and says why."""
    from trellis.web.frameworks.selectors import framework_published_get

    person = company["employee"].person
    published = framework_published_get(viewer=company["hr_admin"])
    assert published is not None
    family = published.framework.family(person.family_id)
    assert family is not None
    track = family.track(person.track_id)
    assert track is not None
    person.level_code = track.levels[-1].code
    person.save(update_fields=["level_code"])
    client = login(company["manager"])
    page = client.get(f"/promotions/nominate/{person.pk}/").content.decode()
    assert '<option value="" selected>Choose a level</option>' in page
    assert f"{person.level_code} is the top of {person.full_name}'s track" in _text(page).replace(
        "&#x27;", "'"
    )
    before = stored()
    refused = client.post(f"/promotions/nominate/{person.pk}/", {"target": "", "case": "x", "submit": "1"})
    assert refused.status_code == 400
    assert "This field is required." in refused.content.decode()
    assert stored() == before
