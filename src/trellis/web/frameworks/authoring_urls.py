"""Authoring the framework: the draft, its editor, review and publishing, versions and exports.

Every editor page has a sibling ``…/lint/`` URL (name ``<page>_lint``) that htmx posts a field's
text to as one types; it answers the findings for that field and saves nothing.
"""

from django.urls import path

from trellis.web.frameworks import authoring_editor as editor
from trellis.web.frameworks import authoring_views as views
from trellis.web.frameworks import export_views

app_name = "authoring"


def _editor(route: str, view: object, name: str) -> list:
    """The page and its live lint."""
    return [
        path(route, view, name=name),  # type: ignore[arg-type]
        path(f"{route}lint/", view, {"lint": True}, name=f"{name}_lint"),  # type: ignore[arg-type]
    ]


FAMILY = "edit/families/<str:family_id>/"
TRACK = f"{FAMILY}tracks/<str:track_id>/"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("submit/", views.submit, name="submit"),
    path("publish/", views.publish, name="publish"),
    path("return/", views.return_to_draft, name="return_to_draft"),
    path("import/", views.import_page, name="import"),
    path("yaml/", views.yaml_editor, name="yaml"),
    path("yaml/lint/", views.yaml_lint, name="yaml_lint"),
    *_editor("edit/", editor.framework_page, "framework"),
    *_editor("edit/core/<str:competency_id>/", editor.core_competency_page, "core_competency"),
    *_editor("edit/lateral-paths/<int:index>/", editor.lateral_path_page, "lateral_path"),
    *_editor(FAMILY, editor.family_page, "family"),
    *_editor(f"{FAMILY}competencies/<str:competency_id>/", editor.competency_page, "competency"),
    *_editor(f"{FAMILY}promotions/<str:from_level>/<str:to_level>/", editor.promotion_page, "promotion"),
    *_editor(TRACK, editor.track_page, "track"),
    *_editor(f"{TRACK}levels/<str:code>/", editor.level_page, "level"),
    *_editor(f"{TRACK}behaviours/<str:competency_id>/", editor.behaviours_page, "behaviours"),
    path("versions/", views.versions, name="versions"),
    path("versions/compare/", views.compare, name="compare"),
    path("versions/<int:number>/", views.version, name="version"),
    path("versions/<int:number>/export/<str:fmt>/", export_views.version_export, name="version_export"),
    path("draft/export/<str:fmt>/", export_views.draft_export, name="draft_export"),
]
