"""`make bench`, the people list's exports: the CSV and XLSX of the whole people list as HR
downloads it, on a 10,000-person demo company (SQLite; and PostgreSQL when the server answers).

Each format is downloaded in a fresh child process (Django's test client, in process), so its peak
resident memory (the child's own high-water mark, VmHWM) belongs to that download alone, next to the
baseline of a child that only signs in. Printed: wall time (median of `REPEATS`), file size,
queries and peak memory. Figures only, never asserted; the streaming design keeps memory flat in the
company's size (rows are read `EXPORT_CHUNK_ROWS` at a time, the XLSX is written in write-only mode).
"""

from __future__ import annotations

from bench.figures import emit, run_python_for_json
from bench.web import LARGE_COMPANY, REPOSITORY, Site, postgres_available, site

REPEATS = 3
HR_EMAIL = "hr@northwind.example"

_CHILD = r"""
import json, statistics, sys, time
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from trellis.web.accounts.models import User
fmt, repeats = FORMAT, REPEATS
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.get(email=HR_EMAIL))
client.get("/people/")  # warm: the framework parsed, the session loaded
def download():
    response = client.get(f"/people/export.{fmt}")
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)
times, size, queries = [], 0, 0
if fmt != "none":
    for _ in range(repeats):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            size = len(download())
        times.append(time.perf_counter() - started)
        queries = len(captured)
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"median": statistics.median(times) if times else 0, "bytes": size, "queries": queries, "peak_kib": peak}))
"""


def _measure(prepared: Site, fmt: str) -> dict[str, float]:
    figures: dict[str, float] = run_python_for_json(
        _CHILD.replace("HR_EMAIL", repr(HR_EMAIL))
        .replace("FORMAT", repr(fmt))
        .replace("REPEATS", str(REPEATS)),
        environment=prepared.environment(),
        cwd=REPOSITORY,
        what=f"the people export ({fmt})",
    )
    return figures


def run_engine(engine: str) -> None:
    print(f"{engine}, {LARGE_COMPANY:,} employees, HR downloads the whole people list:")
    with site(engine, LARGE_COMPANY) as prepared:
        baseline = _measure(prepared, "none")
        emit(
            f"people.{engine}.export.baseline_peak",
            baseline["peak_kib"] / 1024,
            "MB",
            "peak memory, signed in only",
        )
        for fmt in ("csv", "xlsx"):
            figures = _measure(prepared, fmt)
            scope = f"people.{engine}.export.{fmt}"
            emit(f"{scope}.time", figures["median"], "s", f"{fmt.upper()} export, median of {REPEATS}")
            emit(f"{scope}.size", figures["bytes"] / 1_000_000, "MB", f"{fmt.upper()} file size")
            emit(f"{scope}.queries", figures["queries"], "queries", f"{fmt.upper()} queries")
            emit(f"{scope}.peak", figures["peak_kib"] / 1024, "MB", f"{fmt.upper()} peak memory")
            emit(
                f"{scope}.rows_per_second",
                LARGE_COMPANY / figures["median"] if figures["median"] else 0,
                "rows/s",
                f"{fmt.upper()} rows per second",
            )


def main() -> None:
    print("People list exports")
    run_engine("sqlite")
    why_not = postgres_available()
    if why_not is None:
        run_engine("postgresql")
    else:
        print(f"  PostgreSQL skipped: {why_not}")


if __name__ == "__main__":
    main()
