"""The company's framework in the app: one working draft, numbered immutable published versions, and
who co-authors which job family.

The framework itself is a document (`trellis.framework.model.Framework`) kept as its canonical YAML
text (pages parse it once per process and version). Exports (PDF, XLSX, …) are rendered by the
worker and kept as `FrameworkExport` rows: once per published version, once per draft revision.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class FrameworkDraft(models.Model):
    """The single working copy that co-authors and HR edit before publishing.

    ``revision`` increases with every write; a writer states the revision it read and the write
    is refused if someone else wrote in between (a conditional UPDATE, which works on SQLite and
    PostgreSQL alike, where ``select_for_update`` would be a no-op on SQLite).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"

    #: There is one draft per installation; its primary key is always 1.
    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    yaml_text = models.TextField("framework YAML", blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(default=1)
    based_on = models.ForeignKey(
        "FrameworkVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The published version this draft started from.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    #: Why HR returned the draft from review, for its authors; cleared when it is submitted again.
    #: Kept here rather than in the audit trail, which records field names and never text.
    review_comment = models.TextField("comment from the review", blank=True)
    review_comment_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="frameworkdraft_single_row"),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "in_review"]), name="frameworkdraft_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(revision__gte=1), name="frameworkdraft_revision_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"framework draft, revision {self.revision} ({self.status})"


class FrameworkVersion(models.Model):
    """A published framework. Immutable: only ``is_current`` moves when a newer version is published.

    ``change_summary`` counts what changed since the previous version, as the core's diff classifies
    it (structural or wording).
    """

    number = models.PositiveIntegerField(unique=True)
    yaml_text = models.TextField("framework YAML")
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    change_summary = models.JSONField(default=dict, blank=True)
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ("-number",)
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="frameworkversion_one_current",
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="frameworkversion_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"framework version {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A published version is the rubric of past reviews; only which one is current may move.
        if not self._state.adding and set(kwargs.get("update_fields") or ()) != {"is_current"}:
            raise ValueError("published framework versions are immutable (only is_current may change)")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("published framework versions are immutable")


class FamilyCoauthor(models.Model):
    """`user` may edit the content (descriptions, behaviours, criteria wording) of one job family."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coauthorships")
    family_id = models.CharField("job family", max_length=64)

    class Meta:
        ordering = ("family_id", "user_id")
        constraints = [
            models.UniqueConstraint(fields=["user", "family_id"], name="familycoauthor_unique"),
            models.CheckConstraint(condition=~models.Q(family_id=""), name="familycoauthor_family_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} co-authors {self.family_id}"


class FrameworkExport(models.Model):
    """One rendered file of a published version or of a draft revision, made by the worker.

    A published version never changes, so each of its formats is rendered once and served from
    here for ever after. A draft's export belongs to one revision (``source_text`` is the draft's
    text at that revision); exports of older revisions are deleted when a newer one is asked for.
    """

    class Format(models.TextChoices):
        YAML = "yaml", "YAML"
        XLSX = "xlsx", "Spreadsheet (XLSX)"
        PDF = "pdf", "PDF"
        MARKDOWN = "md", "Markdown"
        HTML = "html", "Web page (HTML)"
        CSV = "csv", "Table of expectations (CSV)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    version = models.ForeignKey(
        FrameworkVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="exports"
    )
    #: The draft's revision, for an export of the draft (None for a published version).
    draft_revision = models.PositiveIntegerField(null=True, blank=True)
    format = models.CharField(max_length=8, choices=Format.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    #: The draft's text at `draft_revision` and when it was saved (empty for a version).
    source_text = models.TextField(blank=True)
    source_saved_at = models.DateTimeField(null=True, blank=True)
    content = models.BinaryField(default=bytes, editable=False)
    size = models.PositiveIntegerField(default=0)
    #: SHA-256 of `content` in hex: the ETag of the download.
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    #: When a worker took it (an export "rendering" long after that lost its worker).
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["version", "format"],
                condition=models.Q(version__isnull=False),
                name="frameworkexport_one_per_version_format",
            ),
            models.UniqueConstraint(
                fields=["draft_revision", "format"],
                condition=models.Q(draft_revision__isnull=False),
                name="frameworkexport_one_per_revision_format",
            ),
            models.CheckConstraint(
                condition=models.Q(version__isnull=False, draft_revision__isnull=True)
                | models.Q(version__isnull=True, draft_revision__isnull=False),
                name="frameworkexport_version_or_draft",
            ),
            models.CheckConstraint(
                condition=models.Q(format__in=["yaml", "xlsx", "pdf", "md", "html", "csv"]),
                name="frameworkexport_format_known",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "rendering", "ready", "failed"]),
                name="frameworkexport_status_known",
            ),
        ]

    def __str__(self) -> str:
        source = f"version {self.version_id}" if self.version_id else f"draft revision {self.draft_revision}"
        return f"{self.format} export of {source} ({self.status})"
