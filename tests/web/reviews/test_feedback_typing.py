"""Peer and upward feedback saves as one types (htmx, one competency at a time), like the
assessment form: a stale revision is refused with the same message, the stored answer shown and the
author's version kept beside it, nothing saved; without JavaScript the whole form still saves."""

from __future__ import annotations

from typing import Any

import pytest

from trellis.web.audit.models import AuditEvent
from trellis.web.reviews.models import Assessment, Rating, ReviewCycle

from .feedback_data import feedback_team
from .test_feedback import _approved

pytestmark = pytest.mark.django_db
__all__ = ["feedback_team"]

HTMX = {"HTTP_HX_REQUEST": "true"}


def _one(rating: Rating, score: str, comment: str, revision: int | None = None) -> dict[str, str]:
    cid = rating.competency_id
    return {
        f"score_{cid}": score,
        f"comment_{cid}": comment,
        f"revision_{cid}": str(rating.revision if revision is None else revision),
    }


def _stored(assessment: Assessment) -> list[tuple[Any, ...]]:
    return list(
        Rating.objects.filter(assessment=assessment)
        .order_by("competency_id")
        .values_list("competency_id", "score", "comment", "revision")
    )


def _rating(assessment: Assessment, competency_id: str) -> Rating:
    return Rating.objects.get(assessment=assessment, competency_id=competency_id)


def test_the_form_posts_each_competency_as_one_types(feedback_team: dict[str, Any], login: Any) -> None:
    assessment = _approved(feedback_team)
    html = login(feedback_team["peers"][0]).get(f"/feedback/answers/{assessment.pk}/").content.decode()
    assert (
        f'id="answer-communication"\n            hx-post="/feedback/answers/{assessment.pk}/communication/" '
        'hx-trigger="change, input delay:700ms" hx-target="#answer-status-communication" hx-swap="innerHTML"'
    ) in html
    assert (
        '<p class="rating__status" id="answer-status-communication" aria-live="polite">Not saved yet</p>'
        in html
    )
    # The whole form still posts to the page itself, for a browser without JavaScript.
    assert '<form method="post" class="feedback-answer" novalidate>' in html


def test_one_competency_saves_and_its_new_revision_comes_back(
    feedback_team: dict[str, Any], login: Any
) -> None:
    assessment = _approved(feedback_team)
    client = login(feedback_team["peers"][0])
    rating = _rating(assessment, "communication")
    response = client.post(
        f"/feedback/answers/{assessment.pk}/communication/", _one(rating, "4", "Explains trade-offs."), **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith("Saved ")
    assert (
        '<input type="hidden" name="revision_communication" id="answer-revision-communication" value="2" '
        'hx-swap-oob="true">'
    ) in html
    stored = _rating(assessment, "communication")
    assert (stored.score, stored.comment, stored.revision) == (4, "Explains trade-offs.", 2)
    # Only that competency: the others untouched.
    assert _rating(assessment, "delivery").revision == 1
    event = AuditEvent.objects.filter(action="feedback.saved").get()
    assert (event.target_id, event.fields) == (
        str(assessment.pk),
        ["communication.comment", "communication.score"],
    )
    # Typing on from the new revision saves again.
    again = client.post(
        f"/feedback/answers/{assessment.pk}/communication/",
        _one(stored, "4", "Explains trade-offs clearly."),
        **HTMX,
    )
    assert again.status_code == 200 and _rating(assessment, "communication").revision == 3


@pytest.mark.parametrize("htmx", [True, False])
def test_a_stale_revision_is_refused_with_the_assessment_forms_message_and_nothing_saved(
    feedback_team: dict[str, Any], login: Any, htmx: bool
) -> None:
    assessment = _approved(feedback_team)
    client = login(feedback_team["peers"][0])
    url = f"/feedback/answers/{assessment.pk}/communication/"
    read = _rating(assessment, "communication")
    assert client.post(url, _one(read, "5", "Second tab."), **HTMX).status_code == 200
    before = _stored(assessment)
    events = AuditEvent.objects.count()
    refused = client.post(url, _one(read, "3", "First tab."), **(HTMX if htmx else {}))
    assert refused.status_code == (200 if htmx else 409)
    if htmx:
        assert (refused["HX-Retarget"], refused["HX-Reswap"]) == ("#answer-communication", "outerHTML")
    html = refused.content.decode()
    assert "Not saved: Peer 1 saved a newer value on " in html
    assert "It is shown here; your version was kept beside it for you to apply again." in html
    assert "Your version (not saved): 3 — “First tab.”" in html
    # The stored answer in the fields, with its revision: the next keystroke saves over it knowingly.
    assert ">Second tab.</textarea>" in html and '<option value="5" selected>' in html
    assert 'name="revision_communication" id="answer-revision-communication" value="2"' in html
    assert _stored(assessment) == before
    assert AuditEvent.objects.count() == events


def test_a_score_off_the_scale_is_shown_on_its_field_and_nothing_saved(
    feedback_team: dict[str, Any], login: Any
) -> None:
    assessment = _approved(feedback_team)
    client = login(feedback_team["peers"][0])
    before = _stored(assessment)
    response = client.post(
        f"/feedback/answers/{assessment.pk}/delivery/",
        _one(_rating(assessment, "delivery"), "9", "Typed."),
        **HTMX,
    )
    assert response.status_code == 200 and response["HX-Retarget"] == "#answer-delivery"
    html = response.content.decode()
    assert 'class="card field--invalid"' in html
    assert "9 is not a point of the rating scale (1, 2, 3, 4 and 5)." in html
    assert ">Typed.</textarea>" in html  # what was typed stays in the field
    assert _stored(assessment) == before
    without_js = client.post(
        f"/feedback/answers/{assessment.pk}/delivery/", _one(_rating(assessment, "delivery"), "x", "Typed.")
    )
    assert without_js.status_code == 400 and "&#x27;x&#x27; is not a rating." in without_js.content.decode()
    assert _stored(assessment) == before


def test_nobody_but_the_author_saves_nor_after_submitting_or_the_phase(
    feedback_team: dict[str, Any], login: Any
) -> None:
    team = feedback_team
    assessment = _approved(team)
    rating = _rating(assessment, "communication")
    url = f"/feedback/answers/{assessment.pk}/communication/"
    before = _stored(assessment)
    for name in ("employee", "manager", "hr_admin"):
        assert login(team[name]).post(url, _one(rating, "4", "x"), **HTMX).status_code == 404
    client = login(team["peers"][0])
    assert (
        client.post(f"/feedback/answers/{assessment.pk}/unknown/", _one(rating, "4", "x")).status_code == 404
    )
    ReviewCycle.objects.filter(pk=team["cycle"].pk).update(phase="calibration")
    refused = client.post(url, _one(rating, "4", "x"))
    assert refused.status_code == 400 and "past its assessment phase" in refused.content.decode()
    assert _stored(assessment) == before


def test_the_whole_form_posted_after_its_competencies_saved_themselves_is_accepted(
    feedback_team: dict[str, Any], login: Any
) -> None:
    """Submit clicked just after typing: the form carries the revisions it was read at, older than
    those the typing saved, but the same answers — nothing to write, so no conflict."""
    assessment = _approved(feedback_team)
    client = login(feedback_team["peers"][0])
    whole = {}
    for rating in assessment.ratings.all():
        whole.update(_one(rating, "", f"On {rating.competency_id}."))
    read = _rating(assessment, "communication")
    typed = _one(read, "", "On communication.")
    assert client.post(f"/feedback/answers/{assessment.pk}/communication/", typed, **HTMX).status_code == 200
    response = client.post(f"/feedback/answers/{assessment.pk}/", {**whole, "submit": "1"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.submitted_at is not None
    assert _rating(assessment, "communication").revision == 2  # saved once, by the typing
