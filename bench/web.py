"""`make bench`, the web app: server time, queries per page and requests/second.

For SQLite and for PostgreSQL (``postgres://postgres@127.0.0.1:5432/``, where this script creates and
then drops a database of its own, ``trellis_bench_10000``), on a 10,000-employee demo company loaded
by ``trellis demo --employees 10000`` into a throwaway data directory:

1. In process, with Django's test client (no network): the median and p95 time of the employee's
   home, their level's page and their track's competency matrix over `IN_PROCESS_REQUESTS` requests
   each, and the number of database queries each page makes. The query counts are printed for the
   50-person demo too: they must not grow with the company.
2. Under load: `trellis serve` (gunicorn, 2 workers, 127.0.0.1, DEBUG off) driven by `wrk` with a
   signed-in session cookie, for each page and for the floor page (`trellis.web.benchmark_views`:
   one query and a 50-row table, mounted by ``TRELLIS_BENCHMARK_PAGES=1``) in the same run. Each
   page's requests/second is printed with its ratio to the floor's.

Targets (reported, never asserted): p95 under 50 ms for each page on either engine; each page at
least half the floor's requests/second. Every figure is printed as a readable line and as
``bench: <name> <value> <unit>``. Servers and databases are removed whatever happens.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.figures import emit, p95, run_python_for_json

REPOSITORY = Path(__file__).resolve().parents[1]
LARGE_COMPANY = 10_000
SMALL_COMPANY = 50
IN_PROCESS_REQUESTS = 200
WARM_UP_REQUESTS = 10
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "trellis_bench"
SERVER_WORKERS = 2
#: Each page is loaded in `LOAD_ROUNDS` rounds of `LOAD_SECONDS` seconds, the pages taking turns, so
#: that a change in what else the machine does affects the floor and the pages alike.
LOAD_ROUNDS = 2
LOAD_SECONDS = 3
LOAD_CONNECTIONS = 4
P95_TARGET_MS = 50.0
FLOOR_RATIO_TARGET = 0.5
DEMO_EMPLOYEE = "employee@northwind.example"
DEMO_PASSWORD = "northwind"
#: Pages measured, in order; the floor is only measured under load.
PAGES = ("home", "level", "matrix")


# --- the database of one run --------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """A throwaway installation: its data dir (secret key, static files, SQLite) and database."""

    engine: str
    data_dir: Path
    database_url: str  # empty for SQLite in the data dir

    def environment(self, **variables: str) -> dict[str, str]:
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TRELLIS_", "DJANGO_")) and key != "DATABASE_URL"
        }
        environment.update(
            TRELLIS_DATA_DIR=str(self.data_dir),
            TRELLIS_DEBUG="0",
            # Plain http://127.0.0.1 (no redirect to HTTPS), as behind a TLS-terminating proxy.
            TRELLIS_HTTPS="0",
            TRELLIS_BENCHMARK_PAGES="1",
            DJANGO_SETTINGS_MODULE="trellis.web.settings",
            PYTHONPATH=os.pathsep.join(filter(None, [str(REPOSITORY), os.environ.get("PYTHONPATH", "")])),
        )
        if self.database_url:
            environment["DATABASE_URL"] = self.database_url
        environment.update(variables)
        return environment

    def trellis(self, *arguments: str, timeout: float = 600) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "trellis.cli", *arguments],
            env=self.environment(),
            cwd=REPOSITORY,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"trellis {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout


def _postgres_admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=5) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


def postgres_available() -> str | None:
    """None when the server answers, else why not."""
    try:
        _postgres_admin("SELECT 1")
    except Exception as error:  # any failure to connect means: skip PostgreSQL, say why
        return str(error).strip().splitlines()[0]
    return None


@contextlib.contextmanager
def site(engine: str, employees: int) -> Iterator[Site]:
    """A migrated database holding the demo company of `employees` people, removed afterwards."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"trellis-bench-{engine}-"))
    database_url = ""
    if engine == "postgresql":
        database = f"{POSTGRES_DATABASE}_{employees}"
        _postgres_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        _postgres_admin(f'CREATE DATABASE "{database}"')
        database_url = f"{POSTGRES_SERVER}/{database}"
    prepared = Site(engine=engine, data_dir=data_dir, database_url=database_url)
    try:
        prepared.trellis("manage", "migrate", "--noinput")
        started = time.perf_counter()
        prepared.trellis("demo", "--employees", str(employees))
        loaded = time.perf_counter() - started
        if employees == LARGE_COMPANY:
            emit(f"web.{engine}.demo_{employees}.load", loaded, "s", f"trellis demo --employees {employees}")
        prepared.trellis("manage", "collectstatic", "--noinput", "--verbosity", "0")
        yield prepared
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if engine == "postgresql":
            with contextlib.suppress(Exception):
                _postgres_admin(f'DROP DATABASE IF EXISTS "{POSTGRES_DATABASE}_{employees}" WITH (FORCE)')


# --- in process: server time and queries ------------------------------------------------------


def persona_paths(person: Any) -> dict[str, str]:
    """The pages of `PAGES` for `person`: their home, their level's page and their track's matrix."""
    from django.urls import reverse

    place = {"family_id": person.family_id, "track_id": person.track_id}
    return {
        "home": reverse("home"),
        "level": reverse("frameworks:level", kwargs={**place, "level_code": person.level_code}),
        "matrix": reverse("frameworks:matrix", kwargs=place),
    }


def signed_in_client(email: str) -> tuple[Any, Any]:
    """A test client signed in as the account of `email`, and that account's person."""
    from django.test import Client

    from trellis.web.accounts.models import User

    user = User.objects.select_related("person").get(email=email)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client, user.person


def page_figures(client: Any, path: str, requests: int) -> dict[str, Any]:
    """`path` requested by `client` after `WARM_UP_REQUESTS`: the queries of one request, and the
    median and p95 of `requests` more, in milliseconds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP_REQUESTS):
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    query_count = len(queries)  # now: the next request clears the connection's query log
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - started)
    return {
        "path": path,
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": p95(times) * 1000,
        "queries": query_count,
    }


def measure_in_process(requests: int) -> None:
    """Run in a child process set up by `in_process`: print one JSON line of figures per page."""
    import django

    django.setup()
    client, person = signed_in_client(DEMO_EMPLOYEE)
    figures = {page: page_figures(client, path, requests) for page, path in persona_paths(person).items()}
    print(json.dumps(figures))


def in_process(prepared: Site, requests: int) -> dict[str, dict[str, float]]:
    figures: dict[str, Any] = run_python_for_json(
        f"from bench.web import measure_in_process; measure_in_process({requests})",
        environment=prepared.environment(),
        cwd=REPOSITORY,
        what="in-process measurement",
    )
    return figures


# --- under load: trellis serve and wrk ------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def served(prepared: Site) -> Iterator[str]:
    """`trellis serve` on a free port of 127.0.0.1; its whole process group is stopped afterwards."""
    port = _free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "trellis.cli",
                "serve",
                "--workers",
                str(SERVER_WORKERS),
                "--port",
                str(port),
            ],
            env=prepared.environment(),
            cwd=REPOSITORY,
            stdout=subprocess.DEVNULL,  # the access log: one line per request
            stderr=log,
            # Its own process group, so that the master and its workers are stopped together.
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_serving(process, base, log)
            yield base
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)


def _wait_until_serving(process: subprocess.Popen[bytes], base: str, log: Any) -> None:
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"trellis serve exited {process.returncode}:\n{log.read().decode()[-3000:]}")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=2).close()
            return
        if time.monotonic() > deadline:
            raise RuntimeError("trellis serve did not answer within 60 s")
        time.sleep(0.2)


def sign_in(base: str) -> str:
    """Sign in through the login form; return the ``Cookie`` header value of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/accounts/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    if token is None:
        raise RuntimeError("the login page has no CSRF token")
    data = urllib.parse.urlencode(
        {"username": DEMO_EMPLOYEE, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/"})
    opener.open(request, timeout=30).close()
    session = [f"{cookie.name}={cookie.value}" for cookie in jar if cookie.name.endswith("session")]
    if not session:
        raise RuntimeError("signing in did not set a session cookie")
    return "; ".join(session)


def check_reachable(base: str, path: str, cookie: str) -> None:
    """The session reaches `path` itself (not the login page, not an error)."""
    request = urllib.request.Request(f"{base}{path}", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        if response.status != 200 or urllib.parse.urlparse(response.url).path != path:
            raise RuntimeError(f"{path} answered {response.status} at {response.url}")


def requests_per_second(base: str, path: str, cookie: str) -> float:
    """What wrk measures against `path` for `LOAD_SECONDS` seconds."""
    result = subprocess.run(
        [
            "wrk",
            "-t",
            "1",
            "-c",
            str(LOAD_CONNECTIONS),
            "-d",
            f"{LOAD_SECONDS}s",
            "-H",
            f"Cookie: {cookie}",
            f"{base}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=LOAD_SECONDS + 60,
        check=True,
    )
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if errors:
        raise RuntimeError(f"{path}: {errors.group(1)} answers were not 2xx/3xx under load")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    if rate is None:
        raise RuntimeError(f"wrk printed no rate:\n{result.stdout}")
    return float(rate.group(1))


# --- the report ------------------------------------------------------------------------------


def _report_in_process(engine: str, employees: int, figures: dict[str, dict[str, float]]) -> None:
    scope = f"web.{engine}" if employees == LARGE_COMPANY else f"web.{engine}.demo_{employees}"
    print("  pages: " + ", ".join(f"{page} {figures[page]['path']}" for page in PAGES))
    for page in PAGES:
        page_figures = figures[page]
        if employees == LARGE_COMPANY:
            emit(f"{scope}.{page}.median", page_figures["median_ms"], "ms", f"{page} median")
            emit(f"{scope}.{page}.p95", page_figures["p95_ms"], "ms", f"{page} p95")
        emit(f"{scope}.{page}.queries", page_figures["queries"], "queries", f"{page} queries per request")


def run_engine(engine: str, results: dict[str, dict[str, dict[str, float]]], load: bool) -> None:
    print(f"{engine}, {LARGE_COMPANY:,} employees (in process, {IN_PROCESS_REQUESTS} requests per page):")
    with site(engine, LARGE_COMPANY) as prepared:
        figures = in_process(prepared, IN_PROCESS_REQUESTS)
        results[f"{engine}.large"] = figures
        _report_in_process(engine, LARGE_COMPANY, figures)
        if not load:
            return
        print(f"{engine}, {LARGE_COMPANY:,} employees, under load (trellis serve, {SERVER_WORKERS} workers; "
              f"wrk, {LOAD_CONNECTIONS} connections, {LOAD_ROUNDS} rounds of {LOAD_SECONDS} s per page):")  # fmt: skip
        with served(prepared) as base:
            cookie = sign_in(base)
            paths = {"floor": "/benchmark/floor/", **{page: figures[page]["path"] for page in PAGES}}
            for path in paths.values():
                check_reachable(base, path, cookie)
            samples: dict[str, list[float]] = {page: [] for page in paths}
            for _ in range(LOAD_ROUNDS):
                for page, path in paths.items():
                    samples[page].append(requests_per_second(base, path, cookie))
            rates = {page: statistics.mean(values) for page, values in samples.items()}
        emit(f"web.{engine}.floor.rps", rates["floor"], "req/s", "floor page (1 query, 50 rows)")
        for page in PAGES:
            emit(f"web.{engine}.{page}.rps", rates[page], "req/s", f"{page}")
            emit(f"web.{engine}.{page}.floor_ratio", rates[page] / rates["floor"], "×", f"{page} / floor")
        results[f"{engine}.load"] = {page: {"rps": rate} for page, rate in rates.items()}


def _targets(results: dict[str, dict[str, dict[str, float]]]) -> None:
    print("Targets (reported, not asserted):")
    for key, figures in results.items():
        engine, kind = key.split(".")
        if kind == "large":
            for page in PAGES:
                p95 = figures[page]["p95_ms"]
                verdict = "met" if p95 < P95_TARGET_MS else "MISSED"
                print(f"  {engine} {page}: p95 {p95:.1f} ms < {P95_TARGET_MS:.0f} ms: {verdict}")
        elif kind == "load":
            for page in PAGES:
                ratio = figures[page]["rps"] / figures["floor"]["rps"]
                verdict = "met" if ratio >= FLOOR_RATIO_TARGET else "MISSED"
                print(
                    f"  {engine} {page}: {ratio:.2f} of the floor's req/s ≥ {FLOOR_RATIO_TARGET}: {verdict}"
                )
    small = results.get("sqlite.small")
    large = results.get("sqlite.large")
    if small and large:
        for page in PAGES:
            grows = large[page]["queries"] > small[page]["queries"]
            print(
                f"  {page}: {small[page]['queries']:.0f} queries at {SMALL_COMPANY} people, "
                f"{large[page]['queries']:.0f} at {LARGE_COMPANY:,}: "
                + ("GROWS with the company" if grows else "does not grow with the company")
            )


def main(repeats: int) -> None:
    """The web benchmarks. `repeats` (the framework benchmarks' runs) does not apply here: every
    page is requested `IN_PROCESS_REQUESTS` times and loaded for `LOAD_SECONDS` seconds."""
    del repeats
    print("Web app:")
    results: dict[str, dict[str, dict[str, float]]] = {}
    load = shutil.which("wrk") is not None
    if not load:
        print("  wrk is missing (scripts/ensure-system-packages.sh installs it): no load figures")
    print(f"sqlite, {SMALL_COMPANY} employees (queries per page):")
    with site("sqlite", SMALL_COMPANY) as small:
        figures = in_process(small, WARM_UP_REQUESTS)
        results["sqlite.small"] = figures
        _report_in_process("sqlite", SMALL_COMPANY, figures)
    run_engine("sqlite", results, load)
    unavailable = postgres_available()
    if unavailable is None:
        run_engine("postgresql", results, load)
    else:
        print(f"postgresql: not reachable at {POSTGRES_SERVER} ({unavailable}); skipped")
    _targets(results)


if __name__ == "__main__":
    main(0)
