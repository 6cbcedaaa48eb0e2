"""`trellis manage`, `trellis demo`, `trellis worker` and `trellis serve`, run as a person would,
each in a child process on its own scratch SQLite database."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .subprocesses import PRODUCTION_SECRET_KEY, child_environment, run_trellis

pytestmark = pytest.mark.slow

LOGINS = (
    "Demo logins (password: northwind; everyone else signs in as first.last@northwind.example):\n"
    "  hr@northwind.example           Head of People and HR admin\n"
    "  manager@northwind.example      engineering manager with reports, co-author of Engineering\n"
    "  employee@northwind.example     engineer on that manager's team\n"
    "  it@northwind.example           engineer on another team, IT admin\n"
    "  coauthor@northwind.example     senior product manager without reports, co-author of Product\n"
)
ALREADY_THERE = (
    "Northwind Labs was already here (50 people, framework version 1); 0 missing accounts added, "
    "nothing else changed\n"
)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir whose SQLite database is migrated and holds the 50-person demo."""
    data_dir = tmp_path_factory.mktemp("trellis-data")
    result = run_trellis(data_dir, "manage", "migrate", "--noinput", "-v", "0")
    assert result.returncode == 0, result.stderr
    result = run_trellis(data_dir, "demo", "--if-empty")
    assert result.returncode == 0, result.stderr
    # The number of ratings depends on today's date (who had joined by each past half year's end).
    assert re.fullmatch(
        r"Northwind Labs: 50 people in 9 teams, 11 managers, framework version 1, 50 accounts, "
        r"3 review cycles with \d+ ratings\n",
        result.stdout.removesuffix(LOGINS),
    )
    assert result.stdout.endswith(LOGINS)
    return data_dir


def test_demo_if_empty_on_the_demo_company_completes_it_and_changes_nothing(migrated: Path) -> None:
    result = run_trellis(migrated, "demo", "--if-empty")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ALREADY_THERE + LOGINS
    result = run_trellis(migrated, "demo")
    assert (result.returncode, result.stdout) == (0, ALREADY_THERE + LOGINS)


def test_demo_leaves_another_company_alone(tmp_path: Path) -> None:
    assert run_trellis(tmp_path, "manage", "migrate", "--noinput", "-v", "0").returncode == 0
    script = (
        "import datetime; from trellis.web.people.models import Person; "
        "Person.objects.create(employee_id='X1', email='x@example.com', full_name='Xi', family_id='f', "
        "track_id='t', level_code='L1', level_since=datetime.date(2024, 1, 1))"
    )
    assert run_trellis(tmp_path, "manage", "shell", "-c", script).returncode == 0
    result = run_trellis(tmp_path, "demo", "--if-empty")
    assert (result.returncode, result.stdout) == (
        0,
        "The database already holds people; the demo company was not loaded.\n",
    )
    result = run_trellis(tmp_path, "demo")
    assert result.returncode == 1
    assert result.stderr.startswith("trellis demo: the database already holds 1 people;")
    assert "Traceback" not in result.stderr


def test_demo_refuses_a_tiny_company(migrated: Path) -> None:
    result = run_trellis(migrated, "demo", "--employees", "3")
    assert (result.returncode, result.stderr) == (2, "trellis demo: --employees must be at least 10\n")


def test_manage_passes_arguments_to_django(migrated: Path) -> None:
    result = run_trellis(migrated, "manage", "showmigrations", "people")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "people\n [X] 0001_teams_people_and_history\n [X] 0002_import_jobs\n"
        " [X] 0003_person_level_overview_index\n [X] 0004_importjob_worker_heartbeat\n"
        " [X] 0005_importjob_reading_status_and_upload\n [X] 0006_employment_changes\n"
        " [X] 0007_importjob_date_format\n"
    )
    result = run_trellis(migrated, "manage", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    # Options right after `manage` are Django's too.
    result = run_trellis(migrated, "manage", "--help")
    assert result.returncode == 0, result.stderr
    assert "Type 'trellis manage help <subcommand>' for help on a specific subcommand." in result.stdout
    assert "db_worker" in result.stdout


def test_worker_runs_queued_tasks_and_exits_in_batch_mode(migrated: Path) -> None:
    result = run_trellis(migrated, "worker", "--batch")
    assert result.returncode == 0, result.stderr


def test_serve_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    result = run_trellis(tmp_path, "serve", "--port", "1", TRELLIS_SECRET_KEY=PRODUCTION_SECRET_KEY)
    assert result.returncode == 1
    assert "run `trellis manage migrate` first" in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_serve_runs_production_mode_with_several_workers(migrated: Path) -> None:
    port = _free_port()
    environment = child_environment(
        migrated, TRELLIS_SECRET_KEY=PRODUCTION_SECRET_KEY, TRELLIS_HTTPS="0", TRELLIS_DEBUG="1"
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "trellis.cli", "serve", "--workers", "2", "--port", str(port)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/accounts/login/", timeout=5
                ) as response:
                    body = response.read().decode()
                    headers = response.headers
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        assert "Sign in to Trellis" in body
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        # DEBUG is off whatever the environment said, so static files have hashed names...
        stylesheet = body.split('<link rel="stylesheet" href="')[1].split('"')[0]
        assert stylesheet.startswith("/static/trellis/app.") and stylesheet != "/static/trellis/app.css"
        # ...served by WhiteNoise with a far-future cache lifetime.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{stylesheet}", timeout=5) as response:
            assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable"
        # ...and an unknown page is a plain 404 page, not Django's debug page.
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/", timeout=5)
        assert missing.value.code == 404
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert f"Trellis serving on http://127.0.0.1:{port} with 2 workers" in output
    assert output.count("Booting worker") == 2
