"""Exports of the framework, rendered by the worker and kept (`FrameworkExport`).

A published version never changes, so each of its formats is rendered once, when it is published
(enqueued when that transaction commits), and served from storage for ever after: a crowd
clicking "PDF" costs a database read each, never a render. A draft's export is rendered once per
revision, when someone who may read the draft asks for it. Requests only ever queue work; the
worker (`trellis worker`) does the rendering, so an export cannot take the web processes' time.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from trellis.framework.model import Framework
from trellis.framework.render import Edition, render
from trellis.framework.render.yaml_document import yaml_with_edition
from trellis.framework.yaml_io import loads
from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.frameworks.authoring_selectors import draft_text_check
from trellis.web.frameworks.models import FrameworkDraft, FrameworkExport, FrameworkVersion
from trellis.web.policy import Action

logger = logging.getLogger(__name__)

#: The format of a rendering for each export format ("yaml" is the source text with a comment).
RENDER_FORMAT = {"xlsx": "xlsx", "pdf": "pdf", "md": "md", "html": "html", "csv": "csv"}

#: What the page says when an export could not be made for a reason nobody typed.
UNEXPECTED_FAILURE = (
    "An unexpected error stopped the export. It has been logged; try again, or ask IT to look at the "
    "server log."
)
DRAFT_UNREADABLE = "The draft cannot be read as a framework: only its YAML can be exported."
WORKER_STOPPED = "The worker stopped before the file was made. Ask for it again."
#: An export still "being prepared" this long after a worker took it lost its worker (a render
#: is stopped after `pdf_document.TIME_LIMIT_SECONDS`; the rest is headroom).
RENDERING_GIVEN_UP = datetime.timedelta(minutes=10)


def version_exports_schedule(*, version: FrameworkVersion) -> list[FrameworkExport]:
    """Queue every format of a newly published `version` for the worker (called inside the
    publishing transaction; the tasks are enqueued when it commits)."""
    exports = [
        FrameworkExport.objects.create(version=version, format=fmt) for fmt in FrameworkExport.Format.values
    ]
    for export in exports:
        transaction.on_commit(functools.partial(_enqueue, export.pk))
    return exports


def version_export_request(
    *, viewer: User, version: FrameworkVersion, fmt: str, retry: bool = False
) -> FrameworkExport:
    """The stored export of `version` in `fmt`, queued for the worker when there is none yet (a
    version published before exports were stored), or when the last attempt failed and `retry`
    is asked. For anyone who may read the framework. Raises ValueError for an unknown format."""
    policy.require(viewer, Action.FRAMEWORK_VIEW)
    _check_format(fmt)
    # With its content: a ready export is about to be sent, and one query beats two.
    export = _given_up_if_stale(FrameworkExport.objects.filter(version=version, format=fmt).first())
    if export is not None and not (retry and export.status == FrameworkExport.Status.FAILED):
        return export
    return _queue(export, version=version, fmt=fmt)


def draft_export_request(*, viewer: User, fmt: str, retry: bool = False) -> FrameworkExport:
    """The export of the draft at its current revision in `fmt`, queued for the worker when it is
    not made yet (or failed, when `retry` is asked). Exports of earlier revisions are deleted. For those who may read the
    draft; the YAML of an unreadable draft can still be exported, other formats are refused by the
    worker with :data:`DRAFT_UNREADABLE`. Raises ValueError for an unknown format."""
    policy.require(viewer, Action.FRAMEWORK_VIEW_DRAFT)
    _check_format(fmt)
    draft = FrameworkDraft.objects.filter(pk=FrameworkDraft.SINGLETON_ID).first() or FrameworkDraft()
    FrameworkExport.objects.filter(draft_revision__isnull=False).exclude(
        draft_revision=draft.revision
    ).delete()
    export = _given_up_if_stale(
        FrameworkExport.objects.filter(draft_revision=draft.revision, format=fmt).first()
    )
    if export is not None and not (retry and export.status == FrameworkExport.Status.FAILED):
        return export
    return _queue(
        export,
        draft_revision=draft.revision,
        fmt=fmt,
        source_text=draft.yaml_text,
        source_saved_at=draft.updated_at if draft.pk is not None else None,
    )


def _given_up_if_stale(export: FrameworkExport | None) -> FrameworkExport | None:
    """`export`, marked failed when its worker took it and never finished (it was killed)."""
    if (
        export is not None
        and export.status == FrameworkExport.Status.RENDERING
        and (export.started_at or export.created_at) < timezone.now() - RENDERING_GIVEN_UP
    ):
        _mark_failed(export.pk, WORKER_STOPPED)
        export.status, export.error = FrameworkExport.Status.FAILED, WORKER_STOPPED
    return export


def _check_format(fmt: str) -> None:
    if fmt not in FrameworkExport.Format.values:
        raise ValueError(f"unknown export format {fmt!r}")


def _queue(
    export: FrameworkExport | None,
    *,
    fmt: str,
    version: FrameworkVersion | None = None,
    draft_revision: int | None = None,
    source_text: str = "",
    source_saved_at: datetime.datetime | None = None,
) -> FrameworkExport:
    """Queue a new export (or a failed one again) and enqueue its task when the transaction commits."""
    with transaction.atomic():
        if export is not None:
            FrameworkExport.objects.filter(pk=export.pk, status=FrameworkExport.Status.FAILED).update(
                status=FrameworkExport.Status.QUEUED,
                error="",
                created_at=timezone.now(),
                started_at=None,
                finished_at=None,
            )
        else:
            try:
                with transaction.atomic():
                    export = FrameworkExport.objects.create(
                        version=version,
                        draft_revision=draft_revision,
                        format=fmt,
                        source_text=source_text,
                        source_saved_at=source_saved_at,
                    )
            except IntegrityError:
                # Two people asked at once: the other request queued it.
                return FrameworkExport.objects.get(version=version, draft_revision=draft_revision, format=fmt)
        transaction.on_commit(functools.partial(_enqueue, export.pk))
    return FrameworkExport.objects.get(pk=export.pk)


def _enqueue(export_id: int) -> None:
    from trellis.web.frameworks import tasks

    result = tasks.framework_export_render.enqueue(export_id=export_id)
    FrameworkExport.objects.filter(pk=export_id).update(task_id=str(result.id)[:64])


def export_render(*, export_id: int) -> FrameworkExport:
    """Render a queued export and store its bytes (the worker's task). An export that is not
    queued (made already, being made by another worker, deleted) is returned untouched; a failure
    is recorded on the export with a message for the page, which may then ask again."""
    claimed = FrameworkExport.objects.filter(pk=export_id, status=FrameworkExport.Status.QUEUED).update(
        status=FrameworkExport.Status.RENDERING, started_at=timezone.now()
    )
    export = FrameworkExport.objects.select_related("version").defer("content").filter(pk=export_id).first()
    if export is None or not claimed:
        return export or FrameworkExport(pk=export_id, status=FrameworkExport.Status.FAILED)
    try:
        content = export_content(export)
    except _Refused as refused:
        _mark_failed(export_id, str(refused))
    except Exception:
        logger.exception("framework export %s could not be rendered", export_id)
        _mark_failed(export_id, UNEXPECTED_FAILURE)
    else:
        FrameworkExport.objects.filter(pk=export_id, status=FrameworkExport.Status.RENDERING).update(
            status=FrameworkExport.Status.READY,
            content=content,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            finished_at=timezone.now(),
        )
    export.refresh_from_db()
    return export


class _Refused(Exception):
    """The export cannot be made, for a reason the page states (the message)."""


def export_content(export: FrameworkExport) -> bytes:
    """The bytes of `export`: its version or draft revision rendered in its format, naming the
    edition (version and publication date, or draft and revision)."""
    if export.version is not None:
        version = export.version
        text = version.yaml_text
        edition = Edition.version(number=version.number, published=version.published_at)
        framework: Framework | None = loads(text, f"framework version {version.number}")
    else:
        text = export.source_text
        edition = Edition.draft(revision=export.draft_revision, saved=export.source_saved_at)
        framework = draft_text_check(text)[0]
    if export.format == FrameworkExport.Format.YAML:
        name = framework.name if framework is not None else ""
        return yaml_with_edition(text, name=name, edition=edition).encode("utf-8")
    if framework is None:
        raise _Refused(DRAFT_UNREADABLE)
    return render(framework, RENDER_FORMAT[export.format], edition)


def _mark_failed(export_id: int, message: str) -> None:
    FrameworkExport.objects.filter(pk=export_id).update(
        status=FrameworkExport.Status.FAILED, error=message, finished_at=timezone.now()
    )
