"""CI's PostgreSQL pass runs only the tests that touch the database (tests/conftest.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _collected(*arguments: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-p", "no:xdist", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return {line for line in result.stdout.splitlines() if "::" in line}


def test_database_tests_only_keeps_exactly_the_tests_that_reach_the_database() -> None:
    files = ("tests/web/test_policy.py", "tests/web/test_settings.py", "tests/framework/test_schema.py")
    everything = _collected(*files)
    kept = _collected("--database-tests-only", *files)
    # Policy tests ask for personas (fixtures built on `db`); of the settings tests only the three
    # marked django_db reach the database (the others check settings in a child process on SQLite);
    # the schema tests never do.
    assert {test for test in kept if test.startswith("tests/web/test_settings.py")} == {
        "tests/web/test_settings.py::test_pages_carry_a_strict_content_security_policy",
        "tests/web/test_settings.py::test_security_headers",
        "tests/web/test_settings.py::test_plain_http_is_redirected_to_https",
    }
    assert not any(test.startswith("tests/framework/") for test in kept)
    assert any(test.startswith("tests/framework/") for test in everything)
    assert len([test for test in kept if test.startswith("tests/web/test_policy.py")]) >= 60
    assert kept < everything
