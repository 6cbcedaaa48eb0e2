"""Measuring the framework (`--only measuring`): on the demo company (its two past cycles of
ratings), the what-if page of a draft that asks for no manager endorsement, and rater agreement —
computed once after a change of the ratings (the cost the first page after it pays), then the
behaviours page that shows it and the overview, warm — with their queries; on SQLite and on
PostgreSQL, at the demo's size and at `LARGE` people.

Figures only: the what-if costs two company-wide readiness evaluations per view; agreement is kept
per process while the counted ratings are unchanged, so its cold figure is what a background task
storing the figures would save.
"""

from __future__ import annotations

import json
import statistics
import time

from bench.figures import emit, run_python_for_json
from bench.web import REPOSITORY, postgres_available, site

SIZES = (50, 2_000)
REQUESTS = 5


def measure(requests: int) -> None:
    """In the child process: print one JSON line of figures."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from trellis.framework.yaml_io import dumps
    from trellis.web.accounts.models import User
    from trellis.web.frameworks.models import FrameworkDraft
    from trellis.web.frameworks.selectors import framework_published_for_work
    from trellis.web.frameworks.services import framework_draft_save
    from trellis.web.people.demo_accounts import HR_EMAIL
    from trellis.web.reviews import agreement_selectors
    from trellis.web.reviews.models import Rating

    hr = User.objects.get(email=HR_EMAIL)
    published = framework_published_for_work()
    assert published is not None
    draft = published.framework.model_copy(deep=True)
    for family in draft.families:
        for promotion in family.promotions:
            promotion.manager_endorsement = False
    revision = FrameworkDraft.objects.values_list("revision", flat=True).get()
    framework_draft_save(actor=hr, yaml_text=dumps(draft), expected_revision=revision)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(hr)

    def page(path: str) -> tuple[float, int]:
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        return statistics.median(times) * 1000, len(queries)

    what_if_ms, what_if_queries = page("/readiness/what-if/")
    agreement_selectors._kept = None
    started = time.perf_counter()
    agreement_selectors.framework_agreement_current()
    cold_s = time.perf_counter() - started
    behaviours = "/framework/authoring/edit/families/engineering/tracks/ic/behaviours/communication/"
    behaviours_ms, behaviours_queries = page(behaviours)
    overview_ms, overview_queries = page("/reviews/agreement/")
    print(
        json.dumps(
            {
                "ratings": Rating.objects.count(),
                "what_if_ms": what_if_ms,
                "what_if_queries": what_if_queries,
                "agreement_cold_s": cold_s,
                "behaviours_ms": behaviours_ms,
                "behaviours_queries": behaviours_queries,
                "overview_ms": overview_ms,
                "overview_queries": overview_queries,
            }
        )
    )


def main(sizes: tuple[int, ...] = SIZES) -> None:
    print("Measuring the framework: the what-if page and rater agreement on the demo company")
    engines = ["sqlite"]
    unavailable = postgres_available()
    if unavailable is None:
        engines.append("postgresql")
    else:
        print(f"  PostgreSQL skipped: {unavailable}")
    for engine in engines:
        for employees in sizes:
            with site(engine, employees) as prepared:
                figures = run_python_for_json(
                    f"from bench.measuring import measure; measure({REQUESTS})",
                    environment=prepared.environment(),
                    cwd=REPOSITORY,
                    what="measuring pages",
                )
            name = f"measuring.{engine}.{employees}"
            label = f"{engine}, {employees} people, {figures['ratings']:,} ratings"
            emit(f"{name}.what_if_median", figures["what_if_ms"], "ms", f"what-if page median ({label})")
            emit(f"{name}.what_if_queries", figures["what_if_queries"], "queries", "what-if page queries")
            emit(
                f"{name}.agreement_cold",
                figures["agreement_cold_s"],
                "s",
                "agreement computed after a change",
            )
            emit(f"{name}.behaviours_median", figures["behaviours_ms"], "ms", "behaviours page median (warm)")
            emit(
                f"{name}.behaviours_queries",
                figures["behaviours_queries"],
                "queries",
                "behaviours page queries",
            )
            emit(f"{name}.overview_median", figures["overview_ms"], "ms", "agreement overview median (warm)")
            emit(f"{name}.overview_queries", figures["overview_queries"], "queries", "overview queries")


if __name__ == "__main__":
    main()
