"""What importing a spreadsheet of past cycles' ratings would do: the dry run. Pure Python.

The file is a ratings file as `trellis readiness` reads it (docs/readiness.md: person, cycle, cycle
end date, source, competency, score, and an optional rater), read and checked by the same routine
(`readiness_files.read_rating_rows`). What this module adds is the app's side: a person is named by
their e-mail address or employee ID; each rating must be one the app can store — a whole point of
the scale, of a competency of the level the person held when the cycle ended (their level before
their last change, if they changed since), by a rater the app knows (the subject for a self
rating, the person named in `rater` or else the person's manager for a manager rating, a named
colleague for a peer rating, nobody for a calibrated one); and a cycle the app has by that name
already is refused, so a file imported twice cannot double its ratings.

Every problem is located (file, row, column) and all are listed; the plan is applied only when
there are none (all or nothing, `trellis.web.reviews.rating_import_services`).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Set
from dataclasses import dataclass, field

from trellis import tabular
from trellis.evaluation.readiness import RatingSource
from trellis.evaluation.readiness_files import RatingRow, read_rating_rows
from trellis.framework import wording
from trellis.framework.model import Framework, Track
from trellis.organisation.import_reading import ReadingProblem

#: What reading one file may cost: the reader's defaults, as for the people import.
LIMITS = tabular.DEFAULT_LIMITS
#: The most ratings one file may hold (four cycles of self, manager and calibrated ratings of 12
#: competencies for 2,000 people); larger histories are imported a file per cycle.
MAX_RATINGS = 300_000


@dataclass(frozen=True, slots=True)
class KnownPerson:
    """A person of the app as the import sees them: where they are now and where they were before."""

    id: int
    full_name: str
    family_id: str
    track_id: str
    level_code: str
    level_since: datetime.date
    #: Their level code before `level_since` (on the same track), when the history has it.
    previous_level: str | None
    hired_on: datetime.date | None
    manager_id: int | None


@dataclass(frozen=True, slots=True)
class PlannedRating:
    row: int
    person_id: int
    cycle: str
    source: RatingSource
    competency: str
    score: int
    #: The author's person id; None for a calibrated rating.
    author_id: int | None


@dataclass(frozen=True, slots=True)
class PlannedCycle:
    name: str
    ends_on: datetime.date
    people: int
    ratings: int


@dataclass(slots=True)
class RatingImportPlan:
    cycles: list[PlannedCycle] = field(default_factory=list)
    ratings: list[PlannedRating] = field(default_factory=list)
    #: (cycle name, person id) → the level code the person is reviewed at in that cycle.
    levels: dict[tuple[str, int], str] = field(default_factory=dict)
    problems: list[ReadingProblem] = field(default_factory=list)

    @property
    def people(self) -> int:
        return len({person for _, person in self.levels})


def _level_then(person: KnownPerson, ended: datetime.date) -> str | None:
    if person.hired_on is not None and person.hired_on > ended:
        return None
    if person.level_since <= ended:
        return person.level_code
    return person.previous_level or person.level_code


def _author(rating: RatingRow, person: KnownPerson, people: Mapping[str, KnownPerson]) -> int | str | None:
    """The rating's author's person id (None for a calibrated rating), or why there is none."""
    rater = people.get(rating.rater.casefold()) if rating.rater else None
    if rating.rater and rater is None:
        return f"{rating.rater} is not a person of the company: name them by e-mail address or employee ID"
    if rating.source is RatingSource.CALIBRATED:
        return "a calibrated rating has no rater: leave the rater empty" if rater is not None else None
    if rating.source is RatingSource.SELF:
        if rater is not None and rater.id != person.id:
            return "a self rating's rater is the person rated: leave the rater empty"
        return person.id
    if rater is not None and rater.id == person.id:
        return f"nobody gives a {rating.source.value} rating of themselves"
    if rater is not None:
        return rater.id
    if rating.source is RatingSource.MANAGER and person.manager_id is not None:
        return person.manager_id
    if rating.source is RatingSource.MANAGER:
        return f"{person.full_name} has no manager: name the rater"
    return "a peer rating needs its rater: name them by e-mail address or employee ID"


def plan_rating_import(
    framework: Framework,
    data: bytes,
    file_name: str,
    people: Mapping[str, KnownPerson],
    existing_cycles: Set[str],
) -> RatingImportPlan:
    """The dry run of importing `data` (a CSV or XLSX file named `file_name`). `people` finds a
    person by their e-mail address or employee ID, case-folded; `existing_cycles` are the names of
    the app's cycles. Positional, so that it can run in a child process under the upload limits."""
    rows, problems = read_rating_rows(
        framework,
        data,
        file_name,
        knows=lambda key: key.casefold() in people,
        unknown_person="{} is not a person of the company: name them by e-mail address or employee ID",
        limits=LIMITS,
    )
    plan = RatingImportPlan(problems=list(problems))
    if len(rows) > MAX_RATINGS:
        plan.problems.insert(
            0,
            ReadingProblem(
                f"{file_name}: {wording.number(len(rows))} ratings; one file may hold "
                f"{wording.number(MAX_RATINGS)}: import it a cycle at a time"
            ),
        )
        return plan
    ends: dict[str, datetime.date] = {}
    refused_cycles: set[str] = set()
    counts: dict[str, int] = {}
    for rating in rows:
        person = people[rating.person.casefold()]
        if rating.cycle in existing_cycles:
            if rating.cycle not in refused_cycles:
                refused_cycles.add(rating.cycle)
                plan.problems.append(
                    rating.problem(
                        "cycle",
                        f"a cycle named {rating.cycle} exists already: importing it again would double its "
                        "ratings (rename the cycle in the file if it is another one)",
                    )
                )
            continue
        level = _level_then(person, rating.cycle_end)
        if level is None:
            plan.problems.append(
                rating.problem(
                    "cycle end date",
                    f"{person.full_name} joined on {person.hired_on}, after the cycle ended",
                )
            )
            continue
        track = _track(framework, person.family_id, person.track_id)
        expected = track.expectations.get(rating.competency, {}) if track is not None else {}
        if level not in expected:
            plan.problems.append(
                rating.problem(
                    "competency",
                    f"{rating.competency} is not a competency of {person.family_id} {level}, "
                    f"the level {person.full_name} held then",
                )
            )
            continue
        if rating.score != int(rating.score):
            plan.problems.append(
                rating.problem(
                    "score", f"{wording.number(rating.score)} is not a whole point of the rating scale"
                )
            )
            continue
        author = _author(rating, person, people)
        if isinstance(author, str):
            plan.problems.append(rating.problem("rater" if "rater" in rating.locations else "source", author))
            continue
        ends[rating.cycle] = rating.cycle_end
        plan.levels[(rating.cycle, person.id)] = level
        counts[rating.cycle] = counts.get(rating.cycle, 0) + 1
        plan.ratings.append(
            PlannedRating(
                row=rating.row,
                person_id=person.id,
                cycle=rating.cycle,
                source=rating.source,
                competency=rating.competency,
                score=int(rating.score),
                author_id=author,
            )
        )
    plan.problems.sort(key=_place)
    plan.cycles = [
        PlannedCycle(
            name=name,
            ends_on=ended,
            people=sum(1 for cycle, _ in plan.levels if cycle == name),
            ratings=counts[name],
        )
        for name, ended in sorted(ends.items(), key=lambda item: (item[1], item[0]))
    ]
    return plan


def _place(problem: ReadingProblem) -> tuple[int, int]:
    return (problem.location.row, problem.location.column) if problem.location is not None else (0, 0)


def _track(framework: Framework, family_id: str, track_id: str) -> Track | None:
    family = framework.family(family_id)
    if family is None:
        return None
    return next((track for track in family.tracks if track.id == track_id), None)
