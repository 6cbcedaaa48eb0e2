"""Golden-file tests of `trellis lint`: one folder per case under ``tests/cases/lint/``.

A case folder is named ``<CODE>-<name>`` (e.g. ``TRL201-trait-wording``) and holds:

- ``fail.yaml``: a small, otherwise reasonable framework that triggers CODE;
- ``fail.expected``: the exact standard output of ``trellis lint fail.yaml --quiet`` run from inside
  the folder, so the file names in it are just ``fail.yaml``;
- ``pass.yaml``: the same framework with the problem fixed; CODE must not appear in its output.

Adding a regression test is adding a folder: its name must start with a known code. The canonical
folder of each code is named exactly ``<CODE>-<rule name>``, and every code has one.

To write or refresh the ``.expected`` files after an intended change of wording or location::

    TRELLIS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/framework/test_lint_cases.py

then read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from trellis.cli import EXIT_FINDINGS, main
from trellis.framework.lint import ALL_CODES

CASES_ROOT = Path(__file__).resolve().parent.parent / "cases" / "lint"
UPDATE_GOLDEN = os.environ.get("TRELLIS_UPDATE_GOLDEN") == "1"

CASES = sorted(path for path in CASES_ROOT.iterdir() if path.is_dir())


def _code_of(case: Path) -> str:
    return case.name.split("-", 1)[0]


def _lint_in(
    case: Path, file: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    """Run ``trellis lint <file> --quiet`` from inside `case`; return the exit code and stdout."""
    monkeypatch.chdir(case)
    capsys.readouterr()  # drop anything printed before this run
    exit_code = main(["lint", file, "--quiet"])
    return exit_code, capsys.readouterr().out


def test_there_are_cases() -> None:
    assert len(CASES) >= len(ALL_CODES)


def test_every_code_has_its_canonical_case_folder() -> None:
    names = {case.name for case in CASES}
    missing = [
        f"{code}-{rule.name}" for code, rule in ALL_CODES.items() if f"{code}-{rule.name}" not in names
    ]
    assert missing == []


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_case_folder_is_complete(case: Path) -> None:
    assert _code_of(case) in ALL_CODES, f"{case.name} does not start with a known code"
    assert (case / "fail.yaml").is_file()
    assert (case / "pass.yaml").is_file()
    if not UPDATE_GOLDEN:
        assert (case / "fail.expected").is_file(), "run with TRELLIS_UPDATE_GOLDEN=1 to create it"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_fail_case_output_is_the_expected_text(
    case: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    exit_code, output = _lint_in(case, "fail.yaml", monkeypatch, capsys)
    expected_file = case / "fail.expected"
    if UPDATE_GOLDEN:
        expected_file.write_text(output, encoding="utf-8")
    assert output == expected_file.read_text(encoding="utf-8")
    code = _code_of(case)
    assert any(f": {code} " in line for line in output.splitlines()), f"{code} is not reported"
    assert exit_code == EXIT_FINDINGS


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_pass_case_does_not_report_the_code(
    case: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, output = _lint_in(case, "pass.yaml", monkeypatch, capsys)
    code = _code_of(case)
    assert [line for line in output.splitlines() if f": {code} " in line] == []
