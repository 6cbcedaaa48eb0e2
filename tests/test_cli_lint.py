"""The contract of `trellis lint`: output formats, filters and exit codes.

Run in process through ``trellis.cli.main`` (fast, output captured), plus one run of the installed
entry point to prove the real command is wired to the same code.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from trellis.cli import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, main

CASES = Path(__file__).resolve().parent / "cases" / "lint"
# A framework with no finding at all, one with two TRL201 warnings on one behaviour, and one with
# a TRL204 error: copies of golden cases, so they stay realistic without a second set of fixtures.
CLEAN = CASES / "TRL204-proficiency-decreases" / "pass.yaml"
WARNINGS = CASES / "TRL203-no-progression" / "fail.yaml"
ERROR = CASES / "TRL204-proficiency-decreases" / "fail.yaml"

WARNING_LINES = [
    'warnings.yaml:85:22: TRL203 warning: behaviour of "ownership" at IC2 is 95% the same as at IC1 '
    "(say what changes at IC2: wider scope, more autonomy or harder problems)",
    'warnings.yaml:117:22: TRL203 warning: behaviour of "delivery" at IC4 is the same as at IC3 '
    "(say what changes at IC4: wider scope, more autonomy or harder problems)",
]
ERROR_LINE = (
    'error.yaml:129:24: TRL204 error: expected proficiency of "system_design" drops from 4 at IC3 to 3 at IC4 '
    "(a higher level expects at least the proficiency of the level below)"
)


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder holding clean.yaml, warnings.yaml and error.yaml; the current directory."""
    shutil.copy(CLEAN, tmp_path / "clean.yaml")
    shutil.copy(WARNINGS, tmp_path / "warnings.yaml")
    shutil.copy(ERROR, tmp_path / "error.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, list[str], str]:
    """Exit code, stdout lines and stderr of ``trellis <arguments>``."""
    exit_code = main(list(arguments))
    captured = capsys.readouterr()
    return exit_code, captured.out.splitlines(), captured.err


def test_clean_file_exits_0_with_a_summary(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "lint", "clean.yaml") == (EXIT_CLEAN, [], "1 file checked: 0 errors, 0 warnings\n")


def test_findings_exit_1_and_print_one_line_each(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "lint", "warnings.yaml") == (
        EXIT_FINDINGS,
        WARNING_LINES,
        "1 file checked: 0 errors, 2 warnings\n",
    )


def test_the_summary_counts_each_kind_in_the_one_wording(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every count is worded by `trellis.framework.wording.count`: "1 error", "2 warnings"."""
    exit_code, lines, error = run(capsys, "lint", "clean.yaml", "warnings.yaml", "error.yaml")
    assert (exit_code, lines) == (EXIT_FINDINGS, [*WARNING_LINES, ERROR_LINE])
    assert error == "3 files checked: 1 error, 2 warnings\n"


def test_quiet_leaves_out_the_summary(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "lint", "--quiet", "warnings.yaml") == (EXIT_FINDINGS, WARNING_LINES, "")


def test_fail_on_error_ignores_warnings_for_the_exit_code(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exit_code, lines, _ = run(capsys, "lint", "--fail-on", "error", "warnings.yaml")
    assert (exit_code, lines) == (EXIT_CLEAN, WARNING_LINES)


def test_fail_on_error_still_fails_on_an_error(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exit_code, lines, _ = run(capsys, "lint", "--fail-on", "error", "error.yaml")
    assert (exit_code, lines) == (EXIT_FINDINGS, [ERROR_LINE])


def test_fail_on_info_fails_on_a_warning(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "lint", "--fail-on", "info", "warnings.yaml")[0] == EXIT_FINDINGS


def test_json_format(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exit_code = main(["lint", "--format", "json", "clean.yaml", "error.yaml"])
    captured = capsys.readouterr()
    assert exit_code == EXIT_FINDINGS
    assert captured.err == ""  # no summary line mixed into machine output
    assert json.loads(captured.out) == {
        "files": ["clean.yaml", "error.yaml"],
        "diagnostics": [
            {
                "code": "TRL204",
                "severity": "error",
                "message": 'expected proficiency of "system_design" drops from 4 at IC3 to 3 at IC4',
                "hint": "a higher level expects at least the proficiency of the level below",
                "path": "families[0].tracks[0].expectations.system_design.IC4.proficiency",
                "file": "error.yaml",
                "line": 129,
                "column": 24,
            }
        ],
    }


def test_json_format_of_a_clean_file(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exit_code = main(["lint", "--format", "json", "clean.yaml"])
    assert (exit_code, json.loads(capsys.readouterr().out)) == (
        EXIT_CLEAN,
        {"files": ["clean.yaml"], "diagnostics": []},
    )


def test_folder_argument_checks_every_yaml_file_in_it(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nested = files / "frameworks" / "nested"
    nested.mkdir(parents=True)
    shutil.copy(files / "error.yaml", nested / "error.yml")
    shutil.copy(files / "clean.yaml", files / "frameworks" / "clean.yaml")
    (files / "frameworks" / "notes.txt").write_text("not a framework", encoding="utf-8")
    exit_code, lines, error = run(capsys, "lint", "frameworks")
    assert exit_code == EXIT_FINDINGS
    assert lines == [ERROR_LINE.replace("error.yaml", "frameworks/nested/error.yml")]
    assert error == "2 files checked: 1 error, 0 warnings\n"


def test_select_keeps_only_the_named_codes(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exit_code, lines, _ = run(capsys, "lint", "--quiet", "--select", "TRL204", "warnings.yaml", "error.yaml")
    assert (exit_code, lines) == (EXIT_FINDINGS, [ERROR_LINE])


def test_select_accepts_prefixes(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exit_code, lines, _ = run(
        capsys, "lint", "--quiet", "--select", "TRL1, TRL203", "warnings.yaml", "error.yaml"
    )
    assert (exit_code, lines) == (EXIT_FINDINGS, WARNING_LINES)


def test_ignore_drops_codes_and_the_exit_code_follows(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "lint", "--quiet", "--ignore", "TRL203", "warnings.yaml") == (EXIT_CLEAN, [], "")
    exit_code, lines, _ = run(capsys, "lint", "--quiet", "--ignore", "TRL2", "warnings.yaml", "error.yaml")
    assert (exit_code, lines) == (EXIT_CLEAN, [])


def test_a_file_that_does_not_load_is_reported_with_its_location(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (files / "broken.yaml").write_text("name: Acme\nfamilies: [\n", encoding="utf-8")
    exit_code, lines, _ = run(capsys, "lint", "--quiet", "broken.yaml")
    assert exit_code == EXIT_FINDINGS
    assert [line.split(": ", 2)[:2] for line in lines] == [["broken.yaml:3:1", "TRL002 error"]]


def test_missing_file_is_a_usage_error(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "lint", "nope.yaml") == (
        EXIT_USAGE,
        [],
        "trellis lint: nope.yaml: no such file or directory\n",
    )


@pytest.mark.parametrize(
    "arguments",
    [
        ["lint"],
        ["lint", "--format", "xml", "clean.yaml"],
        ["lint", "--fail-on", "never", "clean.yaml"],
        ["lint", "--no-such-option", "clean.yaml"],
    ],
)
def test_bad_options_are_usage_errors(
    arguments: list[str], files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exit_code, lines, error = run(capsys, *arguments)
    assert (exit_code, lines) == (EXIT_USAGE, [])
    # argparse reports an unknown option from the top-level parser, a bad value from the subcommand.
    assert error.startswith("usage: trellis")
    assert "error: " in error


def test_installed_entry_point(files: Path) -> None:
    trellis = Path(sys.executable).parent / "trellis"
    result = subprocess.run(
        [str(trellis), "lint", "--quiet", "warnings.yaml", "clean.yaml"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=files,
        check=False,
        timeout=60,
    )
    assert (result.returncode, result.stdout.splitlines(), result.stderr) == (
        EXIT_FINDINGS,
        WARNING_LINES,
        "",
    )
