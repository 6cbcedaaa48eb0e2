"""Background work of the frameworks app (django-tasks; `trellis worker` runs the queue).

Tasks are enqueued when the transaction that asked for them commits (see
`frameworks.export_services`), never from signals.
"""

from __future__ import annotations

from django_tasks import task

from trellis.web.frameworks.export_services import export_render


@task()
def framework_export_render(*, export_id: int) -> str:
    """Render one queued export of a version or of a draft revision and store it; returns the
    export's status afterwards ("ready" or "failed")."""
    return str(export_render(export_id=export_id).status)
