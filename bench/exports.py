"""`make bench`, stored exports: what the worker takes to render a published version's exports,
and the server time of downloading one of them (the version's PDF) once stored.

On the 50-person demo company (`trellis demo`), for SQLite and, when the server answers, for
PostgreSQL (a database of its own, removed afterwards; see `bench.web.site`):

1. `trellis manage db_worker --batch` runs the tasks publishing queued: every format of version 1.
2. In process, with Django's test client, an employee downloads the stored PDF
   `STORED_REQUESTS` times: median and p95. Target (reported, never asserted): p95 under 50 ms.
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

from bench.figures import emit, p95, run_python_for_json
from bench.web import REPOSITORY, SMALL_COMPANY, Site, postgres_available, site

STORED_REQUESTS = 200
WARM_UP_REQUESTS = 10
P95_TARGET_MS = 50.0
DEMO_EMPLOYEE = "employee@northwind.example"


def measure_downloads(requests: int) -> None:
    """In a child process set up by `downloads`: print one JSON line of figures."""
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from trellis.web.accounts.models import User
    from trellis.web.frameworks.models import FrameworkExport

    statuses = dict(FrameworkExport.objects.values_list("format", "status"))
    if statuses.get("pdf") != FrameworkExport.Status.READY:
        raise RuntimeError(f"the worker left the exports as {statuses}")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=DEMO_EMPLOYEE))
    path = reverse("authoring:version_export", kwargs={"number": 1, "fmt": "pdf"})
    size = 0
    for _ in range(WARM_UP_REQUESTS):
        response = client.get(path)
        if response.status_code != 200 or response["Content-Type"] != "application/pdf":
            raise RuntimeError(f"{path} answered {response.status_code} {response['Content-Type']}")
        size = len(response.content)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - started)
    times.sort()
    print(
        json.dumps(
            {
                "median_ms": statistics.median(times) * 1000,
                "p95_ms": p95(times) * 1000,
                "size": size,
            }
        )
    )


def downloads(prepared: Site, requests: int) -> dict[str, float]:
    figures: dict[str, Any] = run_python_for_json(
        f"from bench.exports import measure_downloads; measure_downloads({requests})",
        environment=prepared.environment(),
        cwd=REPOSITORY,
        what="download measurement",
    )
    return figures


def run_engine(engine: str) -> float:
    with site(engine, SMALL_COMPANY) as prepared:
        started = time.perf_counter()
        prepared.trellis("manage", "db_worker", "--batch")
        worker = time.perf_counter() - started
        emit(f"exports.{engine}.worker_all_formats", worker, "s", "worker: every format of version 1")
        figures = downloads(prepared, STORED_REQUESTS)
        emit(f"exports.{engine}.stored_pdf.median", figures["median_ms"], "ms", "stored PDF download median")
        emit(f"exports.{engine}.stored_pdf.p95", figures["p95_ms"], "ms", "stored PDF download p95")
        emit(f"exports.{engine}.stored_pdf.size", figures["size"] / 1024, "KiB", "stored PDF size")
        return figures["p95_ms"]


def main(repeats: int) -> None:
    """The stored-export benchmarks (`repeats` does not apply: `STORED_REQUESTS` downloads each)."""
    del repeats
    print(f"Stored exports ({SMALL_COMPANY}-person demo; {STORED_REQUESTS} downloads in process):")
    results = {"sqlite": run_engine("sqlite")}
    unavailable = postgres_available()
    if unavailable is None:
        results["postgresql"] = run_engine("postgresql")
    else:
        print(f"  postgresql: not reachable ({unavailable}); skipped")
    print("Targets (reported, not asserted):")
    for engine, percentile in results.items():
        verdict = "met" if percentile < P95_TARGET_MS else "MISSED"
        print(f"  {engine} stored PDF download: p95 {percentile:.1f} ms < {P95_TARGET_MS:.0f} ms: {verdict}")
