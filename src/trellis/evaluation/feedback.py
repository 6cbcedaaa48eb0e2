"""Peer and upward feedback as its subject may see it: aggregated, above a threshold, unlinkable.

Pure: plain values in, plain values out. The web app hands over the submitted answers of one
subject in one cycle (one `Answer` per author and competency) and shows what comes back.

- Below the threshold (fewer authors than `minimum` submitted), there is nothing: not even the
  count, since "two peers answered" already narrows who they were.
- Above it, per competency: how many answered, how many gave a rating, the mean of the ratings
  given (a missing rating is not a zero), and the comments without their authors.
- The comments of a competency come in an order fixed by their text and a salt, never by author or
  time: reading the same page twice shows the same order, and the n-th comment of one competency
  says nothing about who wrote the n-th comment of another.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Answer:
    """One author's answer on one competency: a rating (None when not given) and a comment."""

    author: int
    competency_id: str
    score: int | None
    comment: str


@dataclass(frozen=True, slots=True)
class CompetencyFeedback:
    """What the answers on one competency come to, without their authors."""

    competency_id: str
    answers: int
    ratings: int
    #: The mean of the ratings given; None when nobody gave one.
    mean: float | None
    comments: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AggregatedFeedback:
    """Feedback above the threshold: how many authors answered, and each competency's summary in
    the order asked for."""

    authors: int
    competencies: tuple[CompetencyFeedback, ...]


def authors_of(answers: Iterable[Answer]) -> int:
    """How many different authors these answers come from."""
    return len({answer.author for answer in answers})


def meets_threshold(authors: int, minimum: int) -> bool:
    """Whether `authors` answers may be shown: at least `minimum` of them (and at least one)."""
    return authors >= max(minimum, 1)


def unlinkable_order(comments: Iterable[str], *, salt: str) -> tuple[str, ...]:
    """`comments` in an order that depends only on their text and `salt` (stable between reads),
    not on who wrote them or when. Each competency is ordered with its own salt, so positions do
    not line up across competencies."""

    def key(comment: str) -> tuple[str, str]:
        return hashlib.sha256(f"{salt}\x00{comment}".encode()).hexdigest(), comment

    return tuple(sorted(comments, key=key))


def aggregate(
    answers: Sequence[Answer], *, competency_ids: Sequence[str], minimum: int, salt: str
) -> AggregatedFeedback | None:
    """The answers aggregated per competency of `competency_ids` (in that order; answers on other
    competencies are left out), or None when fewer than `minimum` authors answered.

    Empty comments are not shown; a competency nobody answered has zero answers and no mean.
    `salt` makes the order of comments (see `unlinkable_order`); pass something of the subject and
    cycle, so that two subjects' pages do not share an order.
    """
    authors = authors_of(answers)
    if not meets_threshold(authors, minimum):
        return None
    by_competency: dict[str, list[Answer]] = {competency_id: [] for competency_id in competency_ids}
    for answer in answers:
        if answer.competency_id in by_competency:
            by_competency[answer.competency_id].append(answer)
    summaries = []
    for competency_id in competency_ids:
        mine = by_competency[competency_id]
        scores = [answer.score for answer in mine if answer.score is not None]
        comments = [answer.comment.strip() for answer in mine if answer.comment.strip()]
        summaries.append(
            CompetencyFeedback(
                competency_id=competency_id,
                answers=len({answer.author for answer in mine}),
                ratings=len(scores),
                mean=sum(scores) / len(scores) if scores else None,
                comments=unlinkable_order(comments, salt=f"{salt}\x00{competency_id}"),
            )
        )
    return AggregatedFeedback(authors=authors, competencies=tuple(summaries))
