"""Aggregated peer and upward feedback: the threshold, the means and the order of comments."""

from __future__ import annotations

from trellis.evaluation.feedback import (
    AggregatedFeedback,
    Answer,
    CompetencyFeedback,
    aggregate,
    meets_threshold,
    unlinkable_order,
)


def answers(*rows: tuple[int, str, int | None, str]) -> list[Answer]:
    return [Answer(author, competency, score, comment) for author, competency, score, comment in rows]


def test_below_the_threshold_there_is_nothing_at_all() -> None:
    two = answers((1, "delivery", 4, "Ships."), (2, "delivery", 2, "Late."))
    assert aggregate(two, competency_ids=["delivery"], minimum=3, salt="s") is None


def test_at_the_threshold_means_counts_and_comments_per_competency() -> None:
    given = answers(
        (1, "delivery", 4, "Ships on time."),
        (2, "delivery", None, "Plans well."),
        (3, "delivery", 3, "  "),
        (1, "communication", 5, "Clear."),
        (2, "communication", 2, "Terse."),
        (3, "communication", 2, "Writes little."),
        (3, "not_asked", 1, "Ignored."),
    )
    result = aggregate(given, competency_ids=["communication", "delivery", "ownership"], minimum=3, salt="s")
    assert result == AggregatedFeedback(
        authors=3,
        competencies=(
            CompetencyFeedback(
                "communication",
                3,
                3,
                3.0,
                unlinkable_order(["Clear.", "Terse.", "Writes little."], salt="s\x00communication"),
            ),
            # A missing rating is not a zero: (4 + 3) / 2; the blank comment is not shown.
            CompetencyFeedback(
                "delivery",
                3,
                2,
                3.5,
                unlinkable_order(["Ships on time.", "Plans well."], salt="s\x00delivery"),
            ),
            CompetencyFeedback("ownership", 0, 0, None, ()),
        ),
    )
    assert sorted(result.competencies[0].comments) == ["Clear.", "Terse.", "Writes little."]


def test_the_order_of_comments_ignores_who_wrote_them_and_when() -> None:
    forwards = answers((1, "c", None, "a"), (2, "c", None, "b"), (3, "c", None, "c"), (4, "c", None, "d"))
    backwards = [Answer(5 - a.author, a.competency_id, a.score, a.comment) for a in reversed(forwards)]
    first = aggregate(forwards, competency_ids=["c"], minimum=1, salt="cycle 1 person 7")
    second = aggregate(backwards, competency_ids=["c"], minimum=1, salt="cycle 1 person 7")
    assert first is not None and second is not None
    assert first.competencies[0].comments == second.competencies[0].comments
    assert sorted(first.competencies[0].comments) == ["a", "b", "c", "d"]


def test_another_salt_gives_another_fixed_order() -> None:
    comments = [f"comment {n}" for n in range(12)]
    orders = {unlinkable_order(comments, salt=f"competency {n}") for n in range(5)}
    assert len(orders) > 1
    assert unlinkable_order(comments, salt="x") == unlinkable_order(list(reversed(comments)), salt="x")


def test_the_threshold_counts_authors_and_is_never_below_one() -> None:
    assert meets_threshold(3, 3) and not meets_threshold(2, 3)
    assert not meets_threshold(0, 0)
    one_author_many_answers = answers((1, "a", 3, "x"), (1, "b", 3, "y"), (1, "c", 3, "z"))
    assert aggregate(one_author_many_answers, competency_ids=["a"], minimum=2, salt="s") is None
