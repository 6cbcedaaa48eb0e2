"""Authoring the framework: the draft, its editor, review and publishing, versions and exports.

Every editor page (declared in `authoring_editor.PAGES`) has a sibling ``…/lint/`` URL (name
``<page>_lint``), served by its own view, that htmx posts a field's text to as one types; it answers
the findings for that field and saves nothing.
"""

from django.urls import URLPattern, path

from trellis.web.frameworks import authoring_editor as editor
from trellis.web.frameworks import authoring_support as support
from trellis.web.frameworks import authoring_views as views
from trellis.web.frameworks import export_views

app_name = "authoring"


def _editor(page: support.EditorPage) -> list[URLPattern]:
    """The page and its live lint."""
    return [
        path(page.route, support.editor_page, {"page": page}, name=page.name),
        path(f"{page.route}lint/", support.live_lint, {"page": page}, name=f"{page.name}_lint"),
    ]


urlpatterns = [
    path("", views.overview, name="overview"),
    path("submit/", views.submit, name="submit"),
    path("publish/", views.publish, name="publish"),
    path("return/", views.return_to_draft, name="return_to_draft"),
    path("import/", views.import_page, name="import"),
    path("yaml/", views.yaml_editor, name="yaml"),
    path("yaml/lint/", views.yaml_lint, name="yaml_lint"),
    *(pattern for page in editor.PAGES for pattern in _editor(page)),
    path("versions/", views.versions, name="versions"),
    path("versions/compare/", views.compare, name="compare"),
    path("versions/<int:number>/", views.version, name="version"),
    path("versions/<int:number>/export/<str:fmt>/", export_views.version_export, name="version_export"),
    path("draft/export/<str:fmt>/", export_views.draft_export, name="draft_export"),
]
