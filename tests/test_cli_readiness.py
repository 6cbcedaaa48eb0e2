"""The contract of `trellis readiness`: the files it reads (docs/readiness.md), what it prints, and
its refusals — every problem located by file, row and column, exit 2, nothing printed on stdout.

The framework is tests/evaluation/readiness.yaml; the figures are worked out in
tests/evaluation/test_readiness.py, whose first case alice is here.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from trellis.cli import EXIT_CLEAN, EXIT_USAGE, main

FRAMEWORK = Path(__file__).resolve().parent / "evaluation" / "readiness.yaml"

PEOPLE = """\
person,family,track,level,level date,endorsed,calibration confirmed
alice,engineering,ic,IC1,2025-01-01,yes,yes
bob,engineering,ic,IC2,2025-02-15,yes,
carol,engineering,ic,IC4,2024-01-01,,
"""
RATINGS = """\
person,cycle,cycle end date,source,competency,score
alice,2025-H1,2025-06-30,manager,communication,3
alice,2025-H1,2025-06-30,manager,delivery,3
alice,2025-H1,2025-06-30,manager,craft,3
alice,2025-H1,2025-06-30,self,craft,5
alice,2025-H2,2025-12-31,manager,communication,3.5
alice,2025-H2,2025-12-31,calibrated,communication,3
alice,2025-H2,2025-12-31,manager,delivery,3.5
alice,2025-H2,2025-12-31,manager,craft,3
bob,2025-H2,2025-12-31,manager,communication,3
bob,2025-H2,2025-12-31,manager,delivery,3.5
bob,2025-H2,2025-12-31,peer,craft,4
bob,2025-H2,2025-12-31,peer,craft,5
"""
EVIDENCE = """\
person,evidence
alice,Shipped a feature of two weeks or more.
"""

ALICE = [
    "alice: IC1 → IC2, ready: 8 of 8 criteria met",
    "  met      Average 3.17 — meets the minimum of 3",
    "  met      Lowest: Communication 3 — meets the floor of 2.5",
    "  met      Software craft 3 — meets the minimum of 3",
    "  met      2 cycles at IC2 (2 cycles asked)",
    "  met      1 year, 5 months at IC1 (1 year asked)",
    "  met      Evidenced: Shipped a feature of two weeks or more.",
    "  met      Endorsed by the manager",
    "  met      Confirmed in calibration",
]
BOB = [
    # Craft has only peer ratings, which never count: it is not rated.
    "bob: IC2 → IC3, not ready: 2 of 5 criteria met",
    "  not met  Average 3.25 of the rated competencies — the minimum is 3.5; Software craft not rated",
    "  not met  Software craft not rated — the floor is 3",
    "  not met  2 more quarters at IC3 needed",
    "  met      1 year, 4 months at IC2 (1 year asked)",
    "  met      Endorsed by the manager",
]
CAROL = ["carol: IC4 is the last level of Individual contributor: name a target level"]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder (the current directory) with framework.yaml and the three files."""
    shutil.copy(FRAMEWORK, tmp_path / "framework.yaml")
    (tmp_path / "people.csv").write_text(PEOPLE)
    (tmp_path / "ratings.csv").write_text(RATINGS)
    (tmp_path / "evidence.csv").write_text(EVIDENCE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, list[str], list[str]]:
    """Exit code, stdout lines and stderr lines of ``trellis readiness framework.yaml …``."""
    exit_code = main(["readiness", "framework.yaml", *arguments])
    captured = capsys.readouterr()
    return exit_code, captured.out.splitlines(), captured.err.splitlines()


BASE = ("--people", "people.csv", "--ratings", "ratings.csv", "--as-of", "2026-06-30")


def test_every_criterion_of_each_person_s_next_level(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, *BASE, "--evidence", "evidence.csv") == (EXIT_CLEAN, ALICE + BOB + CAROL, [])


def test_without_the_evidence_file_nothing_is_evidenced(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *BASE)
    assert (code, out[0], out[6], err) == (
        EXIT_CLEAN,
        "alice: IC1 → IC2, not ready: 7 of 8 criteria met",
        "  not met  Not yet evidenced: Shipped a feature of two weeks or more.",
        [],
    )


def test_a_target_on_another_track(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *BASE, "--target", "management/M1")
    assert (code, err) == (EXIT_CLEAN, [])
    assert out[:8] == [
        "alice: IC1 → M1 (Engineering management), not ready: 4 of 7 criteria met",
        "  not met  Communication 3 — M1 expects 4",
        "  met      Delivery 3.5 — meets the 3 M1 expects",
        "  not met  People development not rated — M1 expects 3",
        "  met      1 year, 5 months at IC1 (1 year asked)",
        "  not met  Not yet evidenced: Has mentored an engineer for two quarters.",
        "  met      Endorsed by the manager",
        "  met      Confirmed in calibration",
    ]


def test_json(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *BASE, "--format", "json")
    assert (code, err) == (EXIT_CLEAN, [])
    document = json.loads("\n".join(out))
    assert document["as_of"] == "2026-06-30"
    assert [(p["person"], p["row"], p.get("ready"), p.get("met")) for p in document["people"]] == [
        ("alice", 2, False, 7),
        ("bob", 3, False, 2),
        ("carol", 4, None, None),
    ]
    assert document["people"][1]["criteria"][2] == {
        "kind": "time_at_next_level",
        "subject": "",
        "met": False,
        "actual": 0,
        "required": 2,
        "shortfall": 2,
        "explanation": "2 more quarters at IC3 needed",
        "not_rated": [],
    }
    assert document["people"][1]["standing"] == {"communication": 3, "delivery": 3.5}
    assert (
        document["people"][2]["note"]
        == "IC4 is the last level of Individual contributor: name a target level"
    )


def test_an_xlsx_people_file_with_real_dates_and_truth_values(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import datetime

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Person", "Family", "Track", "Level", "Level since", "Manager endorsement", "Calibration"])
    sheet.append(["alice", "engineering", "ic", "IC1", datetime.date(2025, 1, 1), True, True])
    buffer = io.BytesIO()
    workbook.save(buffer)
    (folder / "people.xlsx").write_bytes(buffer.getvalue())
    arguments = ("--people", "people.xlsx", "--ratings", "ratings.csv", "--evidence", "evidence.csv")
    code, out, err = run(capsys, *arguments, "--as-of", "2026-06-30")
    # bob's ratings name someone the people file does not have.
    assert (code, out) == (EXIT_USAGE, [])
    assert err[0] == 'ratings.csv, row 10, column A ("person"): bob is not in the people file'
    (folder / "ratings.csv").write_text(
        "".join(line + "\n" for line in RATINGS.splitlines() if "bob" not in line)
    )
    assert run(capsys, *arguments, "--as-of", "2026-06-30") == (EXIT_CLEAN, ALICE, [])


def test_every_problem_of_every_file_is_located(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "people.csv").write_text(
        "person,family,track,level,level date,endorsed\n"
        "alice,engineering,ic,IC1,2025-13-01,maybe\n"
        "bob,sales,ic,IC1,2025-01-01,\n"
        "carol,engineering,ops,IC1,2025-01-01,\n"
        "dan,engineering,ic,IC9,2025-01-01,\n"
        "alice,engineering,ic,IC1,2025-01-01,\n"
        ",engineering,ic,IC1,\n"
        "erin,engineering,ic,IC2,2025-01-01\n"
    )
    (folder / "ratings.csv").write_text(
        "person,cycle,cycle end date,source,competency,score\n"
        "zed,c1,2025-01-01,manager,craft,3\n"
        "erin,c1,2025-01-01,boss,craft,3\n"
        "erin,c1,2025-01-01,manager,craft,9\n"
        "erin,c1,2025-01-02,manager,craft,3\n"
        "erin,c1,2025-01-01,manager,delivery,three\n"
        "erin,c1,2025-01-01,manager,delivery,3\n"
        "erin,c1,2025-01-01,manager,delivery,4\n"
        # alice's row has problems, but she is in the people file: not reported as a stranger.
        "alice,c1,2025-01-01,manager,delivery,4\n"
    )
    (folder / "evidence.csv").write_text(
        "person,evidence\nerin,Shipped something.\nzed,Shipped a feature of two weeks or more.\n"
    )
    code, out, err = run(
        capsys, "--people", "people.csv", "--ratings", "ratings.csv", "--evidence", "evidence.csv"
    )
    assert (code, out) == (EXIT_USAGE, [])
    assert err == [
        'people.csv, row 2, column E ("level date"): "2025-13-01" is not a date of the calendar',
        'people.csv, row 2, column F ("endorsed"): "maybe" is neither yes nor no (also accepted: true/false, active/inactive)',
        "people.csv, row 3, column B (\"family\"): no family 'sales' in the framework (it has engineering)",
        "people.csv, row 4, column C (\"track\"): Engineering has no track 'ops' (it has ic, management)",
        "people.csv, row 5, column D (\"level\"): Individual contributor has no level 'IC9' (it has IC1, IC2, IC3, IC4)",
        'people.csv, row 6, column A ("person"): alice is already on row 2',
        'people.csv, row 7, column A ("person"): empty: give the person',
        'people.csv, row 7, column E ("level date"): empty: write the date as YYYY-MM-DD',
        'ratings.csv, row 2, column A ("person"): zed is not in the people file',
        'ratings.csv, row 3, column D ("source"): "boss" is not a source: write self, manager, peer or calibrated',
        'ratings.csv, row 4, column F ("score"): 9 is outside the rating scale (1 to 5)',
        'ratings.csv, row 5, column C ("cycle end date"): cycle c1 ends 2025-01-01 on row 4, not 2025-01-02',
        'ratings.csv, row 6, column F ("score"): "three" is not a number: give the score on the rating scale',
        'ratings.csv, row 8, column D ("source"): a second manager score of delivery in c1 (the first is on row 7)',
        'evidence.csv, row 2, column B ("evidence"): no scope evidence or entry criterion of the person\'s family '
        "reads so: copy the item's text from the framework",
        'evidence.csv, row 3, column A ("person"): zed is not in the people file',
    ]


def test_a_header_it_does_not_know_is_refused(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "people.csv").write_text(
        "person,family,track,level,level date,endorsd\nalice,engineering,ic,IC1,2025-01-01,yes\n"
    )
    (folder / "ratings.csv").write_text("person,cycle,source,competency,score\n")
    code, out, err = run(capsys, "--people", "people.csv", "--ratings", "ratings.csv")
    assert (code, out) == (EXIT_USAGE, [])
    assert err == [
        'people.csv, row 1, column F: unknown column "endorsd" (the columns are: person, family, track, level, '
        "level date, endorsed, calibration confirmed)",
        'ratings.csv, row 1: no column "cycle end date"',
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ("--people", "people.csv", "--ratings", "ratings.csv", "--target", "M9"),
            "trellis readiness: --target M9: Engineering has no level 'M9' (for alice, people.csv row 2)",
        ),
        (
            ("--people", "nobody.csv", "--ratings", "ratings.csv"),
            "trellis readiness: --people nobody.csv: No such file or directory",
        ),
        (
            ("--people", "people.csv", "--ratings", "ratings.csv", "--as-of", "2026-02-30"),
            "trellis readiness: error: argument --as-of: '2026-02-30' is not a date: write it as YYYY-MM-DD",
        ),
    ],
)
def test_usage_errors_exit_2(
    folder: Path, capsys: pytest.CaptureFixture[str], arguments: tuple[str, ...], message: str
) -> None:
    code, out, err = run(capsys, *arguments)
    assert (code, out, err[-1]) == (EXIT_USAGE, [], message)


def test_an_empty_file_is_named(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "ratings.csv").write_text("")
    assert run(capsys, "--people", "people.csv", "--ratings", "ratings.csv") == (
        EXIT_USAGE,
        [],
        ["ratings.csv: the file is empty"],
    )
