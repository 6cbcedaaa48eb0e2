"""`make bench`, review cycles (`--only review_cycles`): on the 10,000-person demo company (SQLite; and
PostgreSQL when the server answers), HR opens a cycle for everyone — wall time and queries of
`cycle_open` — then the demo employee's self-assessment form is opened and one competency saved as
htmx saves it while they type, many times: p50 and p95 of the save and its queries, in process
(Django's test client), the request's whole server-side time. Figures only, never asserted.
"""

from __future__ import annotations

from bench.figures import emit, run_python_for_json
from bench.web import LARGE_COMPANY, REPOSITORY, postgres_available, site

SAVES = 200

_CHILD = r"""
import datetime, json, statistics, time
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from bench.figures import p95
from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.reviews.cycle_services import Selection, cycle_open
hr = User.objects.get(email="hr@northwind.example")
started = time.perf_counter()
with CaptureQueriesContext(connection) as opening:
    opened = cycle_open(actor=hr, name="Bench cycle", framework_version=FrameworkVersion.objects.get(is_current=True),
        starts_on=datetime.date(2026, 7, 1), ends_on=datetime.date(2026, 12, 31), selection=Selection(everyone=True))
open_seconds = time.perf_counter() - started
employee = User.objects.get(email="employee@northwind.example")
participant = opened.cycle.participants.get(person__user=employee)
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(employee)
path = f"/reviews/participants/{participant.pk}/self/"
assert client.get(path).status_code == 200
form_times = []
for _ in range(20):
    began = time.perf_counter()
    client.get(path)
    form_times.append(time.perf_counter() - began)
times, revision, queries = [], 0, 0
for number in range(SAVES):
    data = {"communication-score": str(number % 5 + 1), "communication-comment": f"Save {number}",
        "communication-evidence": "", "communication-revision": str(revision)}
    began = time.perf_counter()
    with CaptureQueriesContext(connection) as saving:
        response = client.post(path + "communication/", data, HTTP_HX_REQUEST="true")
    times.append(time.perf_counter() - began)
    assert response.status_code == 200 and b"Saved" in response.content, response.content[:300]
    revision += 1
    queries = len(saving)
print(json.dumps({"participants": opened.participants, "open": open_seconds, "open_queries": len(opening),
    "form_p95": p95(form_times), "save_p50": statistics.median(times), "save_p95": p95(times), "save_queries": queries}))
"""


def run_engine(engine: str) -> None:
    print(f"{engine}, {LARGE_COMPANY:,} employees, a cycle for everyone and the self-assessment's save:")
    with site(engine, LARGE_COMPANY) as prepared:
        figures = run_python_for_json(
            _CHILD.replace("SAVES", str(SAVES)),
            environment=prepared.environment(),
            cwd=REPOSITORY,
            what="the review cycle benchmark",
        )
    scope = f"reviews.{engine}"
    emit(
        f"{scope}.cycle_open.time",
        figures["open"],
        "s",
        f"open a cycle for {figures['participants']:,} people",
    )
    emit(f"{scope}.cycle_open.queries", figures["open_queries"], "queries", "queries to open it")
    emit(f"{scope}.form.p95", figures["form_p95"] * 1000, "ms", "the self-assessment form, p95 of 20")
    emit(
        f"{scope}.save.p50",
        figures["save_p50"] * 1000,
        "ms",
        f"one competency saved (htmx), median of {SAVES}",
    )
    emit(
        f"{scope}.save.p95", figures["save_p95"] * 1000, "ms", f"one competency saved (htmx), p95 of {SAVES}"
    )
    emit(f"{scope}.save.queries", figures["save_queries"], "queries", "queries per save")


def main() -> None:
    print("Review cycles")
    run_engine("sqlite")
    why_not = postgres_available()
    if why_not is None:
        run_engine("postgresql")
    else:
        print(f"  PostgreSQL skipped: {why_not}")


if __name__ == "__main__":
    main()
