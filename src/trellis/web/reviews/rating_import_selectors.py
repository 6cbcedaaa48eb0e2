"""Reads of the imports of past ratings: HR's alone."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from trellis.web import policy
from trellis.web.accounts.viewer import Viewer
from trellis.web.policy import Action
from trellis.web.reviews.rating_import_models import RatingImport

#: How many past imports the import page lists.
RECENT_IMPORTS = 20


def rating_import_list(*, viewer: Viewer) -> QuerySet[RatingImport]:
    """The latest imports, newest first, without their files."""
    policy.require(viewer, Action.RATINGS_IMPORT)
    return RatingImport.objects.select_related("uploaded_by").defer("data")[:RECENT_IMPORTS]


def rating_import_get(*, viewer: Viewer, import_id: int, with_data: bool = False) -> RatingImport:
    """The import with this id; PermissionDenied unless `viewer` may import ratings, Http404 when
    there is none. The file is loaded only when asked for."""
    policy.require(viewer, Action.RATINGS_IMPORT)
    jobs = RatingImport.objects.select_related("uploaded_by")
    job = (jobs if with_data else jobs.defer("data")).filter(pk=import_id).first()
    if job is None:
        raise Http404("no such import")
    return job
