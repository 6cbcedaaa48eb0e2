"""Peer feedback aggregation (`trellis.evaluation.feedback.aggregate`): the time to aggregate one
subject's answers (8 peers × 12 competencies, a typical 360), and a whole company's — 10,000
subjects, each with 5 peers answering 12 competencies (600,000 answers) — one subject at a time,
as the pages ask for it. Pure Python; figures printed, never asserted."""

from __future__ import annotations

import random
import statistics
import time

from bench.figures import emit
from trellis.evaluation.feedback import Answer, aggregate

COMPETENCIES = [f"competency_{n}" for n in range(12)]


def _answers(subject: int, peers: int, rng: random.Random) -> list[Answer]:
    return [
        Answer(
            author=subject * 100 + peer,
            competency_id=competency,
            score=rng.choice([None, 1, 2, 3, 4, 5]),
            comment=f"Peer {peer} on {competency}: a sentence or two of what they saw.",
        )
        for peer in range(peers)
        for competency in COMPETENCIES
    ]


def main(repeats: int = 5) -> None:
    print("peer feedback aggregation (pure Python):")
    rng = random.Random(7)
    one = _answers(1, 8, rng)
    times = []
    for _ in range(max(repeats, 1) * 20):
        started = time.perf_counter()
        aggregate(one, competency_ids=COMPETENCIES, minimum=3, salt="1:1:peer")
        times.append(time.perf_counter() - started)
    emit(
        "feedback_aggregate_one_subject",
        statistics.median(times) * 1000,
        "ms",
        "one subject, 8 peers × 12 competencies",
    )
    company = [_answers(subject, 5, rng) for subject in range(10_000)]
    started = time.perf_counter()
    for subject, answers in enumerate(company):
        aggregate(answers, competency_ids=COMPETENCIES, minimum=3, salt=f"1:{subject}:peer")
    emit(
        "feedback_aggregate_company",
        time.perf_counter() - started,
        "s",
        "10,000 subjects × 5 peers × 12 competencies",
    )


if __name__ == "__main__":
    main()
