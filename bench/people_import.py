"""`make bench`, the people import: rows/second for a generated 10,000-row HRIS file.

For SQLite and for PostgreSQL (``postgres://postgres@127.0.0.1:5432/``, where a database of its
own, ``trellis_bench_people_import``, is created and dropped), in a child process on a migrated,
empty company with the starter framework published:

1. a first import of `ROWS` new people (a reporting tree eight wide, a hundred teams);
2. a second import of the same people where about one in ten moves up a level, one in twenty
   changes manager and one in fifty leaves.

For each: the time to read and plan the file (upload and preview), the time to apply it (planned
again from the people as they are, then written) and of the writing alone (the only part inside
the write transaction, so the time SQLite's write lock is held), rows/second of the apply and of
the whole, and the queries the apply made.
Target (reported, never asserted): a 10,000-row file applies in under 15 s on either engine.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bench.figures import emit
from bench.web import REPOSITORY, Site, _postgres_admin, postgres_available

ROWS = 10_000
POSTGRES_DATABASE = "trellis_bench_people_import"
APPLY_TARGET_SECONDS = 15.0
HEADER = "Employee ID,E-mail,Full name,Job title,Team,Job family,Track,Level,At this level since,Manager,Hired on,Active"


def hris_file(rows: int, *, changed: bool) -> bytes:
    """An HRIS export of `rows` people: person i reports to person (i - 1) // 8; with `changed`,
    every tenth moves up a level, every twentieth changes manager, every fiftieth leaf leaves."""
    lines = [HEADER]
    for index in range(rows):
        manager = "" if index == 0 else f"P{(index - 1) // 8:05d}"
        has_reports = index * 8 + 1 < rows
        track, level = ("management", "M1") if has_reports else ("ic", "IC2")
        active = "yes"
        if changed:
            if index % 10 == 3 and not has_reports:
                level = "IC3"
            if index % 20 == 7 and index > 8:
                manager = f"P{(index - 1) // 8 - 1:05d}" if (index - 1) // 8 > 0 else manager
            if index % 50 == 11 and not has_reports:
                active = "no"
        lines.append(
            f"P{index:05d},p{index}@example.com,Person {index},Engineer,Team {index % 100},"
            f"engineering,{track},{level},2024-01-01,{manager},2023-01-01,{active}"
        )
    return ("\n".join(lines) + "\n").encode()


_CHILD = r"""
import json, sys, time
import django
django.setup()
from django.conf import settings
from django.db import connection
from trellis.framework.templates import starter
from trellis.framework.yaml_io import dumps
from trellis.web.accounts.models import User
from trellis.web.frameworks.services import framework_draft_save, framework_publish
from trellis.web.people import import_writing
from trellis.web.people.import_services import import_job_create, import_job_preview, import_job_start
from trellis.web.people.models import ImportJob, Person

writing = []
write_plan = import_writing.write_plan
def timed_write_plan(**keywords):
    started = time.perf_counter()
    try:
        return write_plan(**keywords)
    finally:
        writing.append(time.perf_counter() - started)
import_writing.write_plan = timed_write_plan

settings.PEOPLE_IMPORT_BACKGROUND_ROWS = 10**9  # measured in this process, not by a worker
settings.PEOPLE_IMPORT_BACKGROUND_BYTES = 10**9
hr = User.objects.create_user("hr@example.com", "benchmark password", full_name="Hana HR", is_hr_admin=True)
framework_draft_save(actor=hr, yaml_text=dumps(starter(["engineering"], "growth")), expected_revision=None)
framework_publish(actor=hr)
figures = {}
for name, path in (("create", sys.argv[1]), ("update", sys.argv[2])):
    data = open(path, "rb").read()
    started = time.perf_counter()
    job = import_job_create(actor=hr, file_name="people.csv", data=data)
    job = import_job_preview(actor=hr, job=job, mapping=job.mapping)
    planned = time.perf_counter()
    queries = []
    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)
    with connection.execute_wrapper(count):
        job = import_job_start(actor=hr, job=job, only_valid_rows=True)
    finished = time.perf_counter()
    assert job.status == ImportJob.Status.APPLIED, (job.status, job.error)
    figures[name] = {
        "plan": planned - started,
        "apply": finished - planned,
        "write": writing[-1],
        "rows": job.row_count,
        "written": job.rows_to_apply,
        "queries": len(queries),
        "result": job.result,
    }
figures["people"] = Person.objects.count()
print(json.dumps(figures))
"""


@contextlib.contextmanager
def empty_site(engine: str) -> Iterator[Site]:
    data_dir = Path(tempfile.mkdtemp(prefix=f"trellis-bench-import-{engine}-"))
    database_url = ""
    if engine == "postgresql":
        _postgres_admin(f'DROP DATABASE IF EXISTS "{POSTGRES_DATABASE}" WITH (FORCE)')
        _postgres_admin(f'CREATE DATABASE "{POSTGRES_DATABASE}"')
        database_url = f"postgres://postgres@127.0.0.1:5432/{POSTGRES_DATABASE}"
    prepared = Site(engine=engine, data_dir=data_dir, database_url=database_url)
    try:
        prepared.trellis("manage", "migrate", "--noinput")
        yield prepared
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if engine == "postgresql":
            with contextlib.suppress(Exception):
                _postgres_admin(f'DROP DATABASE IF EXISTS "{POSTGRES_DATABASE}" WITH (FORCE)')


def run_engine(engine: str) -> None:
    with empty_site(engine) as prepared:
        first = prepared.data_dir / "first.csv"
        second = prepared.data_dir / "second.csv"
        first.write_bytes(hris_file(ROWS, changed=False))
        second.write_bytes(hris_file(ROWS, changed=True))
        result = subprocess.run(
            [sys.executable, "-c", _CHILD, str(first), str(second)],
            env=prepared.environment(),
            cwd=REPOSITORY,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"the people import benchmark failed:\n{result.stdout}\n{result.stderr}")
        figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"{engine}, a {ROWS:,}-row HRIS file:")
    for name in ("create", "update"):
        figure = figures[name]
        prefix = f"people_import.{engine}.{name}"
        what = "new people" if name == "create" else "the same people, some changed"
        print(f"  {what}: {figure['written']:,} rows written of {figure['rows']:,} ({figure['result']})")
        emit(f"{prefix}.plan", figure["plan"], "s", "read and plan (upload, preview)")
        emit(f"{prefix}.apply", figure["apply"], "s", "apply (planned again, then written)")
        emit(f"{prefix}.write", figure["write"], "s", "writing the rows (inside the transaction)")
        emit(
            f"{prefix}.apply_rows_per_second",
            figure["rows"] / figure["apply"],
            "rows/s",
            "rows/second, apply",
        )
        emit(
            f"{prefix}.rows_per_second",
            figure["rows"] / (figure["plan"] + figure["apply"]),
            "rows/s",
            "rows/second, upload to applied",
        )
        emit(f"{prefix}.apply_queries", figure["queries"], "queries", "queries of the apply")
        verdict = "met" if figure["apply"] < APPLY_TARGET_SECONDS else "MISSED"
        print(f"  target: apply under {APPLY_TARGET_SECONDS:.0f} s: {verdict}")


def main() -> None:
    print("People import:")
    run_engine("sqlite")
    unavailable = postgres_available()
    if unavailable is None:
        run_engine("postgresql")
    else:
        print(f"postgresql: not reachable ({unavailable}); skipped")


if __name__ == "__main__":
    main()
