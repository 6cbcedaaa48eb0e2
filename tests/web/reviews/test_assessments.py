"""Assessments: one competency's rating saved at a time with the revision it read (a stale save is
refused, naming who saved the newer value, and stores nothing), submission, read-only phases,
authorship — and the form, My reviews, the cycle pages and the results page as HTTP answers."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.web.reviews.test_cycles import (
    cycle_fixture,  # noqa: F401 (the `cycle` fixture)
    participant_of,
    rate,
    review_tables,
    to_phase,
)
from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.reviews.assessment_services import RatingConflict, assessment_submit
from trellis.web.reviews.models import Assessment, CycleParticipant, EvidenceItem, Rating, ReviewCycle, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def emi(cycle: ReviewCycle, personas: dict[str, User]) -> CycleParticipant:
    """The employee's participation: they write the self-assessment, the manager the manager's."""
    return participant_of(cycle, personas["employee"])


class TestRatingSave:
    def test_first_save_inserts_then_each_save_moves_the_revision(
        self, emi: CycleParticipant, personas: dict[str, User]
    ) -> None:
        manager = personas["manager"]
        first = rate(manager, emi, Source.MANAGER, "communication", 3, comment="Clear.", revision=0)
        assert (first.score, first.comment, first.revision, first.updated_by_id) == (
            3,
            "Clear.",
            1,
            manager.pk,
        )
        second = rate(manager, emi, Source.MANAGER, "communication", 4, comment="Clear.", revision=1)
        assert (second.pk, second.score, second.revision) == (first.pk, 4, 2)
        stored = Rating.objects.get()
        assert (stored.cycle_id, stored.subject_id, stored.source) == (emi.cycle_id, emi.person_id, "manager")
        assert list(
            AuditEvent.objects.filter(action="rating.saved").order_by("pk").values_list("fields", flat=True)
        ) == [
            ["comment", "score"],
            ["score"],
        ]
        assert AuditEvent.objects.filter(action="assessment.started").count() == 1

    def test_the_same_values_again_make_no_new_revision(
        self, emi: CycleParticipant, personas: dict[str, User]
    ) -> None:
        rate(personas["manager"], emi, Source.MANAGER, "communication", 3, revision=0)
        again = rate(personas["manager"], emi, Source.MANAGER, "communication", 3, revision=1)
        assert again.revision == 1
        assert AuditEvent.objects.filter(action="rating.saved").count() == 1

    def test_a_blank_competency_never_saved_stays_missing_without_a_row(
        self, emi: CycleParticipant, personas: dict[str, User]
    ) -> None:
        assert rate(personas["employee"], emi, Source.SELF, "communication", None, revision=0) is None
        assert not Rating.objects.exists()

    def test_a_save_based_on_an_older_revision_is_refused_and_the_newer_value_kept(
        self, emi: CycleParticipant, personas: dict[str, User]
    ) -> None:
        manager = personas["manager"]
        rate(manager, emi, Source.MANAGER, "communication", 3, revision=0)
        rate(manager, emi, Source.MANAGER, "communication", 4, comment="From the other tab.", revision=1)
        before = review_tables()
        with pytest.raises(RatingConflict) as refused:
            rate(manager, emi, Source.MANAGER, "communication", 2, revision=1)
        assert re.fullmatch(
            r"Not saved: Mo Manager saved a newer value on \d{1,2} \w{3} \d{4}, \d\d:\d\d:\d\d\. It is shown "
            r"here; your version was kept beside it for you to apply again\.",
            str(refused.value),
        )
        assert (refused.value.current.score, refused.value.current.revision) == (4, 2)
        assert review_tables() == before

    def test_two_first_saves_make_one_rating_and_one_refusal(
        self, emi: CycleParticipant, personas: dict[str, User]
    ) -> None:
        rate(personas["employee"], emi, Source.SELF, "communication", 3, revision=0)
        before = review_tables()
        with pytest.raises(RatingConflict) as refused:
            rate(personas["employee"], emi, Source.SELF, "communication", 5, revision=0)
        assert refused.value.current.score == 3
        assert review_tables() == before

    @pytest.mark.parametrize(
        ("competency", "score", "comment", "errors"),
        [
            ("communication", 6, "", {"score": ["Choose a point of the scale (1–5) or Not rated."]}),
            ("communication", 0, "", {"score": ["Choose a point of the scale (1–5) or Not rated."]}),
            ("people_leadership", 3, "", {"competency": ["people_leadership is not assessed at IC2."]}),
            ("communication", 3, "x" * 2001, {"comment": ["At most 2000 characters (this has 2001)."]}),
        ],
    )
    def test_bad_values_name_the_field_and_store_nothing(
        self,
        emi: CycleParticipant,
        personas: dict[str, User],
        competency: str,
        score: int,
        comment: str,
        errors: Any,
    ) -> None:
        before = review_tables()
        with pytest.raises(ValidationError) as refused:
            rate(personas["employee"], emi, Source.SELF, competency, score, comment=comment)
        assert refused.value.message_dict == errors
        assert review_tables() == before

    @pytest.mark.parametrize(
        ("actor", "source"),
        [
            ("manager", Source.SELF),
            ("hr_admin", Source.SELF),
            ("employee", Source.MANAGER),  # nobody rates themselves as a manager
            ("skip_level_manager", Source.MANAGER),
            ("hr_admin", Source.MANAGER),
            ("it_admin", Source.MANAGER),
            ("outsider", Source.PEER),
        ],
    )
    def test_only_the_author_writes(
        self, emi: CycleParticipant, personas: dict[str, User], actor: str, source: Source
    ) -> None:
        before = review_tables()
        with pytest.raises(PermissionDenied):
            rate(personas[actor], emi, source, "communication", 3)
        assert review_tables() == before

    def test_submitted_and_past_the_phase_it_is_read_only(
        self, emi: CycleParticipant, personas: dict[str, User]
    ) -> None:
        employee, manager = personas["employee"], personas["manager"]
        rate(employee, emi, Source.SELF, "communication", 3)
        submitted = assessment_submit(actor=employee, participant=emi, source=Source.SELF)
        assert submitted.submitted_at is not None
        rate(manager, emi, Source.MANAGER, "communication", 3)
        before = review_tables()
        with pytest.raises(ValidationError) as refused:
            rate(employee, emi, Source.SELF, "ownership", 3)
        assert refused.value.messages == ["This assessment is submitted: it is read-only."]
        with pytest.raises(ValidationError):
            assessment_submit(actor=employee, participant=emi, source=Source.SELF)
        assert review_tables() == before

        to_phase(emi.cycle, personas["hr_admin"], "calibration")
        before = review_tables()
        with pytest.raises(ValidationError) as closed:
            rate(manager, emi, Source.MANAGER, "communication", 4, revision=1)
        assert closed.value.messages == ["The assessment phase of this cycle is over: the form is read-only."]
        assert review_tables() == before


# --- pages --------------------------------------------------------------------------------------------


def form_url(participant: CycleParticipant, source: str) -> str:
    return f"/reviews/participants/{participant.pk}/{source}/"


def text_of(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


class TestAssessmentPages:
    def test_the_form_shows_the_rubric_the_next_level_the_scale_and_missing_scores(
        self, emi: CycleParticipant, personas: dict[str, User], login: Any
    ) -> None:
        EvidenceItem.objects.create(
            subject=personas["employee"].person,
            author=personas["outsider"].person,
            text="Ran the incident review.",
            competency_ids=["communication"],
            occurred_on=datetime.date(2026, 9, 1),
        )
        EvidenceItem.objects.create(
            subject=personas["employee"].person,
            author=personas["manager"].person,
            kind=EvidenceItem.Kind.WIN,
            text="Shipped the billing export.",
            occurred_on=datetime.date(2026, 10, 1),
        )
        rate(personas["employee"], emi, Source.SELF, "ownership", 4, comment="Owned the export.")
        response = login(personas["employee"]).get(form_url(emi, "self"))
        assert response.status_code == 200
        page = text_of(response)
        assert "Self-assessment of Emi Employee" in page
        assert "At IC2: 2 · Developing" in page
        assert "Writes short descriptions of own work and its trade-offs" in page
        assert "At IC3 (next level): 3 · Proficient" in page
        assert "Explains a project&#x27;s goal, plan and risks in one written document" in page
        assert page.count('value="5"') == 9  # the scale on every competency of IC2
        assert "5 · Expert" in page and "Not rated" in page
        # Ownership is saved at revision 1; every other competency is unsaved (revision 0).
        assert 'name="ownership-revision" id="revision-ownership" value="1"' in page
        assert 'name="communication-revision" id="revision-communication" value="0"' in page
        assert "Ran the incident review." in page and "Shipped the billing export." in page
        assert "Not rated yet: Communication, Collaboration" in page

    def test_htmx_saves_one_competency_and_answers_its_status_and_new_revision(
        self, emi: CycleParticipant, personas: dict[str, User], login: Any
    ) -> None:
        client = login(personas["employee"])
        url = form_url(emi, "self") + "communication/"
        data = {
            "communication-score": "3",
            "communication-comment": "Wrote the RFC.",
            "communication-evidence": "",
            "communication-revision": "0",
        }
        response = client.post(url, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert 'id="revision-communication" value="1" hx-swap-oob="true"' in text_of(response)
        assert text_of(response).startswith("Saved <time")
        stored = Rating.objects.get()
        assert (stored.score, stored.comment, stored.revision) == (3, "Wrote the RFC.", 1)

    def test_a_stale_htmx_save_gets_the_newer_value_and_keeps_the_typed_one(
        self, emi: CycleParticipant, personas: dict[str, User], login: Any
    ) -> None:
        rate(personas["employee"], emi, Source.SELF, "communication", 4, comment="From the other tab.")
        client = login(personas["employee"])
        data = {
            "communication-score": "2",
            "communication-comment": "Typed here.",
            "communication-evidence": "",
            "communication-revision": "0",
        }
        before = review_tables()
        response = client.post(form_url(emi, "self") + "communication/", data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#rating-communication", "outerHTML")
        page = text_of(response)
        assert "Not saved: Emi Employee saved a newer value on" in page
        assert "Your version (not saved): 2 — “Typed here.”" in page
        assert re.search(r'value="4"[^>]*checked', page)
        assert "From the other tab." in page
        assert 'id="revision-communication" value="1"' in page
        assert review_tables() == before
        # Without htmx the same refusal is a 409.
        plain = client.post(form_url(emi, "self") + "communication/", data)
        assert plain.status_code == 409

    def test_without_javascript_the_whole_form_saves_and_submits_listing_what_is_not_rated(
        self, emi: CycleParticipant, personas: dict[str, User], login: Any
    ) -> None:
        client = login(personas["manager"])
        page = client.get(form_url(emi, "manager"))
        data = {
            "communication-score": "4",
            "communication-comment": "Clear writing.",
            "communication-revision": "0",
        }
        for competency in re.findall(r'name="(\w+)-revision"', page.content.decode()):
            data.setdefault(f"{competency}-revision", "0")
        data["submit"] = ""
        response = client.post(form_url(emi, "manager"), data, follow=True)
        assert response.redirect_chain == [("/reviews/", 302)]
        assert "Submitted. Not rated: Ownership, Collaboration, Delivery" in text_of(response)
        assessment = Assessment.objects.get(source=Source.MANAGER)
        assert assessment.submitted_at is not None
        assert list(assessment.ratings.values_list("competency_id", "score")) == [("communication", 4)]
        # Submitted: the form is read-only and a POST changes nothing.
        read_only = text_of(client.get(form_url(emi, "manager")))
        assert "Submitted <time" in read_only and 'name="communication-score"' not in read_only
        before = review_tables()
        assert client.post(form_url(emi, "manager"), data).status_code == 409
        assert review_tables() == before

    def test_a_stale_whole_form_is_409_with_the_newer_values_and_saves_the_rest(
        self, emi: CycleParticipant, personas: dict[str, User], login: Any
    ) -> None:
        rate(personas["manager"], emi, Source.MANAGER, "communication", 4, comment="Elsewhere.")
        client = login(personas["manager"])
        data = {
            "communication-score": "2",
            "communication-revision": "0",
            "ownership-score": "3",
            "ownership-revision": "0",
            "save": "",
        }
        response = client.post(form_url(emi, "manager"), data)
        assert response.status_code == 409
        assert "Not saved: Mo Manager saved a newer value on" in text_of(response)
        assert dict(Rating.objects.values_list("competency_id", "score")) == {
            "communication": 4,
            "ownership": 3,
        }

    def test_the_manager_reads_the_self_assessment_once_submitted(
        self, emi: CycleParticipant, personas: dict[str, User], login: Any
    ) -> None:
        rate(personas["employee"], emi, Source.SELF, "communication", 3, comment="Wrote the RFC.")
        client = login(personas["manager"])
        assert client.get(form_url(emi, "self")).status_code == 403
        assessment_submit(actor=personas["employee"], participant=emi, source=Source.SELF)
        page = text_of(client.get(form_url(emi, "self")))
        assert "3 · Proficient" in page and "Wrote the RFC." in page
        assert "Not rated" in page  # the competencies left out are shown as missing
        assert 'name="communication-score"' not in page

    def test_my_reviews_lists_what_the_viewer_writes(
        self, emi: CycleParticipant, personas: dict[str, User], login: Any
    ) -> None:
        rate(personas["manager"], emi, Source.MANAGER, "communication", 3)
        page = text_of(login(personas["manager"]).get("/reviews/"))
        assert "Your self-assessment — Second half 2026" in page  # the manager is a participant too
        assert "Emi Employee — Second half 2026" in page
        assert "In progress" in page and "Not started" in page
        assert form_url(emi, "manager") in page


class TestCyclePages:
    def test_hr_opens_a_cycle_from_the_form(
        self, personas: dict[str, User], published_framework: FrameworkVersion, login: Any
    ) -> None:
        client = login(personas["hr_admin"])
        assert client.get("/reviews/cycles/new/").status_code == 200
        response = client.post(
            "/reviews/cycles/new/",
            {
                "name": "Mid-year 2027",
                "framework_version": str(published_framework.pk),
                "starts_on": "2027-01-01",
                "ends_on": "2027-06-30",
                "peer_minimum": "3",
                "levels": ["engineering/ic/IC2", "engineering/ic/IC3"],
            },
            follow=True,
        )
        cycle = ReviewCycle.objects.get()
        assert response.redirect_chain == [(f"/reviews/cycles/{cycle.pk}/", 302)]
        page = text_of(response)
        assert "Opened Mid-year 2027 for 2 people." in page
        assert "Emi Employee" in page and "Ola Outsider" in page
        assert "Move on to Calibration" in page

    def test_a_bad_form_is_400_with_the_errors_on_their_fields_and_nothing_stored(
        self, personas: dict[str, User], published_framework: FrameworkVersion, login: Any
    ) -> None:
        client = login(personas["hr_admin"])
        before = review_tables()
        response = client.post(
            "/reviews/cycles/new/",
            {
                "name": "X",
                "framework_version": str(published_framework.pk),
                "starts_on": "2027-07-01",
                "ends_on": "2027-06-30",
                "peer_minimum": "3",
            },
        )
        assert response.status_code == 400
        page = text_of(response)
        assert "The cycle cannot end before it starts." in page
        assert "Choose who takes part: everyone, or at least one family, team or level." in page
        assert review_tables() == before

    def test_the_cycle_page_costs_the_same_queries_for_more_people(
        self,
        cycle: ReviewCycle,
        personas: dict[str, User],
        login: Any,
    ) -> None:
        client = login(personas["hr_admin"])
        client.get(f"/reviews/cycles/{cycle.pk}/")
        with CaptureQueriesContext(connection) as six:
            client.get(f"/reviews/cycles/{cycle.pk}/")
        rate(
            personas["employee"], participant_of(cycle, personas["employee"]), Source.SELF, "communication", 3
        )
        with CaptureQueriesContext(connection) as again:
            response = client.get(f"/reviews/cycles/{cycle.pk}/")
        assert len(again.captured_queries) == len(six.captured_queries)
        assert "Not submitted · 1 rated" in text_of(response)

    def test_advancing_with_a_stale_phase_says_so(
        self, cycle: ReviewCycle, personas: dict[str, User], login: Any
    ) -> None:
        client = login(personas["hr_admin"])
        client.post(f"/reviews/cycles/{cycle.pk}/advance/", {"phase": "assessment"})
        response = client.post(f"/reviews/cycles/{cycle.pk}/advance/", {"phase": "assessment"}, follow=True)
        assert "The cycle moved on meanwhile: it is in Calibration now." in text_of(response)
        assert ReviewCycle.objects.get().phase == "calibration"


class TestResultsPage:
    def test_the_subject_sees_calibrated_results_and_the_managers_comments_only_once_shared(
        self, emi: CycleParticipant, personas: dict[str, User], login: Any
    ) -> None:
        hr, manager, employee = personas["hr_admin"], personas["manager"], personas["employee"]
        rate(manager, emi, Source.MANAGER, "communication", 4, comment="Clear, well-argued RFCs.")
        rate(employee, emi, Source.SELF, "communication", 3)
        to_phase(emi.cycle, hr, "sign_off")
        client = login(employee)
        before = text_of(client.get(f"/reviews/participants/{emi.pk}/"))
        assert "Your results are shown here once they are signed off and HR shares the cycle." in before
        assert "Clear, well-argued RFCs." not in before and "4 · Advanced" not in before
        assert "Self-assessment" in before

        manager_page = text_of(login(manager).get(f"/reviews/participants/{emi.pk}/"))
        assert "Sign off these results" in manager_page
        login(manager).post(f"/reviews/participants/{emi.pk}/sign-off/")
        to_phase(emi.cycle, hr, "shared")
        after = text_of(login(employee).get(f"/reviews/participants/{emi.pk}/"))
        assert (
            '<th scope="row">Communication</th><td data-label="Result">4 · Advanced</td>'
            '<td data-label="Manager\'s comment">Clear, well-argued RFCs.</td>' in after
        )
        assert '<th scope="row">Ownership</th><td data-label="Result">Not rated</td>' in after
        mine = text_of(login(employee).get("/reviews/"))
        assert "Second half 2026: your results" in mine

    def test_it_admins_and_strangers_see_no_rating(
        self, emi: CycleParticipant, personas: dict[str, User], login: Any
    ) -> None:
        rate(personas["manager"], emi, Source.MANAGER, "communication", 4)
        for name in ("it_admin", "outsider", "other_manager", "coauthor"):
            client = Client()
            client.force_login(personas[name])
            assert client.get(f"/reviews/participants/{emi.pk}/", secure=True).status_code == 404
            assert client.get(form_url(emi, "manager"), secure=True).status_code == 404
