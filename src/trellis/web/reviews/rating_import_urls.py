"""Importing past cycles' ratings from a spreadsheet: upload and dry run, import or discard. HR only."""

from django.urls import path

from trellis.web.reviews import rating_import_views

app_name = "rating_imports"
urlpatterns = [
    path("", rating_import_views.rating_import_start, name="start"),
    path("<int:import_id>/", rating_import_views.rating_import_job, name="job"),
    path("<int:import_id>/discard/", rating_import_views.rating_import_discard_view, name="discard"),
]
