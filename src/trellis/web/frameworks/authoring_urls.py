"""Authoring the framework: the draft, its editor, review and publishing, versions and exports."""

from django.urls import path  # noqa: F401

app_name = "authoring"
urlpatterns: list = []
