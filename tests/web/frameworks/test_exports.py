"""Exports of versions and of the draft: rendered once by the worker, stored, served from storage;
a page that says the file is being prepared until then."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import openpyxl
import pytest
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from trellis.framework.render.edition import describe_date
from trellis.framework.templates import starter
from trellis.framework.yaml_io import dumps, loads
from trellis.web.accounts.models import User
from trellis.web.frameworks.export_services import (
    DRAFT_UNREADABLE,
    RENDERING_GIVEN_UP,
    UNEXPECTED_FAILURE,
    WORKER_STOPPED,
    export_render,
)
from trellis.web.frameworks.models import FrameworkDraft, FrameworkExport, FrameworkVersion
from trellis.web.frameworks.services import framework_draft_import, framework_draft_save, framework_publish

pytestmark = pytest.mark.django_db

A = "/framework/authoring"
FORMATS = ["yaml", "xlsx", "pdf", "md", "html", "csv"]


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def render_queued() -> list[str]:
    """What the worker does: render every queued export; the statuses afterwards."""
    queued = FrameworkExport.objects.filter(status=FrameworkExport.Status.QUEUED).order_by("pk")
    return [str(export_render(export_id=pk).status) for pk in queued.values_list("pk", flat=True)]


def stored() -> list[tuple[int | None, int | None, str, str]]:
    return list(
        FrameworkExport.objects.order_by("pk").values_list(
            "version__number", "draft_revision", "format", "status"
        )
    )


@pytest.fixture
def northwind(published_framework: FrameworkVersion, hr_admin: User) -> FrameworkVersion:
    """Version 2, a small framework; its exports are queued, not yet rendered."""
    framework_draft_import(
        actor=hr_admin,
        framework=starter(["engineering"], "startup", name="Northwind Labs"),
        source="starter",
        expected_revision=3,
    )
    return framework_publish(actor=hr_admin)


def test_publishing_queues_every_format_for_the_worker_on_commit(
    published_framework: FrameworkVersion, hr_admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    framework_draft_import(
        actor=hr_admin,
        framework=starter(["engineering"], "startup", name="Northwind Labs"),
        source="starter",
        expected_revision=3,
    )
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        version = framework_publish(actor=hr_admin)
        assert DBTaskResult.objects.count() == 0  # not before the commit
    # One per format, and everyone's readiness against the new version (promotions).
    assert len(callbacks) == len(FORMATS) + 1
    exports = list(FrameworkExport.objects.filter(version=version).order_by("pk"))
    assert [(export.format, export.status, export.size) for export in exports] == [
        (fmt, "queued", 0) for fmt in FORMATS
    ]
    readiness = "trellis.web.promotions.tasks.readiness_recompute_everyone"
    assert DBTaskResult.objects.filter(task_path=readiness).count() == 1
    tasks = list(DBTaskResult.objects.exclude(task_path=readiness).order_by("enqueued_at", "pk"))
    assert sorted(task.args_kwargs["kwargs"]["export_id"] for task in tasks) == [e.pk for e in exports]
    assert {task.task_path for task in tasks} == {"trellis.web.frameworks.tasks.framework_export_render"}
    pdf_export = next(export for export in exports if export.format == "pdf")
    pdf_task = next(task for task in tasks if task.args_kwargs["kwargs"]["export_id"] == pdf_export.pk)
    assert FrameworkExport.objects.get(pk=pdf_export.pk).task_id == str(pdf_task.id)

    pdf_task.claim("test-worker")
    Worker(
        queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=1, worker_id="test-worker", excluded_queue_names=[],
    ).run_task(pdf_task)  # fmt: skip
    pdf_task.refresh_from_db()
    assert (pdf_task.status, pdf_task.return_value) == ("SUCCESSFUL", "ready")
    pdf_export.refresh_from_db()
    assert pdf_export.status == "ready"
    assert bytes(pdf_export.content).startswith(b"%PDF-")
    assert pdf_export.size == len(bytes(pdf_export.content))


def test_before_the_worker_the_page_says_the_file_is_being_prepared(
    northwind: FrameworkVersion, login: Any, employee: User
) -> None:
    client = login(employee)
    before = stored()
    for _ in range(4):  # clicking again renders nothing and queues nothing more
        page = client.get(f"{A}/versions/2/export/pdf/")
        assert page.status_code == 200
        assert page["Content-Type"] == "text/html; charset=utf-8"
        assert "Waiting for a worker" in text(page)
        assert 'hx-get="/framework/authoring/versions/2/export/pdf/" hx-trigger="every 1s"' in text(page)
    assert stored() == before
    assert FrameworkExport.objects.get(version=northwind, format="pdf").size == 0

    assert render_queued() == ["ready"] * len(FORMATS) * 2  # versions 1 and 2
    poll = client.get(f"{A}/versions/2/export/pdf/", headers={"HX-Request": "true"})
    assert poll.status_code == 200
    assert "<h1>" not in poll.content.decode()
    assert "hx-trigger" not in poll.content.decode()
    assert (
        'href="/framework/authoring/versions/2/export/pdf/" download="northwind-labs-framework-v2.pdf"'
        in text(poll)
    )


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("yaml", "application/yaml; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("pdf", "application/pdf"),
        ("md", "text/markdown; charset=utf-8"),
        ("html", "text/html; charset=utf-8"),
        ("csv", "text/csv; charset=utf-8"),
    ],
)
def test_a_rendered_version_is_served_from_storage(
    northwind: FrameworkVersion, login: Any, employee: User, fmt: str, content_type: str
) -> None:
    render_queued()
    export = FrameworkExport.objects.get(version=northwind, format=fmt)
    response = login(employee).get(f"{A}/versions/2/export/{fmt}/")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="northwind-labs-framework-v2.{fmt}"'
    assert response["ETag"] == f'"{export.sha256}"'
    assert response["Cache-Control"] == "private, max-age=86400, immutable"
    assert response.content == bytes(export.content)
    again = login(employee).get(f"{A}/versions/2/export/{fmt}/", headers={"If-None-Match": response["ETag"]})
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", response["ETag"])


def test_every_format_names_the_version_and_its_publication_date(
    northwind: FrameworkVersion, login: Any, employee: User
) -> None:
    render_queued()
    client = login(employee)
    edition = f"Version 2, published {describe_date(northwind.published_at)}"
    yaml = client.get(f"{A}/versions/2/export/yaml/").content.decode()
    assert yaml == f"# Northwind Labs — {edition}\n{northwind.yaml_text}"
    assert dumps(loads(yaml)) == northwind.yaml_text  # the comment changes nothing a reader loads
    markdown = client.get(f"{A}/versions/2/export/md/").content.decode()
    assert markdown.startswith(f"# Northwind Labs\n\n**{edition}**\n")
    assert (
        f'<p class="version edition">{edition}</p>'
        in client.get(f"{A}/versions/2/export/html/").content.decode()
    )
    csv_lines = client.get(f"{A}/versions/2/export/csv/").content.decode().splitlines()
    assert csv_lines[0].endswith(",edition")
    assert csv_lines[1].endswith(f',"{edition}"')
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"{A}/versions/2/export/xlsx/").content))
    assert workbook.properties.subject == edition
    assert workbook.properties.created == northwind.published_at.replace(tzinfo=None, microsecond=0)
    assert workbook.worksheets[0].oddFooter.left.text == edition
    pdf = PdfReader(io.BytesIO(client.get(f"{A}/versions/2/export/pdf/").content))
    assert f"Northwind Labs · {edition}" in pdf.pages[0].extract_text()


def test_a_version_published_before_exports_were_stored_is_queued_when_asked_for(
    northwind: FrameworkVersion, login: Any, employee: User
) -> None:
    FrameworkExport.objects.all().delete()
    page = login(employee).get(f"{A}/versions/1/export/md/")
    assert "Waiting for a worker" in text(page)
    assert stored() == [(1, None, "md", "queued")]
    assert render_queued() == ["ready"]
    assert login(employee).get(f"{A}/versions/1/export/md/").content.decode().startswith("# ")


def test_a_failed_export_says_so_and_may_be_asked_for_again(
    northwind: FrameworkVersion, login: Any, employee: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> bytes:
        raise RuntimeError("the compiler fell over")

    monkeypatch.setattr("trellis.web.frameworks.export_services.render", broken)
    export = FrameworkExport.objects.get(version=northwind, format="pdf")
    assert export_render(export_id=export.pk).status == "failed"
    client = login(employee)
    page = client.get(f"{A}/versions/2/export/pdf/")
    assert "The file could not be made" in text(page)
    assert UNEXPECTED_FAILURE in text(page)
    assert "hx-trigger" not in text(page)
    monkeypatch.undo()
    retry = client.post(f"{A}/versions/2/export/pdf/")
    assert (retry.status_code, retry["Location"]) == (302, f"{A}/versions/2/export/pdf/")
    export.refresh_from_db()
    assert (export.status, export.error) == ("queued", "")
    assert export_render(export_id=export.pk).status == "ready"


def test_an_export_whose_worker_died_is_shown_as_failed_and_may_be_asked_for_again(
    northwind: FrameworkVersion, login: Any, employee: User
) -> None:
    export = FrameworkExport.objects.get(version=northwind, format="pdf")
    FrameworkExport.objects.filter(pk=export.pk).update(
        status=FrameworkExport.Status.RENDERING, started_at=timezone.now()
    )
    client = login(employee)
    assert "Being prepared" in text(client.get(f"{A}/versions/2/export/pdf/"))
    FrameworkExport.objects.filter(pk=export.pk).update(
        started_at=timezone.now() - RENDERING_GIVEN_UP - datetime.timedelta(seconds=1)
    )
    page = client.get(f"{A}/versions/2/export/pdf/")
    assert WORKER_STOPPED in text(page)
    assert FrameworkExport.objects.get(pk=export.pk).status == "failed"
    client.post(f"{A}/versions/2/export/pdf/")
    assert export_render(export_id=export.pk).status == "ready"


def test_an_export_is_rendered_once_even_if_its_task_comes_twice(northwind: FrameworkVersion) -> None:
    export = FrameworkExport.objects.get(version=northwind, format="md")
    assert export_render(export_id=export.pk).status == "ready"
    first = FrameworkExport.objects.get(pk=export.pk)
    assert export_render(export_id=export.pk).status == "ready"
    assert FrameworkExport.objects.get(pk=export.pk).finished_at == first.finished_at


def test_a_stored_download_takes_four_queries(
    northwind: FrameworkVersion, login: Any, employee: User, django_assert_num_queries: Any
) -> None:
    render_queued()
    client = login(employee)
    client.get(f"{A}/versions/2/export/pdf/")  # the version's framework is parsed once per process
    # The session, the user, the version, the export with its bytes.
    with django_assert_num_queries(4):
        assert client.get(f"{A}/versions/2/export/pdf/").status_code == 200


def test_an_unknown_format_is_not_found(northwind: FrameworkVersion, login: Any, employee: User) -> None:
    before = stored()
    assert login(employee).get(f"{A}/versions/2/export/docx/").status_code == 404
    assert stored() == before


def test_the_draft_exports_in_the_worker_for_its_readers(
    published_framework: FrameworkVersion, login: Any, coauthor: User, hr_admin: User
) -> None:
    client = login(coauthor)
    page = client.get(f"{A}/draft/export/yaml/")
    assert "Waiting for a worker" in text(page)
    assert stored() == [(1, None, fmt, "queued") for fmt in FORMATS] + [(None, 3, "yaml", "queued")]
    render_queued()
    yaml = client.get(f"{A}/draft/export/yaml/")
    assert (
        yaml["Content-Disposition"]
        == 'attachment; filename="engineering-product-and-marketing-framework-draft-r3.yaml"'
    )
    assert yaml["Cache-Control"] == "private, no-store"
    draft = FrameworkDraft.objects.get()
    assert yaml.content.decode() == f"# {loads(draft.yaml_text).name} — Draft, revision 3\n{draft.yaml_text}"

    framework_draft_save(actor=hr_admin, yaml_text="name: Acme\nfamilies: [unclosed\n", expected_revision=3)
    client.get(f"{A}/draft/export/md/")
    # The exports of revision 3 are gone; revision 4's Markdown is queued.
    assert [row for row in stored() if row[1] is not None] == [(None, 4, "md", "queued")]
    render_queued()
    unreadable = client.get(f"{A}/draft/export/md/")
    assert "The file could not be made" in text(unreadable)
    assert DRAFT_UNREADABLE in text(unreadable)
    client.get(f"{A}/draft/export/yaml/")
    render_queued()
    still_yaml = client.get(f"{A}/draft/export/yaml/")
    assert still_yaml["Content-Disposition"] == 'attachment; filename="trellis-framework-draft-r4.yaml"'
    assert still_yaml.content.decode() == "# Draft, revision 4\nname: Acme\nfamilies: [unclosed\n"


def test_an_employee_may_not_export_the_draft_and_nothing_is_queued(
    published_framework: FrameworkVersion, login: Any, employee: User
) -> None:
    before = stored()
    assert login(employee).get(f"{A}/draft/export/pdf/").status_code == 403
    assert stored() == before
