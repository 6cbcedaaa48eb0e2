"""The stored skills heatmaps (`growth.heatmap_snapshots`) on the hand-computed company of
heatmap_data.py: a fresh snapshot is read as it is, every kind of input change makes it stale, a
large scope is refreshed by the task while the page says its figures are old, and the files agree
with the page."""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.frameworks.services import framework_draft_save, framework_publish
from trellis.web.growth import heatmap_exports
from trellis.web.growth.heatmap_selectors import heatmap_get, heatmap_scope_get
from trellis.web.growth.heatmap_snapshots import heatmap_from, heatmap_inputs_key
from trellis.web.growth.models import HeatmapSnapshot
from trellis.web.people.models import Person
from trellis.web.people.services import person_set_manager, person_update
from trellis.web.reviews.cycle_results import cycle_results_build
from trellis.web.reviews.models import CycleResult, ReviewCycle, Source

from ..promotions.conftest import (
    FRAMEWORK,
    make_cycle,
    rate,
    version,  # noqa: F401  (the framework fixture)
)
from ..task_worker import run_queued_tasks
from .heatmap_data import heatmap_company

pytestmark = pytest.mark.django_db

REFRESH = "trellis.web.growth.tasks.heatmap_snapshot_refresh"


@pytest.fixture
def company(
    version: FrameworkVersion,  # noqa: F811
    manager: User,
    employee: User,
    skip_level_manager: User,
    hr_admin: User,
) -> dict[str, Any]:
    data = heatmap_company(version, manager, employee, skip_level_manager)
    return {**data, "manager": manager, "employee": employee, "skip": skip_level_manager, "hr": hr_admin}


def _live(viewer: User, **scope: Any) -> Any:
    published = framework_published_get(viewer=viewer)
    assert published is not None
    chosen = heatmap_scope_get(viewer=viewer, framework=published.framework, **scope)
    return heatmap_get(viewer=viewer, scope=chosen, framework=published.framework)


def _stored(key: str, viewer: User, **scope: Any) -> Any:
    published = framework_published_get(viewer=viewer)
    assert published is not None
    chosen = heatmap_scope_get(viewer=viewer, framework=published.framework, **scope)
    return heatmap_from(chosen, HeatmapSnapshot.objects.get(scope_key=key).payload)


def _same(one: Any, other: Any) -> None:
    """Two heatmaps with the same figures, cell for cell, and the same patterns."""
    assert (one.competencies, one.people, one.cycles) == (other.competencies, other.people, other.cycles)
    sections = [one.everyone, *one.aggregates]
    others = [other.everyone, *other.aggregates]
    assert [each.groups for each in sections] == [each.groups for each in others]
    for mine, theirs in zip(sections, others, strict=True):
        for name in (
            "people",
            "expected",
            "rated",
            "counted",
            "mean_figure",
            "mean_gap",
            "meeting",
            "gap_sum",
        ):
            np.testing.assert_array_equal(getattr(mine.cells, name), getattr(theirs.cells, name))
    assert one.team_patterns == other.team_patterns


def _results_queries(queries: list[dict[str, str]]) -> list[str]:
    """The queries reading stored results' scores (the inputs key reads their newest id only)."""
    table = CycleResult._meta.db_table
    return [query["sql"] for query in queries if table in query["sql"] and "scores" in query["sql"]]


def _csv(client: Client, name: str = "heatmap_export", **kwargs: Any) -> list[list[str]]:
    response = client.get(reverse(f"growth:{name}", kwargs={**kwargs, "file_format": "csv"}))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def _written(heatmap: Any) -> list[list[str]]:
    text = "".join(heatmap_exports.csv_chunks(heatmap_exports.csv_rows(heatmap)))
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_a_fresh_snapshot_is_read_without_the_results(company: dict[str, Any], login: Any) -> None:
    hr = company["hr"]
    client = login(hr)
    assert client.get(reverse("growth:heatmap")).status_code == 200
    stored = HeatmapSnapshot.objects.get(scope_key="company")
    assert stored.inputs_key == heatmap_inputs_key()
    _same(_stored("company", hr), _live(hr))
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("growth:heatmap")).content.decode()
    # Neither the results nor the people are read again: the page is drawn from the snapshot.
    assert _results_queries(queries.captured_queries) == []
    assert HeatmapSnapshot.objects.get(scope_key="company").computed_at == stored.computed_at
    assert "Platform is strong in Communication and weak in Software craft." in html
    assert "being refreshed" not in html and "Computed " in html
    # The family's is its own snapshot.
    assert (
        client.get(reverse("growth:heatmap_family", kwargs={"family_id": "engineering"})).status_code == 200
    )
    assert set(HeatmapSnapshot.objects.values_list("scope_key", flat=True)) == {
        "company",
        "family:engineering",
    }


def test_every_kind_of_input_change_makes_the_key_differ(company: dict[str, Any]) -> None:
    hr, employee = company["hr"], company["employee"]
    keys = [heatmap_inputs_key()]

    def changed(what: str) -> None:
        key = heatmap_inputs_key()
        assert key not in keys, what
        keys.append(key)

    # Reading the results builds the counted cycles never built; reading again changes nothing.
    _live(hr)
    changed("the first build of the counted cycles")
    assert heatmap_inputs_key() == keys[-1]
    # A rating shared: the person's results rebuilt (as readiness_recompute does).
    pat = Person.objects.get(employee_id="P001")
    rate(company["h2"], pat, Source.MANAGER, company["manager"].person, {"delivery": 5})
    cycle_results_build(cycle_ids=[company["h2"].pk], person_ids=[pat.pk])
    changed("a rating shared")
    # A cycle whose results start counting.
    cycle = make_cycle(company["h1"].framework_version, "2026 H1", "2026-06-30", ReviewCycle.Phase.SIGN_OFF)
    ReviewCycle.objects.filter(pk=cycle.pk).update(phase=ReviewCycle.Phase.SHARED)
    changed("a cycle shared")
    person = employee.person
    person_update(actor=hr, person=person, level_code="IC3")
    changed("a level")
    person_update(actor=hr, person=person, team=company["growth"])
    changed("a team")
    person_set_manager(actor=hr, person=person, manager=company["gus"].person)
    changed("a manager")
    person_update(actor=hr, person=person, is_active=False)
    changed("leaving")
    framework_draft_save(
        actor=hr,
        yaml_text=FRAMEWORK.read_text().replace("Engineering", "Engineers", 1),
        expected_revision=None,
    )
    framework_publish(actor=hr)
    changed("a new framework version")


def test_a_small_scope_is_recomputed_at_once_after_a_change(company: dict[str, Any], login: Any) -> None:
    hr, employee = company["hr"], company["employee"]
    client = login(hr)
    before = _csv(client)
    person_update(actor=hr, person=employee.person, team=company["growth"])
    html = client.get(reverse("growth:heatmap")).content.decode()
    assert "being refreshed" not in html
    assert HeatmapSnapshot.objects.get(scope_key="company").inputs_key == heatmap_inputs_key()
    after = _csv(client)
    assert after != before
    # The files agree with what is computed from the inputs now.
    assert after == _written(_live(hr))
    people = {row[1]: row[3] for row in after if row[0] == "Team" and row[2] == "Communication"}
    assert people == {"'=Growth": "8", "Platform": "7"}


def test_a_large_scope_is_refreshed_by_the_task_and_says_so(
    company: dict[str, Any], login: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.HEATMAP_SYNC_LIMIT = 10  # the company has 15 people
    hr, employee = company["hr"], company["employee"]
    signed_in = login(hr)

    class Committing:
        """The test client, each request's on-commit work run as a request's own commit runs it."""

        def get(self, path: str) -> Any:
            with django_capture_on_commit_callbacks(execute=True):
                return signed_in.get(path)

    client: Any = Committing()
    html = client.get(reverse("growth:heatmap")).content.decode()
    assert "This heatmap is being prepared" in html and "heatmap-patterns" not in html
    assert client.get(reverse("growth:heatmap_export", kwargs={"file_format": "csv"})).status_code == 503
    # Asking again queues nothing more.
    client.get(reverse("growth:heatmap"))
    assert DBTaskResult.objects.filter(task_path=REFRESH).count() == 1
    ran = run_queued_tasks(REFRESH)
    assert [task.status for task in ran] == ["SUCCESSFUL"]
    assert HeatmapSnapshot.objects.get(scope_key="company").inputs_key == heatmap_inputs_key()
    html = client.get(reverse("growth:heatmap")).content.decode()
    assert "being refreshed" not in html and "Platform is strong in Communication" in html
    fresh = _csv(client)
    assert fresh == _written(_live(hr))

    # A person moves team: the old figures, dated and said to be old, while the task runs.
    person_update(actor=hr, person=employee.person, team=company["growth"])
    html = client.get(reverse("growth:heatmap")).content.decode()
    assert "Figures as of " in html and "being refreshed" in html
    assert "Platform is strong in Communication" in html
    response = client.get(reverse("growth:heatmap_export", kwargs={"file_format": "xlsx"}))
    assert response.status_code == 503 and response["Retry-After"] == "60"
    client.get(reverse("growth:heatmap"))
    assert DBTaskResult.objects.filter(task_path=REFRESH, status="READY").count() == 1
    run_queued_tasks(REFRESH)
    html = client.get(reverse("growth:heatmap")).content.decode()
    assert "being refreshed" not in html
    refreshed = _csv(client)
    assert refreshed != fresh and refreshed == _written(_live(hr))


def test_a_large_team_is_stored_and_a_small_one_stays_live(
    company: dict[str, Any], login: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    skip = company["skip"]
    client = login(skip)
    # 14 people under the skip-level manager: listed one by one, never stored.
    html = client.get(reverse("growth:heatmap_team", kwargs={"person_id": skip.person.pk})).content.decode()
    assert "Pat 1" in html and not HeatmapSnapshot.objects.exists()
    from trellis.web.growth import heatmap_selectors

    monkeypatch.setattr(heatmap_selectors, "PERSON_ROWS_LIMIT", 5)
    html = client.get(reverse("growth:heatmap_team", kwargs={"person_id": skip.person.pk})).content.decode()
    assert "Pat 1" not in html and 'id="heatmap-team"' in html
    key = f"team:{skip.person.pk}"
    _same(_stored(key, skip, manager_id=skip.person.pk), _live(skip, manager_id=skip.person.pk))
    rows = _csv(client, "heatmap_team_export", person_id=skip.person.pk)
    assert rows == _written(_live(skip, manager_id=skip.person.pk))


def test_the_page_reads_the_charts_groups_and_the_files_every_group(
    company: dict[str, Any], login: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trellis.web.growth import heatmap_selectors

    monkeypatch.setattr(heatmap_selectors, "CHART_ROWS_LIMIT", 1)
    hr = company["hr"]
    client = login(hr)
    client.get(reverse("growth:heatmap"))
    summary = HeatmapSnapshot.objects.get(scope_key="company").summary
    teams = next(each for each in summary["aggregates"] if each["grouping"] == "team")
    # Platform: 6 rated on 3 competencies and 2 managers unrated, against =Growth's 6 (one craft unknown).
    assert (teams["groups"], teams["left_out"]) == (["Platform"], 1)
    html = client.get(reverse("growth:heatmap")).content.decode()
    assert "The 1 with the most people rated; the other 1 are in the files." in html
    rows = _csv(client)
    assert {row[1] for row in rows if row[0] == "Team"} == {"Platform", "'=Growth"}
    assert rows == _written(_live(hr))
