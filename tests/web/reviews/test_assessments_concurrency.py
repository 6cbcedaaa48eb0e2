"""Two writers saving the same rating many times over real connections: `trellis serve` (gunicorn,
two worker processes, each with its own database connection) on a scratch database of the engine
under test — a SQLite file in WAL mode, or a scratch PostgreSQL database on the test server.

Every save either lands (its revision is the next one) or is refused with the conflict message
(409, naming who saved the newer value), and no accepted update is lost: the accepted revisions
are exactly 1, 2, …, the final revision, each accepted once, and what is stored is the value of the
last one accepted.
"""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.web.subprocesses import PRODUCTION_SECRET_KEY, child_environment
from tests.web.test_development_server import _free_port

# Marked as using the database so that CI's PostgreSQL pass (--database-tests-only) runs it too;
# the engine is the one the test database uses, the data its own scratch database.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]

SAVES_PER_WRITER = 30
CONFLICT = re.compile(r"Not saved: (Emi Employee) saved a newer value on ")
REVISION = re.compile(r'id="revision-communication" value="(\d+)"')

SEED = """
import json
import datetime
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
from trellis.framework.templates import starter
from trellis.framework.yaml_io import dumps
from trellis.web.accounts.models import User
from trellis.web.frameworks.services import framework_draft_save, framework_publish
from trellis.web.people.models import Person
from trellis.web.reviews.cycle_services import Selection, cycle_open
hr = User.objects.create_user("hr@example.com", "a long password 1", full_name="Hana HR", is_hr_admin=True)
framework_draft_save(actor=hr, yaml_text=dumps(starter(["engineering"], "growth")), expected_revision=None)
version = framework_publish(actor=hr)
emi = User.objects.create_user("emi@example.com", "a long password 1", full_name="Emi Employee")
Person.objects.create(employee_id="E1", email="emi@example.com", full_name="Emi Employee", family_id="engineering",
    track_id="ic", level_code="IC2", level_since=datetime.date(2024, 3, 1), user=emi)
opened = cycle_open(actor=hr, name="Concurrency", framework_version=version, starts_on=datetime.date(2026, 7, 1),
    ends_on=datetime.date(2026, 12, 31), selection=Selection(everyone=True))
sessions = []
for _ in range(2):
    client = Client()
    client.force_login(emi)
    sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
print(json.dumps({"participant": opened.cycle.participants.get().pk, "sessions": sessions}))
"""

STORED = """
import json
import django
django.setup()
from trellis.web.audit.models import AuditEvent
from trellis.web.reviews.models import Rating
rating = Rating.objects.get()
print(json.dumps({"revision": rating.revision, "comment": rating.comment, "score": rating.score,
    "saved": AuditEvent.objects.filter(action="rating.saved").count()}))
"""


def _python(environment: dict[str, str], code: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def scratch_environment(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A child's environment on a scratch database of the engine the tests run on."""
    variables = {"TRELLIS_HTTPS": "0", "TRELLIS_SECRET_KEY": PRODUCTION_SECRET_KEY, "PYTHONUNBUFFERED": "1"}
    if connection.vendor != "postgresql":
        yield child_environment(tmp_path, **variables)
        return
    import psycopg

    settings = connection.settings_dict
    name = f"cycles_concurrency_{uuid.uuid4().hex[:12]}"
    server = {
        "host": settings["HOST"] or "127.0.0.1",
        "port": settings["PORT"] or 5432,
        "user": settings["USER"],
        "password": settings["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = urllib.parse.quote(str(settings["PASSWORD"] or ""))
    credentials = f"{settings['USER']}:{password}" if password else str(settings["USER"])
    url = f"postgres://{credentials}@{server['host']}:{server['port']}/{name}"
    try:
        yield child_environment(tmp_path, DATABASE_URL=url, **variables)
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Writer:
    """One browser tab: its own session and connection, saving the communication rating."""

    def __init__(self, port: int, session: str, path: str, name: str) -> None:
        self.port, self.session, self.path, self.name = port, session, path, name
        self.revision = 0
        self.csrf = ""
        #: (status, revision after, comment sent) of every save.
        self.answers: list[tuple[int, int, str]] = []
        self.unexpected: list[str] = []

    def _request(self, method: str, path: str, body: str = "") -> tuple[int, str, list[str]]:
        link = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        cookies = f"trellis_session={self.session}" + (
            f"; trellis_csrftoken={self.csrf}" if self.csrf else ""
        )
        headers = {"Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"}
        if self.csrf:
            headers["X-CSRFToken"] = self.csrf
        try:
            link.request(method, path, body=body, headers=headers)
            response = link.getresponse()
            return response.status, response.read().decode(), response.headers.get_all("Set-Cookie") or []
        finally:
            link.close()

    def open_form(self) -> None:
        status, _, cookies = self._request("GET", self.path)
        assert status == 200
        self.csrf = next(
            c.split(";")[0].split("=", 1)[1] for c in cookies if c.startswith("trellis_csrftoken=")
        )

    def run(self, saves: int) -> None:
        for number in range(saves):
            comment = f"{self.name} save {number}"
            body = urllib.parse.urlencode(
                {
                    "communication-score": str(number % 5 + 1),
                    "communication-comment": comment,
                    "communication-evidence": "",
                    "communication-revision": str(self.revision),
                }
            )
            status, text, _ = self._request("POST", self.path + "communication/", body)
            found = REVISION.search(text)
            if status not in (200, 409) or found is None or (status == 409 and not CONFLICT.search(text)):
                self.unexpected.append(f"{status}: {text[:300]}")
                continue
            # Accepted or refused, the answer carries the revision stored now: the next save is based on it.
            self.revision = int(found.group(1))
            self.answers.append((status, self.revision, comment))


def test_two_writers_lose_no_accepted_update(scratch_environment: dict[str, str], tmp_path: Path) -> None:
    seeded = _python(scratch_environment, SEED)
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "trellis.cli",
            "serve",
            "--workers",
            "2",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=scratch_environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    path = f"/reviews/participants/{seeded['participant']}/self/"
    writers = [
        Writer(port, session, path, name) for session, name in zip(seeded["sessions"], "AB", strict=True)
    ]
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                for writer in writers:
                    writer.open_form()
                break
            except (ConnectionError, OSError):
                assert server.poll() is None, (tmp_path / "server.log").read_text()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.5)
        threads = [threading.Thread(target=writer.run, args=(SAVES_PER_WRITER,)) for writer in writers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

    assert [writer.unexpected for writer in writers] == [[], []]
    answers = [answer for writer in writers for answer in writer.answers]
    assert len(answers) == 2 * SAVES_PER_WRITER
    accepted = sorted((revision, comment) for status, revision, comment in answers if status == 200)
    refused = [answer for answer in answers if answer[0] == 409]
    stored = _python(scratch_environment, STORED)
    # Every accepted save made the next revision, once: none was overwritten unseen.
    assert [revision for revision, _ in accepted] == list(range(1, stored["revision"] + 1))
    assert stored["comment"] == accepted[-1][1]
    assert stored["saved"] == len(accepted)
    assert len(accepted) + len(refused) == 2 * SAVES_PER_WRITER
    print(
        f"\nconcurrency ({connection.vendor}): {len(accepted)} saves accepted, {len(refused)} refused "
        f"with the conflict message, final revision {stored['revision']}"
    )
