"""The contract of `trellis agreement`: exact text and JSON output, groups, and located refusals
(exit 2, one line each, no traceback). Run in process through ``trellis.cli.main``."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import openpyxl
import pytest

from trellis.cli import EXIT_CLEAN, EXIT_USAGE, main
from trellis.evaluation.agreement import LevelOfMeasurement
from trellis.evaluation.agreement_reading import MAX_LISTED_PROBLEMS, read_long_ratings

from .evaluation.test_agreement import WORKED_ALPHAS, WORKED_EXAMPLE


def worked_example_csv(*, groups: bool) -> str:
    """The worked example in long format, units u1…u12 by observers A–D, a missing value as an
    empty cell; with groups, units 1–6 are "first half" and 7–12 "second half"."""
    lines = ["unit,rater,value,group" if groups else "unit,rater,value"]
    for unit in range(12):
        for row, rater in zip(WORKED_EXAMPLE, "ABCD", strict=True):
            value = "" if math.isnan(row[unit]) else str(int(row[unit]))
            group = f",{'first half' if unit < 6 else 'second half'}" if groups else ""
            lines.append(f"u{unit + 1},{rater},{value}{group}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "worked.csv").write_text(worked_example_csv(groups=False))
    (tmp_path / "grouped.csv").write_text(worked_example_csv(groups=True))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    exit_code = main(["agreement", *arguments])
    captured = capsys.readouterr()
    return exit_code, captured.out, captured.err


def test_text_output_of_the_worked_example(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "worked.csv") == (
        EXIT_CLEAN,
        "Krippendorff's alpha (ordinal): 0.815 (95% interval 0.402 to 1.000; 11 units, 40 values)\n",
        "",
    )
    for level, (_, published) in WORKED_ALPHAS.items():
        code, out, _ = run(capsys, "worked.csv", "--level-of-measurement", level.value, "--replicates", "0")
        assert (code, out) == (
            EXIT_CLEAN,
            f"Krippendorff's alpha ({level.value}): {published:.3f} (11 units, 40 values)\n",
        )


def test_groups_are_tabled_and_those_below_the_threshold_flagged(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "grouped.csv") == (
        EXIT_CLEAN,
        "Krippendorff's alpha (ordinal): 0.815 (95% interval 0.402 to 1.000; 11 units, 40 values)\n"
        "group        alpha     95% interval  units  values\n"
        "first half   0.550  -0.179 to 1.000      6      23  below 0.667\n"
        "second half  0.938   0.424 to 1.000      5      17\n"
        "1 group below 0.667: first half\n",
        "",
    )
    assert run(capsys, "grouped.csv", "--level-of-measurement", "nominal", "--replicates", "0") == (
        EXIT_CLEAN,
        "Krippendorff's alpha (nominal): 0.743 (11 units, 40 values)\n"
        "group        alpha  units  values\n"
        "first half   0.621      6      23  below 0.667\n"
        "second half  0.850      5      17\n"
        "1 group below 0.667: first half\n",
        "",
    )


def test_json_output(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "grouped.csv", "--format", "json", "--level-of-measurement", "interval", "--seed", "3"
    )
    assert (code, err) == (EXIT_CLEAN, "")
    document = json.loads(out)
    assert document["level_of_measurement"] == "interval"
    assert document["threshold"] == 0.667
    overall = document["overall"]
    assert overall["alpha"] == pytest.approx(951 / 1120, abs=1e-14)
    assert (overall["units"], overall["values"], overall["ratings"], overall["flagged"]) == (
        11,
        40,
        41,
        False,
    )
    interval = overall["confidence_interval"]
    assert (interval["confidence"], interval["replicates"], interval["seed"]) == (0.95, 1000, 3)
    assert interval["low"] < overall["alpha"] < interval["high"]
    assert [(group["group"], group["units"], group["flagged"]) for group in document["groups"]] == [
        ("first half", 6, True),
        ("second half", 5, False),
    ]
    # The same seed gives the same document.
    assert (
        run(capsys, "grouped.csv", "--format", "json", "--level-of-measurement", "interval", "--seed", "3")[1]
        == out
    )


def test_undefined_alpha_is_said_in_words(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "single.csv").write_text("unit,rater,value\na,A,1\nb,A,2\n")
    assert run(capsys, "single.csv") == (
        EXIT_CLEAN,
        "Krippendorff's alpha (ordinal): undefined (no unit has two or more values; 2 ratings)\n",
        "",
    )


def test_an_xlsx_workbook_with_columns_in_any_order(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Notes", "Value", "Rater", "UNIT"])
    for line in worked_example_csv(groups=False).splitlines()[1:]:
        unit, rater, value = line.split(",")
        sheet.append(["", float(value) if value else None, rater, unit])
    buffer = io.BytesIO()
    workbook.save(buffer)
    (folder / "worked.xlsx").write_bytes(buffer.getvalue())
    code, out, _ = run(capsys, "worked.xlsx", "--replicates", "0", "--level-of-measurement", "ratio")
    assert (code, out) == (EXIT_CLEAN, "Krippendorff's alpha (ratio): 0.797 (11 units, 40 values)\n")


def test_nominal_values_may_be_words(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # o(yes, yes) = o(no, no) = 2, o(yes, no) = o(no, yes) = 1; n = 6, n_yes = n_no = 3:
    # alpha = 1 - (6 - 1) · 2 / (2 · 3 · 3) = 4/9.
    (folder / "words.csv").write_text("unit,rater,value\na,A,yes\na,B,yes\nb,A,no\nb,B,no\nc,A,yes\nc,B,no\n")
    assert run(capsys, "words.csv", "--level-of-measurement", "nominal", "--replicates", "0")[:2] == (
        EXIT_CLEAN,
        "Krippendorff's alpha (nominal): 0.444 (3 units, 6 values), below 0.667\n",
    )
    ratings = read_long_ratings(
        (folder / "words.csv").read_bytes(), "words.csv", level=LevelOfMeasurement.NOMINAL
    )
    assert ratings.categories == ("yes", "no")


@pytest.mark.parametrize(
    ("content", "messages"),
    [
        (
            "unit,person,value\na,A,1\n",
            [
                'ratings.csv, row 1, column A: the header has no "rater" column: it must name unit, rater '
                "and value (and may name group)"
            ],
        ),
        (
            "unit,rater,value,unit\n",
            ['ratings.csv, row 1, column D: columns A and D are both headed "unit"; keep one'],
        ),
        ("unit,rater,value\n", ["ratings.csv: the file has a header row (row 1) but no ratings below it"]),
        (
            "unit,rater,value\na,A,1\na,B,three\n,C,2\nb,,2\na,A,2\n",
            [
                'ratings.csv, row 3, column C ("value"): "three" is not a number',
                'ratings.csv, row 4, column A ("unit"): the unit is empty: name what was rated',
                'ratings.csv, row 5, column B ("rater"): the rater is empty: name who rated',
                'ratings.csv, row 6, column B ("rater"): rater "A" already rated unit "a" at row 2: '
                "one rating per rater and unit",
            ],
        ),
        (
            "Unit,Rater,Value,Group\na,A,1,x\na,B,2,y\nb,A,1,\n",
            [
                'ratings.csv, row 3, column D ("Group"): unit "a" is in group "x" at row 2: '
                "a unit belongs to one group",
                'ratings.csv, row 4, column D ("Group"): the group is empty',
            ],
        ),
        (
            "unit,rater,value\na,A,inf\n",
            ['ratings.csv, row 2, column C ("value"): "inf" is not a number'],
        ),
    ],
)
def test_refusals_are_located_and_exit_2(
    folder: Path, capsys: pytest.CaptureFixture[str], content: str, messages: list[str]
) -> None:
    (folder / "ratings.csv").write_text(content)
    assert run(capsys, "ratings.csv") == (EXIT_USAGE, "", "".join(f"{message}\n" for message in messages))


def test_many_problems_are_listed_up_to_a_limit(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = "".join(f"u{number},A,x\n" for number in range(MAX_LISTED_PROBLEMS + 3))
    (folder / "ratings.csv").write_text("unit,rater,value\n" + rows)
    code, out, err = run(capsys, "ratings.csv")
    lines = err.splitlines()
    assert (code, out, len(lines)) == (EXIT_USAGE, "", MAX_LISTED_PROBLEMS + 1)
    assert lines[0] == 'ratings.csv, row 2, column C ("value"): "x" is not a number'
    assert lines[-1] == "and 3 more problems like these"


def test_files_that_are_not_spreadsheets_or_missing(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "image.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    assert run(capsys, "image.csv") == (
        EXIT_USAGE,
        "",
        "image.csv: not a CSV or XLSX file (it looks like a PNG image): export the spreadsheet as an "
        "Excel workbook (.xlsx) or as CSV UTF-8\n",
    )
    assert run(capsys, "absent.csv") == (EXIT_USAGE, "", "trellis agreement: absent.csv: no such file\n")
    code, _, err = run(capsys, "worked.csv", "--replicates", "many")
    assert code == EXIT_USAGE
    assert "'many' is not a count" in err
