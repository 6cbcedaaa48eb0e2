"""Downloads of the framework: a published version or the draft, as YAML, XLSX, PDF, Markdown,
HTML or CSV.

Nothing is rendered here. A version's files are made by the worker when it is published and
served from storage; a draft's are made by the worker once per revision when first asked for.
Until a file is ready the page says it is being prepared and polls (htmx) until it is.

Who may download (the policy decides; see `trellis.web.policy`): a published version, everyone
who may read the framework; the draft, those who may read the draft (HR and co-authors).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from trellis.web.accounts.viewer import signed_in, viewer
from trellis.web.frameworks.authoring_selectors import version_framework_get, version_get
from trellis.web.frameworks.authoring_support import TEMPLATES
from trellis.web.frameworks.export_services import draft_export_request, version_export_request
from trellis.web.frameworks.models import FrameworkExport

#: format → (content type, file extension, label), in the order the pages list them.
EXPORT_FORMATS: dict[str, tuple[str, str, str]] = {
    "pdf": ("application/pdf", "pdf", FrameworkExport.Format.PDF.label),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        FrameworkExport.Format.XLSX.label,
    ),
    "md": ("text/markdown; charset=utf-8", "md", FrameworkExport.Format.MARKDOWN.label),
    "html": ("text/html; charset=utf-8", "html", FrameworkExport.Format.HTML.label),
    "csv": ("text/csv; charset=utf-8", "csv", FrameworkExport.Format.CSV.label),
    "yaml": ("application/yaml; charset=utf-8", "yaml", FrameworkExport.Format.YAML.label),
}

#: A published version's file never changes: the browser may keep it (for itself only: it is
#: for signed-in people) and need not ask again.
VERSION_CACHE = "private, max-age=86400, immutable"
#: A draft's file is for its readers, who change, and may hold unpublished text: no cache keeps it.
DRAFT_CACHE = "private, no-store"

_NAME_ENDINGS = ("career-framework", "framework")


def export_filename(framework_name: str, label: str, extension: str) -> str:
    """``northwind-labs-framework-v3.xlsx``: the framework's name as a slug (without a trailing
    "career framework", which the file name says anyway), the version label and the extension."""
    slug = slugify(framework_name)[:60].strip("-")
    for ending in _NAME_ENDINGS:
        if slug.endswith(ending):
            slug = slug.removesuffix(ending).strip("-")
            break
    return f"{slug or 'trellis'}-framework-{label}.{extension}"


@require_http_methods(["GET", "HEAD", "POST"])
def version_export(request: HttpRequest, number: int, fmt: str) -> HttpResponse:
    """A published version's file once the worker has made it; until then a page that says it is
    being prepared. POST asks again after a failure. For everyone who may read the framework."""
    version = version_get(viewer=viewer(request), number=number)
    if fmt not in EXPORT_FORMATS:
        raise Http404("no such format")
    retry = request.method == "POST"
    export = version_export_request(viewer=signed_in(request), version=version, fmt=fmt, retry=retry)
    if request.method == "POST":
        return redirect("authoring:version_export", number=number, fmt=fmt)
    name = export_filename(version_framework_get(version=version).name, f"v{number}", EXPORT_FORMATS[fmt][1])
    return _answer(request, export, fmt, name, VERSION_CACHE, title=f"Version {number}", number=number)


@require_http_methods(["GET", "HEAD", "POST"])
def draft_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The draft's file at its current revision once the worker has made it; until then a page
    with its progress. POST asks again after a failure. For those who may read the draft."""
    if fmt not in EXPORT_FORMATS:
        raise Http404("no such format")
    export = draft_export_request(viewer=signed_in(request), fmt=fmt, retry=request.method == "POST")
    if request.method == "POST":
        return redirect("authoring:draft_export", fmt=fmt)
    name = export_filename(_draft_name(export), f"draft-r{export.draft_revision}", EXPORT_FORMATS[fmt][1])
    return _answer(
        request, export, fmt, name, DRAFT_CACHE, title=f"The draft, revision {export.draft_revision}"
    )


def _draft_name(export: FrameworkExport) -> str:
    from trellis.web.frameworks.authoring_selectors import draft_text_check

    framework = draft_text_check(export.source_text)[0]
    return framework.name if framework is not None else ""


def _answer(
    request: HttpRequest,
    export: FrameworkExport,
    fmt: str,
    filename: str,
    cache: str,
    *,
    title: str,
    number: int | None = None,
) -> HttpResponse:
    ready = export.status == FrameworkExport.Status.READY
    if ready and not request.headers.get("HX-Request"):
        return _file(request, export, fmt, filename, cache)
    context = {
        "export": export,
        "number": number,
        "title": title,
        "label": EXPORT_FORMATS[fmt][2],
        "filename": filename,
        "running": export.status in (FrameworkExport.Status.QUEUED, FrameworkExport.Status.RENDERING),
    }
    template = f"{TEMPLATES}/export.html"
    if request.headers.get("HX-Request"):
        template += "#status"
    return render(request, template, context)


def _file(request: HttpRequest, export: FrameworkExport, fmt: str, filename: str, cache: str) -> HttpResponse:
    etag = f'"{export.sha256}"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        not_modified = HttpResponseNotModified()
        not_modified.headers["ETag"] = etag
        not_modified.headers["Cache-Control"] = cache
        return not_modified
    return HttpResponse(
        bytes(export.content),
        content_type=EXPORT_FORMATS[fmt][0],
        headers={
            "Content-Disposition": content_disposition_header(as_attachment=True, filename=filename),
            "ETag": etag,
            "Cache-Control": cache,
        },
    )
