"""Importing people from an HRIS export: upload → columns → dry-run preview → import.

Every page is HR's (403 for anyone else, before anything is read); a job that does not exist is a
404. Views stay thin: the services read the file, plan and apply; these pages show their results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from trellis.organisation.import_reading import Table
from trellis.organisation.import_template import template_rows
from trellis.organisation.person_fields import FIELDS_BY_KEY
from trellis.tabular import column_letter
from trellis.web import policy
from trellis.web.accounts.viewer import signed_in, viewer
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.middleware import accepts_uploads
from trellis.web.people.exports import csv_chunks
from trellis.web.people.forms import ColumnMappingForm, ImportUploadForm
from trellis.web.people.import_services import (
    import_background_rows,
    import_job_create,
    import_job_discard,
    import_job_preview,
    import_job_start,
    import_jobs_fail_abandoned,
)
from trellis.web.people.models import ImportJob
from trellis.web.people.selectors import import_job_get, import_job_list
from trellis.web.policy import Action

PREVIEW_ROWS_PER_PAGE = 100
#: How many values of each column the columns page shows, to recognise what the column holds.
SAMPLE_VALUES = 3

#: The preview's filters: (outcome or "" for all, label).
_PREVIEW_FILTERS = (
    ("", "All rows"),
    ("reject", "Rejected"),
    ("create", "New"),
    ("update", "Updated"),
    ("unchanged", "Unchanged"),
)
OUTCOME_LABELS = {"create": "New", "update": "Update", "unchanged": "Unchanged", "reject": "Rejected"}


@accepts_uploads
@require_http_methods(["GET", "HEAD", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    """Step 1: upload a file; below, the latest imports."""
    user = signed_in(request)
    policy.require(user, Action.PEOPLE_IMPORT)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_job_create(actor=user, file_name=upload.name or "", data=upload.read())
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            # A large file is read in the background; its page shows so until the columns are ready.
            read = job.status == ImportJob.Status.MAPPING
            return redirect("imports:columns" if read else "imports:job", job_id=job.pk)
    return render(
        request,
        "people/import_start.html",
        {
            "form": form,
            "jobs": import_job_list(viewer=user),
            "published": framework_published_get(viewer=user),
            "step": 1,
        },
    )


@require_safe
def import_template(request: HttpRequest) -> HttpResponse:
    """A CSV file with the header row Trellis reads without any mapping and one example row, which
    the import refuses to import (`trellis.organisation.import_template`)."""
    user = viewer(request)
    policy.require(user, Action.PEOPLE_IMPORT)
    published = framework_published_get(viewer=user)
    rows = template_rows(published.framework if published is not None else None)
    response = HttpResponse(
        "".join(csv_chunks(rows)).removeprefix("\ufeff"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="trellis-people.csv"'
    return response


@dataclass(frozen=True, slots=True)
class FileColumn:
    letter: str
    header: str
    samples: list[str]


@require_http_methods(["GET", "HEAD", "POST"])
def import_columns(request: HttpRequest, job_id: int) -> HttpResponse:
    """Step 2: which column holds which field (guessed from the headers; the importer decides)."""
    user = signed_in(request)
    job = import_job_get(viewer=user, job_id=job_id, with_table=True)
    open_statuses = (ImportJob.Status.MAPPING, ImportJob.Status.PREVIEWED, ImportJob.Status.FAILED)
    if job.status not in open_statuses or not job.is_read:
        return redirect("imports:job", job_id=job.pk)
    table = Table.from_json(job.table)
    initial: dict[str, str] = {
        key: ("" if column is None else str(column)) for key, column in job.mapping.items()
    }
    initial["date_format"] = job.date_format
    form = ColumnMappingForm(request.POST or None, table=table, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_preview(
                actor=user, job=job, mapping=form.mapping(), date_format=form.date_format()
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            # A large file is checked in the background; its page shows how far the check is.
            ready = job.status == ImportJob.Status.PREVIEWED
            return redirect("imports:preview" if ready else "imports:job", job_id=job.pk)
    columns = [
        FileColumn(
            letter=column_letter(index + 1),
            header=header,
            samples=[row.cells[index] for row in table.rows if row.cells[index]][:SAMPLE_VALUES],
        )
        for index, header in enumerate(table.headers)
    ]
    return render(
        request, "people/import_columns.html", {"job": job, "form": form, "columns": columns, "step": 2}
    )


@dataclass(frozen=True, slots=True)
class PreviewChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class PreviewProblem:
    column: str
    message: str


@dataclass(frozen=True, slots=True)
class PreviewRow:
    number: int
    outcome: str
    outcome_label: str
    employee_id: str
    full_name: str
    changes: list[PreviewChange]
    problems: list[PreviewProblem]
    warnings: list[PreviewProblem]


def _field_label(key: str) -> str:
    return FIELDS_BY_KEY[key].label if key in FIELDS_BY_KEY else key


def _preview_row(entry: dict[str, Any]) -> PreviewRow:
    return PreviewRow(
        number=entry["number"],
        outcome=entry["outcome"],
        outcome_label=OUTCOME_LABELS[entry["outcome"]],
        employee_id=entry["employee_id"],
        full_name=entry["full_name"],
        changes=[PreviewChange(_field_label(key), old, new) for key, old, new in entry["changes"]],
        problems=[PreviewProblem(column, message) for column, message in entry["problems"]],
        # Previews made before warnings existed have none.
        warnings=[PreviewProblem(column, message) for column, message in entry.get("warnings", [])],
    )


@require_safe
def import_preview(request: HttpRequest, job_id: int) -> HttpResponse:
    """Step 3: the dry run, row by row; the choice to import all, only the valid rows, or nothing."""
    user = viewer(request)
    job = import_job_get(viewer=user, job_id=job_id, with_preview=True)
    if job.status != ImportJob.Status.PREVIEWED:
        return redirect("imports:job", job_id=job.pk)
    show = request.GET.get("show", "")
    if show not in OUTCOME_LABELS:
        show = ""
    entries = [entry for entry in job.preview if not show or entry["outcome"] == show]
    page = Paginator(entries, PREVIEW_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    summary = job.summary
    filters = [
        {
            "value": value,
            "label": label,
            "count": summary.get(value, 0) if value else job.row_count,
            "url": reverse("imports:preview", kwargs={"job_id": job.pk})
            + (f"?show={value}" if value else ""),
            "current": value == show,
        }
        for value, label in _PREVIEW_FILTERS
    ]
    return render(
        request,
        "people/import_preview.html",
        {
            "job": job,
            "page": page,
            "rows": [_preview_row(entry) for entry in page.object_list],
            "filters": filters,
            "show": show,
            "summary": summary,
            "to_write": summary.get("create", 0) + summary.get("update", 0),
            "background": job.row_count > import_background_rows(),
            "page_query": _other_parameters(request),
            "step": 3,
        },
    )


def _other_parameters(request: HttpRequest) -> str:
    """The query string without ``page``, for the links to the other pages."""
    parameters = request.GET.copy()
    parameters.pop("page", None)
    return parameters.urlencode()


@require_POST
def import_apply(request: HttpRequest, job_id: int) -> HttpResponse:
    """Step 4: import: all rows, or (chosen explicitly) only the valid ones."""
    user = signed_in(request)
    job = import_job_get(viewer=user, job_id=job_id)
    try:
        import_job_start(
            actor=user,
            job=job,
            only_valid_rows=request.POST.get("only_valid_rows") == "yes",
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("imports:preview", job_id=job.pk)
    return redirect("imports:job", job_id=job.pk)


@require_POST
def import_discard(request: HttpRequest, job_id: int) -> HttpResponse:
    user = signed_in(request)
    job = import_job_get(viewer=user, job_id=job_id)
    try:
        import_job_discard(actor=user, job=job)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("imports:job", job_id=job.pk)
    messages.success(request, "The import was discarded; nothing was imported.")
    return redirect("imports:start")


@require_safe
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """Where an import stands: its file being read, its rows being checked, waiting or being written (with progress: htmx polls
    the status part every second, and a plain link refreshes it without JavaScript), imported,
    stopped or discarded; a job whose worker died is marked failed here (its page says so, and
    it may be previewed again). A job whose columns or preview await the importer sends them there (an
    htmx poll is told to load that page)."""
    user = viewer(request)
    job = import_job_get(viewer=user, job_id=job_id)
    if job.is_running and import_jobs_fail_abandoned(job_id=job.pk):
        job = import_job_get(viewer=user, job_id=job_id)
    htmx = bool(getattr(request, "htmx", False))
    destination = _PAGE_OF_STATUS.get(ImportJob.Status(job.status))
    if destination is not None:
        url = reverse(destination, kwargs={"job_id": job.pk})
        return HttpResponseClientRedirect(url) if htmx else redirect(url)
    template = "people/import_job.html#status" if htmx else "people/import_job.html"
    step = 1 if not job.is_read else 3 if job.status == ImportJob.Status.CHECKING else 4
    return render(request, template, {"job": job, "step": step})


#: The statuses in which the importer has something to decide, and the page where they decide it.
_PAGE_OF_STATUS = {
    ImportJob.Status.MAPPING: "imports:columns",
    ImportJob.Status.PREVIEWED: "imports:preview",
}
