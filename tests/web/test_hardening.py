"""Hardening found by probing the running app (issue 7, items 5 and 6), each probe reproduced:
request bodies over the limit (413 before anything reads them), the data dir and the SQLite files
owner-only, ``Cache-Control: private, no-store`` on pages with a person's data or a draft, notices
that do not echo what the person typed or uploaded, and read-only pages that refuse POST.

Every refusal also asserts that nothing stored changed (the authorization walk's snapshot)."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from trellis.tabular import DEFAULT_LIMITS
from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkDraft, FrameworkVersion
from trellis.web.middleware import PRIVATE_NO_STORE
from trellis.web.people.import_services import import_job_create
from trellis.web.people.models import ImportJob, Person

from .conftest import HttpsClient
from .frameworks.test_exports import render_queued
from .subprocesses import PRODUCTION_SECRET_KEY, child_environment, run_python
from .test_authorization_walk import database_snapshot

MIB = 1024 * 1024
PEOPLE_CSV = (
    b"Employee ID,E-mail,Full name,Job family,Level\r\nE100,new@example.com,New Person,engineering,IC1\r\n"
)

# --- the request-body limit -----------------------------------------------------------------------


def test_the_limits_come_from_one_place() -> None:
    assert settings.REQUEST_BODY_MAX_BYTES == 4 * MIB
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.REQUEST_BODY_MAX_BYTES
    # An upload may carry the largest file the spreadsheet reader accepts, and the form around it.
    assert (
        DEFAULT_LIMITS.file_bytes + settings.REQUEST_BODY_MAX_BYTES == settings.UPLOAD_REQUEST_BODY_MAX_BYTES
    )
    assert settings.MIDDLEWARE[0] == "trellis.web.middleware.RequestBodyLimit"


@pytest.mark.django_db
def test_an_anonymous_400_mb_post_to_the_sign_in_page_is_refused_unread() -> None:
    """The probe: 400 MB declared, a few bytes sent. The test client's payload raises if read past
    what it holds, so a 413 here means nothing read the body; no session or CSRF cookie is set."""
    before = database_snapshot()
    response = HttpsClient().generic(
        "POST",
        "/accounts/login/",
        b"username=a&password=b",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(400 * MIB),
    )
    assert response.status_code == 413
    assert "<h1>The request is too large</h1>" in response.content.decode()
    assert "up to 24 MB" in response.content.decode()
    assert dict(response.cookies) == {}
    assert database_snapshot() == before


@pytest.mark.django_db
def test_a_body_over_the_limit_of_a_page_without_uploads_is_refused(
    login: Any, hr_admin: User, published_framework: FrameworkVersion
) -> None:
    """A real 4 MB + 1 byte body (not a form: it would pass Django's form-field limit) to the YAML
    editor, which takes no file: 413, and the draft is unchanged."""
    client = login(hr_admin)
    before = database_snapshot()
    body = b"x" * (settings.REQUEST_BODY_MAX_BYTES + 1)
    response = client.post("/framework/authoring/yaml/", body, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "up to 4 MB" in response.content.decode()
    assert database_snapshot() == before


@pytest.mark.django_db
def test_an_upload_page_takes_a_file_over_the_general_limit(login: Any, hr_admin: User) -> None:
    """5 MB to the people import (over 4 MB, under the upload limit) reaches the view, which
    answers for the file (here: not a valid export); over the upload limit it is 413 and no
    import is made."""
    client = login(hr_admin)
    large = PEOPLE_CSV + b"E101,x@example.com," + b"y" * (5 * MIB) + b",engineering,IC1\r\n"
    answered = client.post("/people/import/", {"file": SimpleUploadedFile("people.csv", large)})
    assert answered.status_code != 413
    before = database_snapshot()
    refused = client.generic(
        "POST",
        "/people/import/",
        b"--x--",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.UPLOAD_REQUEST_BODY_MAX_BYTES + 1),
    )
    assert refused.status_code == 413
    assert database_snapshot() == before


@pytest.mark.django_db
def test_a_body_without_a_length_is_refused() -> None:
    before = database_snapshot()
    response = HttpsClient().generic("POST", "/accounts/login/", HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 411
    assert "<h1>Send the request with its length</h1>" in response.content.decode()
    assert database_snapshot() == before


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def _gunicorn(data_dir: Path) -> Iterator[int]:
    """The app under gunicorn, as `trellis serve` runs it, on a free port; stopped afterwards."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "trellis.web.wsgi:application", "--bind", f"127.0.0.1:{port}"],
        env=child_environment(data_dir, TRELLIS_SECRET_KEY=PRODUCTION_SECRET_KEY, TRELLIS_HTTPS="0"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_real_server_refuses_a_400_mb_post_without_reading_it(tmp_path: Path) -> None:
    with _gunicorn(tmp_path) as port, socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(
            b"POST /accounts/login/ HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {400 * MIB}\r\n\r\n".encode()
            + b"username=a&password=b"
        )
        received = b""
        while chunk := connection.recv(65536):  # gunicorn closes the connection after a 413
            received += chunk
        answer = received.decode("latin-1")
    assert answer.startswith("HTTP/1.1 413 ")
    assert "The request is too large" in answer


# --- file modes -----------------------------------------------------------------------------------


def test_the_data_dir_and_the_sqlite_files_are_the_owners_only(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    code = (
        "import os, stat, django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('CREATE TABLE probe (value TEXT)')\n"
        "    cursor.execute(\"INSERT INTO probe VALUES ('x')\")\n"
        "    names = ['', '/secret_key', '/trellis.sqlite3', '/trellis.sqlite3-wal', '/trellis.sqlite3-shm']\n"
        "    print(' '.join(oct(stat.S_IMODE(os.stat(str(settings.DATA_DIR) + n).st_mode)) for n in names))\n"
    )
    result = run_python(data_dir, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0o700", "0o600", "0o600", "0o600", "0o600"]


# --- Cache-Control --------------------------------------------------------------------------------


@pytest.fixture
def hr(
    login: Any, hr_admin: User, personas: dict[str, User], published_framework: FrameworkVersion
) -> Client:
    return login(hr_admin)  # type: ignore[no-any-return]


@pytest.mark.django_db
def test_pages_with_a_persons_data_or_a_draft_are_never_stored(hr: Client, personas: dict[str, User]) -> None:
    job = import_job_create(actor=personas["hr_admin"], file_name="people.csv", data=PEOPLE_CSV)
    employee = personas["employee"].person
    pages = [
        "/",
        "/people/",
        f"/people/{employee.pk}/",
        "/people/import/",
        f"/people/import/{job.pk}/columns/",
        "/people/import/template.csv",
        "/framework/authoring/",
        "/framework/authoring/yaml/",
        reverse("authoring:family", kwargs={"family_id": "engineering"}),
        "/framework/authoring/draft/export/yaml/",  # the "being prepared" page
        "/admin/audit/",
        "/accounts/admin/",
        "/accounts/admin/users/",
        "/framework/",  # published, but the rule is simple: every signed-in page
    ]
    answers = {
        page: (response.status_code, response["Cache-Control"])
        for page in pages
        for response in [hr.get(page)]
    }
    assert answers == {page: (200, PRIVATE_NO_STORE) for page in pages}


@pytest.mark.django_db
def test_a_drafts_export_is_never_stored_and_a_versions_keeps_its_cache(hr: Client) -> None:
    hr.get("/framework/authoring/draft/export/yaml/")
    hr.get("/framework/authoring/versions/1/export/yaml/")
    render_queued()
    draft = hr.get("/framework/authoring/draft/export/yaml/")
    assert (draft.status_code, draft["Cache-Control"]) == (200, PRIVATE_NO_STORE)
    assert draft["Content-Disposition"].startswith("attachment; ")
    version = hr.get("/framework/authoring/versions/1/export/yaml/")
    assert (version.status_code, version["Cache-Control"]) == (200, "private, max-age=86400, immutable")
    assert version["ETag"]


@pytest.mark.django_db
def test_the_sign_in_page_keeps_its_own_header() -> None:
    response = HttpsClient().get("/accounts/login/")
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


# --- notices --------------------------------------------------------------------------------------

HOSTILE_NAME = "<img src=x onerror=alert(1)> payroll of Jane Doe"


def _notices(response: Any) -> list[str]:
    return [message.message for message in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_notices_do_not_echo_an_uploaded_files_name(hr: Client, personas: dict[str, User]) -> None:
    job = import_job_create(actor=personas["hr_admin"], file_name=f"{HOSTILE_NAME}.csv", data=PEOPLE_CSV)
    discarded = hr.post(f"/people/import/{job.pk}/discard/")
    assert discarded.status_code == 302
    assert _notices(discarded) == ["The import was discarded; nothing was imported."]
    hr.get("/people/import/")  # shows the notice, and so consumes it

    framework_yaml = FrameworkDraft.objects.get().yaml_text.encode()
    imported = hr.post(
        "/framework/authoring/import/",
        {
            "operation": "yaml",
            "yaml-revision": str(FrameworkDraft.objects.get().revision),
            "yaml-file": SimpleUploadedFile(f"{HOSTILE_NAME}.yaml", framework_yaml),
        },
    )
    assert imported.status_code == 302
    assert _notices(imported) == ["Imported the file: it replaced the draft."]
    # The page after the redirect shows the notice, never the name.
    assert "payroll of Jane Doe" not in hr.get("/framework/authoring/").content.decode()


# --- read-only pages refuse writes ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_post_to_a_profile_is_refused_and_changes_nothing(hr: Client, personas: dict[str, User]) -> None:
    """The probe answered 200; the authorization walk checks every read-only URL the same way."""
    employee = personas["employee"].person
    before = database_snapshot()
    response = hr.post(f"/people/{employee.pk}/", {"full_name": "Someone Else", "level_code": "IC7"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert database_snapshot() == before
    assert Person.objects.get(pk=employee.pk).full_name == employee.full_name
    assert ImportJob.objects.count() == 0
