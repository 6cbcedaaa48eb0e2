"""Importing people from an HRIS export: upload, column mapping, dry-run preview, apply. HR only."""

from django.urls import path

from trellis.web.people import import_views

app_name = "imports"
urlpatterns = [
    path("", import_views.import_start, name="start"),
    path("template.csv", import_views.import_template, name="template"),
    path("<int:job_id>/", import_views.import_job, name="job"),
    path("<int:job_id>/columns/", import_views.import_columns, name="columns"),
    path("<int:job_id>/preview/", import_views.import_preview, name="preview"),
    path("<int:job_id>/apply/", import_views.import_apply, name="apply"),
    path("<int:job_id>/discard/", import_views.import_discard, name="discard"),
]
