"""`make run`'s development server as a newcomer meets it: a refused request logs one line (no
traceback, not twice), and a missing page is the styled 404 page, not Django's debug page."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from .subprocesses import child_environment

STYLED_404 = "<h1>There is no such page</h1>"
DEBUG_PAGE = "You’re seeing this error because you have <code>DEBUG = True</code>"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _status(request: urllib.request.Request) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _announce_a_large_body(port: int) -> tuple[int, str]:
    """A POST whose Content-Length is over the limit, its body never sent: the server refuses it
    from the header (sending 5 MB to a server that stops reading would end in a reset instead)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("POST", "/accounts/login/")
        connection.putheader("Content-Type", "application/octet-stream")
        connection.putheader("Content-Length", str(5 * 1024 * 1024))
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


@pytest.mark.slow
def test_the_development_server_logs_one_line_per_refused_request(tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "server.log"
    sink = log.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "trellis.cli", "manage", "runserver", f"127.0.0.1:{port}", "--noreload"],
        # Unbuffered, so that every line is written before the server is stopped.
        env=child_environment(tmp_path, TRELLIS_DEBUG="1", PYTHONUNBUFFERED="1"),
        stdout=sink,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answers = [_status(urllib.request.Request(f"{base}/no-such-page/"))]
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "the development server did not start"
                time.sleep(0.3)
        # A POST without the CSRF cookie (403) and a body over the limit (413).
        answers.append(_status(urllib.request.Request(f"{base}/accounts/login/", data=b"a=1", method="POST")))
        answers.append(_announce_a_large_body(port))
        # The server writes a request's line after answering it: wait for the three lines.
        deadline = time.monotonic() + 30
        while log.read_text().count('HTTP/1.1" 4') < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=30)
        sink.close()
    output = log.read_text()
    assert [status for status, _ in answers] == [404, 403, 413]
    assert STYLED_404 in answers[0][1] and DEBUG_PAGE not in answers[0][1]
    assert "Traceback" not in output, output
    request_lines = [
        line for line in output.splitlines() if "/no-such-page/" in line or "/accounts/login/" in line
    ]
    assert [line.split("] ", 1)[1] for line in request_lines] == [
        '"GET /no-such-page/ HTTP/1.1" 404 ' + request_lines[0].rsplit(" ", 1)[1],
        '"POST /accounts/login/ HTTP/1.1" 403 ' + request_lines[1].rsplit(" ", 1)[1],
        '"POST /accounts/login/ HTTP/1.1" 413 ' + request_lines[2].rsplit(" ", 1)[1],
    ]


@override_settings(DEBUG=True)
def test_an_unknown_address_in_development_is_the_styled_404_page(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert STYLED_404 in html and DEBUG_PAGE not in html
    assert "404.html" in [template.name for template in response.templates]


@override_settings(DEBUG=True)
def test_a_view_that_finds_nothing_in_development_is_the_styled_404_page(login: Any, hr_admin: Any) -> None:
    response = login(hr_admin).get("/people/999999/")
    assert response.status_code == 404
    assert STYLED_404 in response.content.decode()


@override_settings(DEBUG=True)
def test_an_address_without_its_slash_is_still_redirected_in_development(login: Any, hr_admin: Any) -> None:
    response = login(hr_admin).get("/people")
    assert (response.status_code, response["Location"]) == (301, "/people/")
