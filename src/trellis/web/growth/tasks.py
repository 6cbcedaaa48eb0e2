"""Background work of the growth app (django-tasks; `trellis worker` runs the queue).

`heatmap_snapshot_refresh` is enqueued by `heatmap_snapshots.heatmap_read` when a large scope's
stored heatmap is stale (once per inputs key), never from signals.
"""

from __future__ import annotations

from django_tasks import task

from trellis.web.frameworks.selectors import framework_published_for_work
from trellis.web.growth.heatmap_snapshots import scope_of, snapshot_compute
from trellis.web.growth.models import HeatmapSnapshot


@task()
def heatmap_snapshot_refresh(*, scope_key: str) -> str:
    """Compute and store the heatmap of `scope_key` (queued by `heatmap_read`); the inputs key it
    was computed for ("" when the scope or the framework is gone: the stale row is removed)."""
    published = framework_published_for_work()
    scope = scope_of(scope_key, published.framework) if published is not None else None
    if scope is None:
        HeatmapSnapshot.objects.filter(scope_key=scope_key).delete()
        return ""
    try:
        return snapshot_compute(scope, published.framework)[0].inputs_key  # type: ignore[union-attr]
    except BaseException:
        # Failed: the next page asks again rather than waiting for this refresh forever.
        HeatmapSnapshot.objects.filter(scope_key=scope_key).update(refreshing_key="")
        raise
