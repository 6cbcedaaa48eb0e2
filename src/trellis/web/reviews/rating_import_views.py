"""Importing past cycles' ratings: upload and dry run, then import all of it or discard it. HR only."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from trellis.evaluation.rating_import import LIMITS, MAX_RATINGS
from trellis.tabular.limits import file_too_large
from trellis.web import policy
from trellis.web.accounts.viewer import signed_in
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.middleware import accepts_uploads
from trellis.web.policy import Action
from trellis.web.reviews.rating_import_models import RatingImport
from trellis.web.reviews.rating_import_selectors import rating_import_get, rating_import_list
from trellis.web.reviews.rating_import_services import (
    RatingImportRefused,
    rating_import_apply,
    rating_import_discard,
    rating_import_upload,
)

#: How many of a dry run's problems the page lists before "and N more".
PROBLEMS_SHOWN = 200


class RatingFileForm(forms.Form):
    file = forms.FileField(
        label="Ratings file",
        help_text=(
            "A CSV file or an Excel workbook (.xlsx, its first sheet) with one header row and one row "
            "per rating: person (e-mail address or employee ID), cycle, cycle end date, source (self, "
            "manager, peer or calibrated), competency, score, and optionally the rater."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > LIMITS.file_bytes:
            raise forms.ValidationError(file_too_large(upload.name or "", LIMITS).reason, code="too_large")
        return upload


@accepts_uploads
@require_http_methods(["GET", "HEAD", "POST"])
def rating_import_start(request: HttpRequest) -> HttpResponse:
    """Upload a file of past ratings; below, the latest imports."""
    user = signed_in(request)
    policy.require(user, Action.RATINGS_IMPORT)
    form = RatingFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = rating_import_upload(actor=user, file_name=upload.name or "ratings", data=upload.read())
        except RatingImportRefused as refused:
            for message in refused.messages[:PROBLEMS_SHOWN]:
                form.add_error("file", message)
        else:
            return redirect("rating_imports:job", import_id=job.pk)
    return render(
        request,
        "reviews/rating_import/start.html",
        {
            "form": form,
            "jobs": rating_import_list(viewer=user),
            "published": framework_published_get(viewer=user),
            "max_ratings": MAX_RATINGS,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def rating_import_job(request: HttpRequest, import_id: int) -> HttpResponse:
    """The dry run of one file: what importing it would write, or every problem to fix; POST
    imports it (all or nothing)."""
    user = signed_in(request)
    job = rating_import_get(viewer=user, import_id=import_id, with_data=request.method == "POST")
    status = 200
    if request.method == "POST":
        try:
            job = rating_import_apply(actor=user, job=job)
        except RatingImportRefused:
            job = rating_import_get(viewer=user, import_id=import_id)
            messages.error(request, "Nothing was imported: the file has problems now (listed below).")
            status = 409
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
            job = rating_import_get(viewer=user, import_id=import_id)
            status = 409
        else:
            summary = job.summary
            messages.success(
                request, f"Imported {summary.get('ratings', 0)} ratings of {summary.get('people', 0)} people."
            )
            return redirect("rating_imports:job", import_id=job.pk)
    problems = list(job.problems)
    return render(
        request,
        "reviews/rating_import/job.html",
        {
            "job": job,
            "problems": problems[:PROBLEMS_SHOWN],
            "more_problems": max(0, len(problems) - PROBLEMS_SHOWN),
            "can_import": job.status == RatingImport.Status.PREVIEWED and not problems,
        },
        status=status,
    )


@require_POST
def rating_import_discard_view(request: HttpRequest, import_id: int) -> HttpResponse:
    user = signed_in(request)
    job = rating_import_get(viewer=user, import_id=import_id)
    try:
        rating_import_discard(actor=user, job=job)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("rating_imports:job", import_id=job.pk)
    messages.success(request, f"{job.file_name} was discarded; nothing was imported.")
    return redirect("rating_imports:start")
