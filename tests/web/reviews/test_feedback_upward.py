"""Upward feedback: a manager's reports answer on the management competencies, always anonymously."""

from __future__ import annotations

from typing import Any

import pytest

from trellis.web.audit.models import AuditEvent
from trellis.web.reviews.feedback_selectors import framework_of_version, management_competencies
from trellis.web.reviews.models import Assessment, ReviewCycle

from .feedback_data import MANAGEMENT_COMPETENCIES, feedback_team

pytestmark = pytest.mark.django_db
__all__ = ["feedback_team"]


def _give_upward(client: Any, cycle: ReviewCycle, comment: str) -> Assessment:
    started = client.post(f"/feedback/cycles/{cycle.pk}/upward/")
    assert started.status_code == 302
    assessment_id = int(started["Location"].rstrip("/").rsplit("/", 1)[1])
    assessment = Assessment.objects.get(pk=assessment_id)
    data: dict[str, str] = {"submit": "1"}
    for rating in assessment.ratings.all():
        data[f"score_{rating.competency_id}"] = "4" if rating.competency_id == "people_development" else ""
        data[f"comment_{rating.competency_id}"] = comment
        data[f"revision_{rating.competency_id}"] = str(rating.revision)
    assert client.post(f"/feedback/answers/{assessment.pk}/", data).status_code == 302
    return assessment


@pytest.fixture
def upward_cycle(feedback_team: dict[str, Any]) -> dict[str, Any]:
    ReviewCycle.objects.filter(pk=feedback_team["cycle"].pk).update(
        upward_feedback=True, show_peer_names_to_manager=True
    )
    feedback_team["cycle"].refresh_from_db()
    return feedback_team


def _manager_page(client: Any, team: dict[str, Any]) -> str:
    response = client.get(f"/feedback/cycles/{team['cycle'].pk}/people/{team['manager'].person.pk}/")
    assert response.status_code == 200
    return str(response.content.decode())


def test_reports_answer_on_the_management_competencies_and_the_manager_sees_them_anonymously(
    upward_cycle: dict[str, Any], login: Any
) -> None:
    team = upward_cycle
    reporters = [team["employee"], *team["peers"][:2]]
    for number, report in enumerate(reporters):
        assessment = _give_upward(login(report), team["cycle"], f"Upward comment {number}.")
        assert assessment.source == "upward" and assessment.subject_id == team["manager"].person.pk
        assert sorted(assessment.ratings.values_list("competency_id", flat=True)) == sorted(
            MANAGEMENT_COMPETENCIES
        )
    text = _manager_page(login(team["manager"]), team)
    upward = text[text.index("Upward feedback from reports") :]
    assert "3 answered; answers are anonymous" in upward
    assert "3 answered, 3 rated · mean 4" in upward  # people development
    assert all(f"Upward comment {n}." in upward for n in range(3))
    # Anonymous even though the cycle shows peer names to managers — and to HR and the skip level.
    for viewer in ("manager", "skip_level_manager", "hr_admin"):
        seen = _manager_page(login(team[viewer]), team)
        seen = seen[seen.index("Upward feedback from reports") :]
        assert "Answered by" not in seen and "Each answer" not in seen
        assert all(r.full_name not in seen for r in reporters)
    # The audit log names the cycle as the target of upward answers, never the assessment.
    upward_events = AuditEvent.objects.filter(action__in=["feedback.upward_started", "feedback.submitted"])
    assert {(e.target_type, e.target_id) for e in upward_events} == {
        ("reviews.reviewcycle", str(team["cycle"].pk))
    }


def test_below_the_threshold_the_manager_sees_no_upward_feedback(
    upward_cycle: dict[str, Any], login: Any
) -> None:
    team = upward_cycle
    for report in (team["employee"], team["peers"][0]):
        _give_upward(login(report), team["cycle"], "Too few to show.")
    text = _manager_page(login(team["manager"]), team)
    upward = text[text.index("Upward feedback from reports") :]
    assert "Too few to show." not in upward
    assert "Feedback is shown once at least 3 have answered." in upward
    assert "2 answered" not in upward


def test_starting_twice_returns_the_same_assessment_and_a_cycle_without_upward_refuses(
    feedback_team: dict[str, Any], login: Any
) -> None:
    team = feedback_team
    client = login(team["employee"])
    refused = client.post(f"/feedback/cycles/{team['cycle'].pk}/upward/")
    assert refused.status_code == 400
    assert "does not ask for upward feedback" in refused.content.decode()
    assert not Assessment.objects.exists()
    ReviewCycle.objects.filter(pk=team["cycle"].pk).update(upward_feedback=True)
    first = client.post(f"/feedback/cycles/{team['cycle'].pk}/upward/")
    second = client.post(f"/feedback/cycles/{team['cycle'].pk}/upward/")
    assert first["Location"] == second["Location"]
    assert Assessment.objects.filter(source="upward").count() == 1
    # Someone outside the cycle has no upward feedback to give in it.
    assert login(team["coauthor"]).post(f"/feedback/cycles/{team['cycle'].pk}/upward/").status_code == 404


def test_management_competencies_of_an_ic_manager_are_their_familys_management_tracks(
    feedback_team: dict[str, Any],
) -> None:
    framework = framework_of_version(feedback_team["cycle"].framework_version)
    ids = [c.id for c in management_competencies(framework, "engineering", "ic")]
    assert ids == MANAGEMENT_COMPETENCIES
    assert [
        c.id for c in management_competencies(framework, "engineering", "management")
    ] == MANAGEMENT_COMPETENCIES
    assert management_competencies(framework, "no_such_family", "ic") == []
