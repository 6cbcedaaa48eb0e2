"""Importing people from an HRIS export: upload, column mapping, dry-run preview, apply."""

from django.urls import path  # noqa: F401

app_name = "imports"
urlpatterns: list = []
