"""Peer feedback: nominations, answers, and what each viewer sees of them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from trellis.web.audit.models import AuditEvent
from trellis.web.notifications.models import Notification
from trellis.web.reviews.feedback_services import (
    FeedbackProblem,
    RatingInput,
    RevisionConflict,
    feedback_answer_save,
    peer_nominate,
    peer_nomination_decide,
)
from trellis.web.reviews.models import Assessment, PeerNomination, Rating, ReviewCycle, Source

from ..task_worker import run_queued_tasks
from .feedback_data import IC2_COMPETENCIES, answered, feedback_team

pytestmark = pytest.mark.django_db
__all__ = ["feedback_team"]


def page(client: Client, team: dict[str, Any], person: Any = None) -> str:
    person = person or team["employee"].person
    response = client.get(f"/feedback/cycles/{team['cycle'].pk}/people/{person.pk}/")
    assert response.status_code == 200
    return response.content.decode()


# --- nominations ------------------------------------------------------------------------------


def test_the_subject_nominates_and_the_manager_approves_and_the_peer_is_asked(
    feedback_team: dict[str, Any], login: Any, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    team = feedback_team
    peer = team["peers"][0]
    client = login(team["employee"])
    url = f"/feedback/cycles/{team['cycle'].pk}/people/{team['employee'].person.pk}/"
    assert client.post(url, {"peer_email": "PEER1@example.com"}).status_code == 302
    nomination = PeerNomination.objects.get()
    assert (nomination.peer_id, nomination.nominated_by_id, nomination.status) == (
        peer.person.pk,
        team["employee"].person.pk,
        "proposed",
    )
    # The subject may not approve their own nominations.
    refused = client.post(f"/feedback/nominations/{nomination.pk}/decide/", {"decision": "approve"})
    assert refused.status_code == 403
    assert PeerNomination.objects.get().status == "proposed" and not Assessment.objects.exists()

    manager = login(team["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(f"/feedback/nominations/{nomination.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert (nomination.status, nomination.decided_by_id) == ("approved", team["manager"].person.pk)
    assessment = Assessment.objects.get()
    assert (assessment.source, assessment.author_id, assessment.subject_id) == (
        "peer",
        peer.person.pk,
        team["employee"].person.pk,
    )
    assert list(assessment.ratings.order_by("pk").values_list("competency_id", "score", "comment")) == [
        (competency, None, "") for competency in IC2_COMPETENCIES
    ]
    notification = Notification.objects.get()
    assert (notification.recipient_id, notification.kind, notification.link) == (
        peer.person.pk,
        "peer_feedback_requested",
        f"/feedback/answers/{assessment.pk}/",
    )
    assert notification.title == "Feedback requested on Emi Employee"
    assert [t.status for t in run_queued_tasks()] == ["SUCCESSFUL"]
    mail = smtp_server.to("peer1@example.com")
    assert [m["Subject"] for m in mail] == ["Feedback requested on Emi Employee"]
    assert f"/feedback/answers/{assessment.pk}/" in smtp_server.text(mail[0])
    assert Notification.objects.get().mailed_at is not None
    assert list(
        AuditEvent.objects.exclude(action__startswith="framework.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "peer.nominated",
        "peer.nomination_approved",
        "notification.created",
    ]


def test_a_peer_cannot_be_the_subject_nor_nominated_twice_nor_unknown(feedback_team: dict[str, Any]) -> None:
    team = feedback_team
    participant = team["participant"]
    for address, message in (
        ("employee@example.com", "A peer cannot be the person the feedback is about."),
        ("nobody@example.com", "Nobody active in the company has the e-mail address 'nobody@example.com'."),
    ):
        with pytest.raises(FeedbackProblem) as refused:
            peer_nominate(actor=team["employee"], participant=participant, peer_email=address)
        assert (refused.value.message, refused.value.field) == (message, "peer_email")
    peer_nominate(actor=team["manager"], participant=participant, peer_email="peer2@example.com")
    with pytest.raises(FeedbackProblem, match="Peer 2 is nominated already"):
        peer_nominate(actor=team["employee"], participant=participant, peer_email="peer2@example.com")
    assert PeerNomination.objects.count() == 1


def test_only_the_subject_and_their_cycle_manager_nominate_and_only_the_manager_decides(
    feedback_team: dict[str, Any],
) -> None:
    team = feedback_team
    participant = team["participant"]
    for outsider in (team["peers"][0], team["skip_level_manager"], team["other_manager"]):
        with pytest.raises(PermissionDenied):
            peer_nominate(actor=outsider, participant=participant, peer_email="peer3@example.com")
    nomination = peer_nominate(
        actor=team["employee"], participant=participant, peer_email="peer3@example.com"
    )
    for not_deciding in (team["employee"], team["skip_level_manager"], team["peers"][2]):
        with pytest.raises(PermissionDenied):
            peer_nomination_decide(actor=not_deciding, nomination=nomination, approve=True)
    peer_nomination_decide(actor=team["manager"], nomination=nomination, approve=False)
    assert PeerNomination.objects.get().status == "declined"
    assert not Assessment.objects.exists() and not Notification.objects.exists()
    with pytest.raises(FeedbackProblem, match="decided already"):
        peer_nomination_decide(actor=team["manager"], nomination=nomination, approve=True)


def test_nothing_is_nominated_past_the_assessment_phase(feedback_team: dict[str, Any]) -> None:
    team = feedback_team
    ReviewCycle.objects.filter(pk=team["cycle"].pk).update(phase="calibration")
    team["participant"].cycle.refresh_from_db()
    with pytest.raises(FeedbackProblem, match="past its assessment phase"):
        peer_nominate(actor=team["employee"], participant=team["participant"], peer_email="peer1@example.com")
    assert not PeerNomination.objects.exists()


# --- answering --------------------------------------------------------------------------------


def _approved(team: dict[str, Any], peer_index: int = 0) -> Assessment:
    peer = team["peers"][peer_index]
    nomination = peer_nominate(actor=team["employee"], participant=team["participant"], peer_email=peer.email)
    peer_nomination_decide(actor=team["manager"], nomination=nomination, approve=True)
    return Assessment.objects.get(author=peer.person)


def _form(assessment: Assessment, **overrides: tuple[str, str]) -> dict[str, str]:
    data = {}
    for rating in assessment.ratings.all():
        score, comment = overrides.get(rating.competency_id, ("", ""))
        data[f"score_{rating.competency_id}"] = score
        data[f"comment_{rating.competency_id}"] = comment
        data[f"revision_{rating.competency_id}"] = str(rating.revision)
    return data


def test_a_comment_is_required_on_every_competency_to_submit_and_a_rating_is_optional(
    feedback_team: dict[str, Any], login: Any
) -> None:
    team = feedback_team
    assessment = _approved(team)
    client = login(team["peers"][0])
    url = f"/feedback/answers/{assessment.pk}/"
    assert client.get(url).status_code == 200
    partial = _form(assessment, communication=("4", "Explains trade-offs well."))
    refused = client.post(url, {**partial, "submit": "1"})
    assert refused.status_code == 400
    assert "A comment is required on every competency to submit." in refused.content.decode()
    assert set(Rating.objects.filter(assessment=assessment).values_list("score", "comment", "revision")) == {
        (None, "", 1)
    }
    # Saved without submitting: the answer is kept, the revision moves on.
    assert client.post(url, partial).status_code == 302
    assert Rating.objects.get(assessment=assessment, competency_id="communication").revision == 2
    assessment.refresh_from_db()
    complete = _form(assessment, **{c: ("", f"Comment on {c}.") for c in IC2_COMPETENCIES})
    complete["score_communication"] = "4"
    assert client.post(url, {**complete, "submit": "1"}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.submitted_at is not None
    assert Rating.objects.get(assessment=assessment, competency_id="communication").score == 4
    assert Rating.objects.get(assessment=assessment, competency_id="delivery").score is None
    # Submitted is final.
    with pytest.raises(FeedbackProblem, match="submitted already"):
        feedback_answer_save(actor=team["peers"][0], assessment=assessment, answers={}, submit=False)


def test_a_save_over_someone_elses_newer_save_is_refused_and_nothing_is_saved(
    feedback_team: dict[str, Any], login: Any
) -> None:
    team = feedback_team
    assessment = _approved(team)
    first_tab = _form(assessment, communication=("3", "First tab."), delivery=("2", "First tab."))
    second_tab = _form(assessment, communication=("5", "Second tab."))
    client = login(team["peers"][0])
    url = f"/feedback/answers/{assessment.pk}/"
    assert client.post(url, second_tab).status_code == 302
    refused = client.post(url, first_tab)
    assert refused.status_code == 409
    html = refused.content.decode()
    # The assessment form's message; the stored answer shown, the refused versions kept beside.
    assert "Not saved: Peer 1 saved a newer value on " in html
    assert "Your version (not saved): 3 — “First tab.”" in html
    assert "Your version (not saved): 2 — “First tab.”" in html
    assert ">Second tab.</textarea>" in html
    assert list(
        Rating.objects.filter(assessment=assessment, competency_id__in=["communication", "delivery"])
        .order_by("competency_id")
        .values_list("competency_id", "score", "comment", "revision")
    ) == [("communication", 5, "Second tab.", 2), ("delivery", None, "", 1)]


def test_a_score_off_the_scale_is_refused(feedback_team: dict[str, Any]) -> None:
    team = feedback_team
    assessment = _approved(team)
    with pytest.raises(FeedbackProblem) as refused:
        feedback_answer_save(
            actor=team["peers"][0],
            assessment=assessment,
            answers={"delivery": RatingInput("delivery", 9, "x", 1)},
            submit=False,
        )
    assert (refused.value.message, refused.value.field) == (
        "9 is not a point of the rating scale (1, 2, 3, 4 and 5).",
        "score_delivery",
    )
    assert not Rating.objects.filter(assessment=assessment, score__isnull=False).exists()


def test_nobody_but_the_author_opens_an_answer(feedback_team: dict[str, Any], login: Any) -> None:
    team = feedback_team
    assessment = _approved(team)
    for name in ("employee", "manager", "skip_level_manager", "hr_admin"):
        assert login(team[name]).get(f"/feedback/answers/{assessment.pk}/").status_code == 404
    with pytest.raises(FeedbackProblem):
        feedback_answer_save(actor=team["peers"][1], assessment=assessment, answers={}, submit=True)
    with pytest.raises(RevisionConflict):
        feedback_answer_save(
            actor=team["peers"][0],
            assessment=assessment,
            answers={"delivery": RatingInput("delivery", 3, "x", 7)},
            submit=False,
        )


# --- what each viewer sees --------------------------------------------------------------------

COMMENTS = ["Unblocked the release.", "Reviews carefully.", "Writes the clearest design notes."]


def _three_answers(team: dict[str, Any], count: int = 3) -> None:
    for index in range(count):
        answered(
            team["cycle"],
            team["employee"].person,
            team["peers"][index].person,
            {"delivery": (index + 3, COMMENTS[index]), "communication": (None, f"Talks {index}.")},
        )


def test_below_the_threshold_the_subject_sees_nothing_not_even_the_count(
    feedback_team: dict[str, Any], login: Any
) -> None:
    team = feedback_team
    _three_answers(team, count=2)
    text = page(login(team["employee"]), team)
    assert "Feedback is shown once at least 3 have answered." in text
    for hidden in [*COMMENTS[:2], "2 answered", "Peer 1", "Peer 2", "mean"]:
        assert hidden not in text
    # The manager learns how many answered, nothing of what they said.
    manager_text = page(login(team["manager"]), team)
    assert "2 answered so far" in manager_text
    assert COMMENTS[0] not in manager_text


def test_at_the_threshold_the_subject_sees_the_aggregate_without_names(
    feedback_team: dict[str, Any], login: Any
) -> None:
    team = feedback_team
    _three_answers(team)
    text = page(login(team["employee"]), team)
    assert "3 answered" in text
    assert "3 answered, 3 rated · mean 4" in text  # delivery: (3 + 4 + 5) / 3
    assert "3 answered, 0 rated · no rating given" in text  # communication
    assert all(comment in text for comment in COMMENTS)
    assert "Peer 1" not in text and "Answered by" not in text and "Each answer" not in text


@pytest.mark.parametrize("manager_name", ["manager", "skip_level_manager"])
def test_managers_see_who_answered_only_when_the_cycle_shows_names(
    feedback_team: dict[str, Any], login: Any, manager_name: str
) -> None:
    team = feedback_team
    _three_answers(team)
    hidden = page(login(team[manager_name]), team)
    assert "3 answered" in hidden and "Answered by" not in hidden and "Peer 1" not in hidden
    ReviewCycle.objects.filter(pk=team["cycle"].pk).update(show_peer_names_to_manager=True)
    shown = page(login(team[manager_name]), team)
    assert "Answered by: Peer 1, Peer 2, Peer 3" in shown
    # Who answered, never who wrote what.
    assert "Each answer" not in shown
    # The subject still sees no names.
    assert "Answered by" not in page(login(team["employee"]), team)


def test_hr_sees_every_answer_with_its_author_even_below_the_threshold(
    feedback_team: dict[str, Any], login: Any
) -> None:
    team = feedback_team
    _three_answers(team, count=1)
    text = page(login(team["hr_admin"]), team)
    assert "Answered by: Peer 1" in text
    assert (
        "Each answer (HR)" in text
        and "<td>Peer 1</td><td>Delivery</td><td>3</td><td>Unblocked the release.</td>" in text
    )


def test_unsubmitted_answers_do_not_count_or_show(feedback_team: dict[str, Any], login: Any) -> None:
    team = feedback_team
    _three_answers(team)
    Assessment.objects.filter(author=team["peers"][2].person).update(submitted_at=None)
    text = page(login(team["employee"]), team)
    assert COMMENTS[0] not in text and "Feedback is shown once at least 3 have answered." in text


def test_the_participant_page_is_not_found_for_a_peer_or_a_stranger(
    feedback_team: dict[str, Any], login: Any
) -> None:
    team = feedback_team
    _three_answers(team)
    for name in ("outsider", "other_manager", "coauthor"):
        assert (
            login(team[name])
            .get(f"/feedback/cycles/{team['cycle'].pk}/people/{team['employee'].person.pk}/")
            .status_code
            == 404
        )
    assert (
        login(team["peers"][0])
        .get(f"/feedback/cycles/{team['cycle'].pk}/people/{team['employee'].person.pk}/")
        .status_code
        == 404
    )


def test_the_requests_page_lists_what_the_peer_was_asked_for(
    feedback_team: dict[str, Any], login: Any
) -> None:
    team = feedback_team
    assessment = _approved(team)
    text = login(team["peers"][0]).get("/feedback/requests/").content.decode()
    assert f'href="/feedback/answers/{assessment.pk}/">Emi Employee</a>' in text
    assert "Emi Employee" not in login(team["peers"][1]).get("/feedback/requests/").content.decode()
    assert assessment.source == Source.PEER
    # My reviews lists it too, for the peer it was asked of only.
    mine = login(team["peers"][0]).get("/reviews/").content.decode()
    assert "Feedback asked of you" in mine
    assert f'href="/feedback/answers/{assessment.pk}/">Feedback on Emi Employee</a>' in mine
    assert "Feedback asked of you" not in login(team["peers"][1]).get("/reviews/").content.decode()


def test_the_feedback_summary_costs_a_fixed_number_of_queries(
    feedback_team: dict[str, Any], django_assert_num_queries: Any
) -> None:
    from trellis.web.accounts.models import User
    from trellis.web.reviews.feedback_selectors import feedback_participant_get, feedback_summary

    team = feedback_team
    _three_answers(team)
    manager = User.objects.select_related("person").get(pk=team["manager"].pk)
    participant = feedback_participant_get(
        viewer=manager, cycle_id=team["cycle"].pk, person_id=team["employee"].person.pk
    )
    # The submitted answers with their authors, in one query (the cycle's version is parsed once).
    feedback_summary(viewer=manager, participant=participant)
    with django_assert_num_queries(1):
        summary = feedback_summary(viewer=manager, participant=participant)
    assert summary.peer.answered == 3 and summary.upward is None


def test_an_hr_admin_who_is_the_subject_sees_only_what_any_subject_sees(
    feedback_team: dict[str, Any], login: Any
) -> None:
    from trellis.web.accounts.models import User

    team = feedback_team
    User.objects.filter(pk=team["employee"].pk).update(is_hr_admin=True)
    _three_answers(team, count=2)
    text = page(login(User.objects.get(pk=team["employee"].pk)), team)
    assert "Feedback is shown once at least 3 have answered." in text
    assert COMMENTS[0] not in text and "Peer 1" not in text and "2 answered" not in text
    ReviewCycle.objects.filter(pk=team["cycle"].pk).update(show_peer_names_to_manager=True)
    third = answered(
        team["cycle"], team["employee"].person, team["peers"][2].person, {"delivery": (5, COMMENTS[2])}
    )
    text = page(login(User.objects.get(pk=team["employee"].pk)), team)
    assert COMMENTS[2] in text
    assert "Answered by" not in text and "Each answer" not in text and "Peer 3" not in text
    assert third.source == Source.PEER


def test_a_nomination_approved_without_an_assessment_is_begun_by_its_peer(
    feedback_team: dict[str, Any], login: Any
) -> None:
    """As the demo's are: approved outside `peer_nomination_decide`."""
    team = feedback_team
    peer = team["peers"][1]
    nomination = PeerNomination.objects.create(
        cycle=team["cycle"],
        subject=team["employee"].person,
        peer=peer.person,
        nominated_by=team["employee"].person,
        status=PeerNomination.Status.APPROVED,
    )
    client = login(peer)
    assert "Give feedback" in client.get("/feedback/requests/").content.decode()
    # Nobody else begins it.
    assert login(team["peers"][0]).post(f"/feedback/nominations/{nomination.pk}/start/").status_code == 404
    assert not Assessment.objects.exists()
    client = login(peer)
    started = client.post(f"/feedback/nominations/{nomination.pk}/start/")
    assessment = Assessment.objects.get()
    assert started["Location"] == f"/feedback/answers/{assessment.pk}/"
    assert assessment.ratings.count() == len(IC2_COMPETENCIES)
    assert client.post(f"/feedback/nominations/{nomination.pk}/start/")["Location"] == started["Location"]
    assert Assessment.objects.count() == 1
    assert f'href="/feedback/answers/{assessment.pk}/"' in client.get("/feedback/requests/").content.decode()
