"""The reads of internal mobility: the one rule of what an applicant's management chain sees, the
bulk figures, the employee's matches and the hiring manager's ranked candidates."""

from __future__ import annotations

from typing import Any

import pytest

from trellis.web.growth.selectors import demonstrated_get
from trellis.web.mobility.models import Application, Opportunity
from trellis.web.mobility.selectors import (
    applications_of_reports,
    applications_shown_to_chain,
    candidates_get,
    demonstrated_many,
    open_opportunities_get,
)
from trellis.web.people.models import Person

from .conftest import application, open_gig

pytestmark = pytest.mark.django_db

Stage = Application.Stage


@pytest.mark.parametrize(
    ("stages", "hidden", "shown"),
    [
        (("saved",), False, False),  # a bookmark is the applicant's alone, hidden or not
        (("saved",), True, False),
        (("interested",), False, True),
        (("applied",), False, True),
        (("interested",), True, False),
        (("applied",), True, False),
        (("applied", "declined"), True, False),  # declined before an interview: never revealed
        (("applied", "talking"), True, True),  # the interview reveals it
        (("applied", "talking", "offered"), True, True),
        (("applied", "talking", "declined"), True, True),  # once revealed, it stays shown
        (("applied", "talking", "withdrawn"), True, True),
        (("applied", "talking", "offered", "accepted"), True, True),
        (("applied", "withdrawn"), False, True),
    ],
)
def test_the_chain_sees_an_application_by_the_one_rule(
    gig: Opportunity, rated: dict[str, Any], stages: tuple[str, ...], hidden: bool, shown: bool
) -> None:
    employee = rated["employee"].person
    made = application(gig, employee, *stages, hidden=hidden)
    assert list(applications_shown_to_chain(employee)) == ([made] if shown else [])


def test_the_reports_page_reads_the_rule_for_the_whole_chain_and_nobody_else(
    gig: Opportunity, rated: dict[str, Any]
) -> None:
    employee = rated["employee"].person
    hidden = application(gig, employee, "applied", hidden=True)
    other = open_gig(rated["other_manager"].person, title="Second gig")
    shown = application(other, employee, "interested")
    for chain in ("manager", "skip_level_manager"):
        assert applications_of_reports(viewer=rated[chain]) == [shown]
    assert applications_of_reports(viewer=rated["other_manager"]) == []
    Application.objects.filter(pk=hidden.pk).update(stage=Stage.TALKING)
    assert {a.pk for a in applications_of_reports(viewer=rated["manager"])} == {hidden.pk, shown.pk}


def test_the_bulk_figures_are_each_persons_own(rated: dict[str, Any]) -> None:
    people = [rated[name].person for name in ("employee", "coauthor", "outsider")] + [rated["newcomer"]]
    many = demonstrated_many(person.pk for person in people)
    assert many == {person.pk: demonstrated_get(person=person) for person in people}
    assert many[rated["newcomer"].pk] == {}
    assert many[rated["coauthor"].person.pk]["communication"].score == 2


def _rank_names(candidates: list[Any]) -> list[str]:
    return [candidate.application.person.full_name for candidate in candidates]


def test_candidates_rank_one_short_above_three_short_and_unknown_last(
    gig: Opportunity, rated: dict[str, Any]
) -> None:
    # Applied in the reverse of the ranking, so the order is the ranking's, not the arrival's.
    application(gig, rated["newcomer"], "applied")
    application(gig, rated["outsider"].person, "interested")
    application(gig, rated["coauthor"].person, "applied")
    application(gig, rated["employee"].person, "applied")
    application(gig, rated["skip_level_manager"].person, "saved")  # a bookmark: never the hiring side's
    application(gig, rated["manager"].person, "applied", "withdrawn")
    candidates = candidates_get(viewer=rated["hr_admin"], opportunity=gig, framework=None)
    assert _rank_names(candidates) == [
        "Emi Employee",
        rated["coauthor"].full_name,
        rated["outsider"].full_name,
        "Nia Newcomer",
    ]
    employee, one_short, three_short, unknown = (candidate.explanation for candidate in candidates)
    assert (employee.score, employee.summary) == ("100% match", "Meets 3 of 3 requirements")
    assert (one_short.score, one_short.summary) == ("67% match", "Meets 2 of 3 requirements")
    assert one_short.lines[0] == ("short", "communication: 2, short by 1 of 3")
    assert three_short.summary == "Meets 0 of 3 requirements"
    assert [line for _, line in three_short.lines] == [
        "communication: 1, short by 2 of 3",
        "delivery: 1, short by 2 of 3",
        "craft: 1, short by 3 of 4",
    ]
    assert candidates[3].match.unknown and candidates[3].match.fit is None
    assert (unknown.score, unknown.summary) == (
        "Unknown",
        "Unknown: not rated yet on any requirement, so not a match",
    )
    assert unknown.lines[0] == ("unknown", "communication: not rated yet (needs 3)")


def test_a_hiring_manager_in_the_applicants_chain_sees_a_hidden_application_only_once_revealed(
    rated: dict[str, Any],
) -> None:
    # The skip-level manager posts: the employee is two levels below them.
    gig = open_gig(rated["skip_level_manager"].person)
    hidden = application(gig, rated["employee"].person, "applied", hidden=True)
    application(gig, rated["coauthor"].person, "applied", hidden=True)  # not in their chain: shown
    names = _rank_names(candidates_get(viewer=rated["skip_level_manager"], opportunity=gig, framework=None))
    assert names == [rated["coauthor"].full_name]
    Application.objects.filter(pk=hidden.pk).update(stage=Stage.TALKING)
    names = _rank_names(candidates_get(viewer=rated["skip_level_manager"], opportunity=gig, framework=None))
    assert names == ["Emi Employee", rated["coauthor"].full_name]


def test_the_employee_sees_the_open_opportunities_best_match_first(rated: dict[str, Any]) -> None:
    hiring = rated["other_manager"].person
    easy = open_gig(hiring, title="Easy gig")
    easy.requirements.filter(competency_id="craft").update(minimum=1)
    hard = open_gig(hiring, title="Hard role", kind=Opportunity.Kind.ROLE, family_id="engineering",
                    track_id="ic", level_code="IC4")  # fmt: skip
    hard.requirements.update(minimum=5)
    open_gig(hiring, title="A draft", status=Opportunity.Status.DRAFT)
    cards = open_opportunities_get(viewer=rated["employee"], framework=None)
    assert [card.opportunity.title for card in cards] == ["Easy gig", "Hard role"]
    assert [
        card.opportunity.title
        for card in open_opportunities_get(viewer=rated["employee"], framework=None, kind="gig")
    ] == ["Easy gig"]
    assert [card.explanation.score for card in cards] == ["100% match", "0% match"]


def test_someone_without_ratings_is_unknown_for_every_opportunity(rated: dict[str, Any]) -> None:
    open_gig(rated["other_manager"].person)
    # The outsider's manager's view of themselves: the other manager has no ratings.
    cards = open_opportunities_get(viewer=rated["other_manager"], framework=None)
    assert [(card.match.unknown, card.explanation.score) for card in cards] == [(True, "Unknown")]
    assert isinstance(rated["newcomer"], Person)
