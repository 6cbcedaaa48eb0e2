"""Readiness inputs from files: people, ratings and (optionally) evidence, as CSV or XLSX, read
through the one spreadsheet reader (:func:`trellis.tabular.open_spreadsheet`). Pure Python.

The formats are documented in ``docs/readiness.md``. Each file's first non-blank row is its header;
header names are matched without regard to case, spaces or punctuation, and a column the format
does not know is refused (a misspelt "endorsed" would otherwise read as "not endorsed" for everyone).
Every problem is reported with its place — file, row and column — and all of them at once
(:class:`InputProblems`, up to :data:`MAX_PROBLEMS`), so nothing is evaluated from a file half
understood.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from trellis import tabular
from trellis.evaluation.readiness import (
    CycleResults,
    PersonInputs,
    Placement,
    RatingSource,
    evidence_key,
    result_scores,
)
from trellis.framework import wording
from trellis.framework.model import Framework
from trellis.organisation.import_reading import ReadingProblem, normalise_header
from trellis.organisation.import_values import InvalidValue, parse_active, parse_date
from trellis.tabular import CellLocation, cell_text

__all__ = [
    "LIMITS",
    "MAX_PROBLEMS",
    "InputProblems",
    "PersonRow",
    "RatingRow",
    "read_inputs",
    "read_rating_rows",
]

#: What reading one of these files may cost: a company of 100,000 people with 12 competencies,
#: self, manager, peer and calibrated ratings over several cycles is a few million rows.
LIMITS = dataclasses.replace(
    tabular.DEFAULT_LIMITS, file_bytes=512 * tabular.limits.MIB, rows=10_000_000, cells=60_000_000
)
#: How many problems are listed before "and N more".
MAX_PROBLEMS = 50

PEOPLE_COLUMNS = ("person", "family", "track", "level", "level date", "endorsed", "calibration confirmed")
PEOPLE_REQUIRED = PEOPLE_COLUMNS[:5]
RATINGS_COLUMNS = ("person", "cycle", "cycle end date", "source", "competency", "score")
#: Who gave the rating (an e-mail address or employee ID): read by the app's import of past ratings.
RATINGS_OPTIONAL = ("rater",)
EVIDENCE_COLUMNS = ("person", "evidence")
#: Other header names people write for the same column.
ALIASES = {
    "level since": "level date",
    "manager endorsement": "endorsed",
    "calibration": "calibration confirmed",
    "cycle end": "cycle end date",
    "cycle date": "cycle end date",
    "rater role": "source",
    "cycle name": "cycle",
    "item": "evidence",
}


class InputProblems(Exception):
    """The files cannot be evaluated; `problems` says where and why, each located."""

    def __init__(self, problems: Sequence[ReadingProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.messages))

    @property
    def messages(self) -> list[str]:
        shown = [str(problem) for problem in self.problems[:MAX_PROBLEMS]]
        if len(self.problems) > MAX_PROBLEMS:
            shown.append(f"and {wording.count(len(self.problems) - MAX_PROBLEMS, 'more problem')}")
        return shown


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One person of the people file, where they are (`row`) and their inputs."""

    person: str
    row: int
    inputs: PersonInputs


@dataclass(slots=True)
class _Cells:
    """One row below the header: its values by column name, and where each column is."""

    row: tabular.Row
    columns: Mapping[str, int]
    headers: Mapping[str, str]

    def location(self, name: str) -> CellLocation:
        return self.row.location(self.columns[name])

    def text(self, name: str) -> str:
        column = self.columns.get(name)
        cell = self.row.get(column) if column is not None else None
        return cell_text(cell.value).strip() if cell is not None else ""

    def value(self, name: str) -> tabular.CellValue | None:
        column = self.columns.get(name)
        cell = self.row.get(column) if column is not None else None
        return cell.value if cell is not None else None

    def problem(self, name: str, message: str) -> ReadingProblem:
        return ReadingProblem(message, self.location(name), self.headers[name])


class _Report:
    """The problems of every file, each file's in the order of its rows and columns."""

    def __init__(self) -> None:
        self.files: list[list[ReadingProblem]] = []
        #: The files whose rows could not be read at all (the file or its header is wrong).
        self.unread: set[str] = set()

    def start(self) -> None:
        self.files.append([])

    def add(self, problem: ReadingProblem) -> None:
        self.files[-1].append(problem)

    @property
    def problems(self) -> list[ReadingProblem]:
        def place(problem: ReadingProblem) -> tuple[int, int]:
            return (problem.location.row, problem.location.column) if problem.location else (0, 0)

        return [problem for file in self.files for problem in sorted(file, key=place)]


@dataclass(frozen=True, slots=True)
class _Known:
    """The people of the people file: those evaluated (`rows`), every name it has, and whether it
    could be read at all (if not, no other file's person is called a stranger)."""

    rows: Mapping[str, PersonRow]
    named: Mapping[str, int]
    unread: bool

    def knows(self, person: str) -> bool:
        return self.unread or person in self.named


def _rows(
    data: bytes,
    file_name: str,
    known: Sequence[str],
    required: Sequence[str],
    report: _Report,
    limits: tabular.Limits = LIMITS,
) -> Iterator[_Cells]:
    """The rows below the header of the file's first sheet; problems with the file or its header
    go to `report` (and no rows are given: the file is then in `report.unread`)."""
    report.start()
    report.unread.add(file_name)
    try:
        with tabular.open_spreadsheet(data, file_name, limits=limits) as spreadsheet:
            rows = spreadsheet.rows()
            header = tabular.find_header_row(rows)
            if header is None:
                report.add(ReadingProblem(f"{file_name}: no header row in the first rows"))
                return
            columns: dict[str, int] = {}
            headers: dict[str, str] = {}
            header_ok = True
            for location, cell in header.located():
                written = cell_text(cell.value).strip()
                name = normalise_header(written)
                name = ALIASES.get(name, name)
                if name not in known:
                    report.add(
                        ReadingProblem(
                            f'unknown column "{written}" (the columns are: {", ".join(known)})', location
                        )
                    )
                    header_ok = False
                elif name in columns:
                    report.add(ReadingProblem(f'a second "{name}" column', location))
                    header_ok = False
                else:
                    columns[name] = cell.column
                    headers[name] = written
            missing = [name for name in required if name not in columns]
            if missing:
                names = ", ".join(f'"{name}"' for name in missing)
                report.add(ReadingProblem(f"{file_name}, row {header.number}: no column {names}"))
                header_ok = False
            if not header_ok:
                return
            report.unread.discard(file_name)
            for row in rows:
                if row.cells:
                    yield _Cells(row, columns, headers)
    except tabular.TabularError as error:
        report.unread.add(file_name)
        message = f"{error.reason}: {error.hint}" if error.hint else error.reason
        report.add(ReadingProblem(message if error.location else f"{file_name}: {message}", error.location))


def _required_text(cells: _Cells, name: str, report: _Report) -> str | None:
    text = cells.text(name)
    if not text:
        report.add(cells.problem(name, f"empty: give the {name}"))
        return None
    return text


def _date(cells: _Cells, name: str, report: _Report) -> datetime.date | None:
    value = cells.value(name)
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cells.text(name)
    if not text:
        report.add(cells.problem(name, "empty: write the date as YYYY-MM-DD"))
        return None
    try:
        return parse_date(text)
    except InvalidValue as invalid:
        report.add(cells.problem(name, str(invalid)))
        return None


def _flag(cells: _Cells, name: str, report: _Report) -> bool:
    """A yes/no column; blank is no."""
    value = cells.value(name)
    if isinstance(value, bool):
        return value
    text = cells.text(name)
    try:
        return parse_active(text) if text else False
    except InvalidValue as invalid:
        report.add(cells.problem(name, str(invalid)))
        return False


def _people(
    framework: Framework, data: bytes, file_name: str, report: _Report
) -> tuple[list[PersonRow], dict[str, int]]:
    """The people who can be evaluated, and the row of every person the file names (with a
    problem or not: their ratings are not reported as strangers')."""
    people: list[PersonRow] = []
    seen: dict[str, int] = {}
    for cells in _rows(data, file_name, PEOPLE_COLUMNS, PEOPLE_REQUIRED, report):
        person = _required_text(cells, "person", report)
        family_id = _required_text(cells, "family", report)
        track_id = _required_text(cells, "track", report)
        level = _required_text(cells, "level", report)
        since = _date(cells, "level date", report)
        endorsed = _flag(cells, "endorsed", report)
        confirmed = _flag(cells, "calibration confirmed", report)
        if person is not None and person in seen:
            report.add(cells.problem("person", f"{person} is already on row {seen[person]}"))
            continue
        if person is not None:
            seen[person] = cells.row.number
        family = framework.family(family_id) if family_id is not None else None
        if family_id is not None and family is None:
            known = ", ".join(f.id for f in framework.families)
            report.add(cells.problem("family", f"no family {family_id!r} in the framework (it has {known})"))
        track = family.track(track_id) if family is not None and track_id is not None else None
        if family is not None and track_id is not None and track is None:
            known = ", ".join(t.id for t in family.tracks)
            report.add(cells.problem("track", f"{family.name} has no track {track_id!r} (it has {known})"))
        if track is not None and level is not None and track.level(level) is None:
            known = ", ".join(lv.code for lv in track.levels)
            report.add(cells.problem("level", f"{track.name} has no level {level!r} (it has {known})"))
        if None in (person, family_id, track_id, level, since):
            continue
        assert person is not None and family_id and track_id and level and since is not None
        placement = Placement(family_id, track_id, level, since)
        inputs = PersonInputs(placement=placement, endorsed=endorsed, calibration_confirmed=confirmed)
        people.append(PersonRow(person, cells.row.number, inputs))
    return people, seen


def _score(cells: _Cells, framework: Framework, report: _Report) -> float | None:
    value = cells.value("score")
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        text = cells.text("score")
        try:
            number = float(text)
        except ValueError:
            shown = f'"{text}" is not a number' if text else "empty"
            report.add(cells.problem("score", f"{shown}: give the score on the rating scale"))
            return None
    lowest, highest = framework.scale.minimum, framework.scale.maximum
    if not lowest <= number <= highest:
        report.add(
            cells.problem(
                "score", f"{wording.number(number)} is outside the rating scale ({lowest} to {highest})"
            )
        )
        return None
    return number


@dataclass(frozen=True, slots=True)
class RatingRow:
    """One rating of a ratings file, as read and checked; `row` is its row number in the file and
    `rater` the optional rater column's text (blank when the file has none)."""

    row: int
    person: str
    cycle: str
    cycle_end: datetime.date
    source: RatingSource
    competency: str
    score: float
    rater: str
    locations: Mapping[str, CellLocation]
    headers: Mapping[str, str]

    def problem(self, name: str, message: str) -> ReadingProblem:
        """A problem with this row's cell of column `name`, located."""
        return ReadingProblem(message, self.locations[name], self.headers.get(name, name))


def _rating_rows(
    framework: Framework,
    data: bytes,
    file_name: str,
    report: _Report,
    *,
    knows: Callable[[str], bool],
    unknown_person: str,
    limits: tabular.Limits = LIMITS,
) -> list[RatingRow]:
    """Every rating of the file that reads well; the others' problems go to `report` (a person
    `knows` refuses is reported as `unknown_person`, formatted with the text). The checks every
    ratings file shares: each column's value, one end date per cycle, and at most one self,
    manager and calibrated score per person, cycle and competency (peers may be several)."""
    sources = [source.value for source in RatingSource]
    ends: dict[str, tuple[datetime.date, int]] = {}
    single: dict[tuple[str, str, str, str], int] = {}
    read: list[RatingRow] = []
    for cells in _rows(
        data, file_name, (*RATINGS_COLUMNS, *RATINGS_OPTIONAL), RATINGS_COLUMNS, report, limits
    ):
        person = _required_text(cells, "person", report)
        cycle = _required_text(cells, "cycle", report)
        ended = _date(cells, "cycle end date", report)
        source = cells.text("source").casefold()
        competency = _required_text(cells, "competency", report)
        score = _score(cells, framework, report)
        if source not in sources:
            shown = f'"{cells.text("source")}" is not a source' if source else "empty"
            report.add(cells.problem("source", f"{shown}: write {', '.join(sources[:-1])} or {sources[-1]}"))
            continue
        if person is not None and not knows(person):
            report.add(cells.problem("person", unknown_person.format(person)))
            continue
        if cycle is not None and ended is not None:
            first = ends.setdefault(cycle, (ended, cells.row.number))
            if first[0] != ended:
                report.add(
                    cells.problem(
                        "cycle end date",
                        f"cycle {cycle} ends {first[0].isoformat()} on row {first[1]}, not {ended}",
                    )
                )
                continue
        if None in (person, cycle, ended, competency, score):
            continue
        assert person is not None and cycle is not None and ended is not None
        assert competency is not None and score is not None
        if source != RatingSource.PEER:
            key = (person, cycle, source, competency)
            if key in single:
                report.add(
                    cells.problem(
                        "source",
                        f"a second {source} score of {competency} in {cycle} (the first is on row {single[key]})",
                    )
                )
                continue
            single[key] = cells.row.number
        read.append(
            RatingRow(
                row=cells.row.number,
                person=person,
                cycle=cycle,
                cycle_end=ended,
                source=RatingSource(source),
                competency=competency,
                score=score,
                rater=cells.text("rater"),
                locations={name: cells.location(name) for name in cells.columns},
                headers=dict(cells.headers),
            )
        )
    return read


def read_rating_rows(
    framework: Framework,
    data: bytes,
    file_name: str,
    *,
    knows: Callable[[str], bool],
    unknown_person: str = "{} is not known",
    limits: tabular.Limits = LIMITS,
) -> tuple[list[RatingRow], list[ReadingProblem]]:
    """A ratings file (the format of docs/readiness.md, with an optional `rater` column) read and
    checked as every ratings file is: the rows that read well, and every other row's problems, in
    the order of the file. What the rows mean to the caller (who a person is, whether a cycle may be
    imported) is the caller's to check."""
    report = _Report()
    rows = _rating_rows(
        framework, data, file_name, report, knows=knows, unknown_person=unknown_person, limits=limits
    )
    return rows, report.problems


def _ratings(
    framework: Framework, data: bytes, file_name: str, people: _Known, report: _Report
) -> dict[str, list[CycleResults]]:
    ratings: dict[tuple[str, str], list[tuple[str, str, float]]] = {}
    ends: dict[str, datetime.date] = {}
    for rating in _rating_rows(
        framework, data, file_name, report, knows=people.knows, unknown_person="{} is not in the people file"
    ):
        ends[rating.cycle] = rating.cycle_end
        ratings.setdefault((rating.person, rating.cycle), []).append(
            (rating.competency, rating.source.value, rating.score)
        )
    history: dict[str, list[CycleResults]] = {}
    for (person, cycle), rows in ratings.items():
        history.setdefault(person, []).append(CycleResults(cycle, ends[cycle], result_scores(rows)))
    return history


def _items(framework: Framework, family_id: str) -> set[str]:
    """Every item a person of the family can evidence: scope evidence and crossover entry criteria."""
    family = framework.family(family_id)
    if family is None:
        return set()
    items = {evidence_key(item) for criteria in family.promotions for item in criteria.scope_evidence}
    items |= {
        evidence_key(item)
        for track in family.tracks
        if track.crossover is not None
        for item in track.crossover.entry_criteria
    }
    return items


def _evidence(
    framework: Framework, data: bytes, file_name: str, people: _Known, report: _Report
) -> dict[str, set[str]]:
    evidenced: dict[str, set[str]] = {}
    for cells in _rows(data, file_name, EVIDENCE_COLUMNS, EVIDENCE_COLUMNS, report):
        person = _required_text(cells, "person", report)
        item = _required_text(cells, "evidence", report)
        if person is None or item is None:
            continue
        if not people.knows(person):
            report.add(cells.problem("person", f"{person} is not in the people file"))
            continue
        found = people.rows.get(person)
        if found is not None and evidence_key(item) not in _items(framework, found.inputs.placement.family):
            report.add(
                cells.problem(
                    "evidence",
                    "no scope evidence or entry criterion of the person's family reads so: "
                    "copy the item's text from the framework",
                )
            )
            continue
        evidenced.setdefault(person, set()).add(item)
    return evidenced


def read_inputs(
    framework: Framework,
    *,
    people: tuple[bytes, str],
    ratings: tuple[bytes, str],
    evidence: tuple[bytes, str] | None = None,
) -> list[PersonRow]:
    """Every person of the people file with their cycles' results and evidence, in file order.
    Each file is given as (its bytes, the name its problems are reported under). Raises
    InputProblems listing every problem of every file."""
    report = _Report()
    rows, named = _people(framework, *people, report)
    known = _Known({row.person: row for row in rows}, named, people[1] in report.unread)
    history = _ratings(framework, *ratings, known, report)
    evidenced = _evidence(framework, *evidence, known, report) if evidence is not None else {}
    if report.problems:
        raise InputProblems(report.problems)
    return [
        dataclasses.replace(
            row,
            inputs=dataclasses.replace(
                row.inputs,
                cycles=tuple(history.get(row.person, ())),
                evidenced=frozenset(evidenced.get(row.person, ())),
            ),
        )
        for row in rows
    ]
