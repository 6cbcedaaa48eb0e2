"""People and the organisation: employees, their teams, reporting lines and level history.

A person's place in the framework is stored as the framework's own identifiers (family id, track
id, level code) rather than as foreign keys: the framework is a published document, not tables, and
a person keeps their level when a new version rewords it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from trellis.organisation.person_fields import MAX_LENGTHS


class Team(models.Model):
    name = models.CharField(max_length=MAX_LENGTHS["team"], unique=True)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="team_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """An employee: where they sit in the framework, since when, on which team, reporting to whom.

    Reporting lines are kept acyclic by `people.services.person_set_manager`; the database refuses
    the one cycle it can see on a single row (a person managing themselves).
    """

    employee_id = models.CharField(
        "employee ID",
        max_length=MAX_LENGTHS["employee_id"],
        unique=True,
        help_text="The identifier used by the HR system.",
    )
    email = models.EmailField("e-mail address", max_length=MAX_LENGTHS["email"], unique=True)
    full_name = models.CharField("full name", max_length=MAX_LENGTHS["full_name"])
    title = models.CharField("job title", max_length=MAX_LENGTHS["title"], blank=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    family_id = models.CharField("job family", max_length=64)
    track_id = models.CharField("track", max_length=64)
    level_code = models.CharField("level", max_length=32)
    level_since = models.DateField("at this level since")
    manager = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        # Reports must be moved to a new manager first; deleting a manager must not silently cut
        # the reporting lines of their team.
        on_delete=models.PROTECT,
        related_name="reports",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    hired_on = models.DateField("hired on", null=True, blank=True)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ("full_name", "employee_id")
        verbose_name_plural = "people"
        indexes = [
            # Covers the HR overview's company-wide count by level and time in level, so the
            # database answers it from the index alone (about half the time at 10,000 people).
            models.Index(
                fields=["family_id", "track_id", "level_code", "is_active", "level_since"],
                name="person_level_overview",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(manager=models.F("pk")), name="person_not_own_manager"
            ),
            models.CheckConstraint(condition=~models.Q(employee_id=""), name="person_employee_id_not_empty"),
            models.CheckConstraint(condition=models.Q(email=Lower("email")), name="person_email_lower_case"),
            models.CheckConstraint(
                condition=~models.Q(family_id="") & ~models.Q(track_id="") & ~models.Q(level_code=""),
                name="person_has_level",
            ),
            models.CheckConstraint(
                condition=models.Q(hired_on__isnull=True) | models.Q(level_since__gte=models.F("hired_on")),
                name="person_level_since_not_before_hire",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.employee_id})"

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()
        self.employee_id = self.employee_id.strip()

    def time_in_level(self, today: datetime.date) -> datetime.timedelta:
        return today - self.level_since


class PersonChange(models.Model):
    """One change of level or manager, written by the service that made it.

    Values are stable identifiers so that history reads the same after renames: a level is
    ``family/track/level`` (``engineering/ic/IC4``), a manager is their employee ID; empty means none.
    """

    class Kind(models.TextChoices):
        LEVEL = "level", "Level"
        MANAGER = "manager", "Manager"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    old_value = models.CharField(max_length=200, blank=True)
    new_value = models.CharField(max_length=200, blank=True)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-changed_at", "-id")
        indexes = [models.Index(fields=["person", "-changed_at"], name="person_change_newest_first")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["level", "manager"]), name="personchange_kind_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(old_value=models.F("new_value")), name="personchange_changes_something"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}: {self.old_value or '-'} → {self.new_value or '-'}"


def level_key(family_id: str, track_id: str, level_code: str) -> str:
    """How a level is written in history: ``engineering/ic/IC4``."""
    return f"{family_id}/{track_id}/{level_code}"


class ImportJob(models.Model):
    """One import of people from an HRIS export, from upload to result.

    The job keeps the file as read (`table`: headers and rows as text, formula-like cells already
    blanked, see `trellis.organisation.import_reading`), the column `mapping` the importer chose, the dry-run
    `preview` (one entry per row: outcome, changes or problems) and, once applied, the `result`.
    The table is emptied when the job ends; the preview stays as the record of what was done.
    A file larger than ``PEOPLE_IMPORT_BACKGROUND_BYTES`` is read by a worker: until then the job
    is ``reading`` and its bytes wait in an `ImportUpload`, deleted once read.

    `status` moves only by conditional updates (``UPDATE … WHERE status = …``), so two
    clicks on "import" cannot apply a file twice. `processed_rows` counts the rows written so far
    while a background worker applies the file, and `heartbeat_at` says when it last showed it
    was alive.
    """

    class Status(models.TextChoices):
        READING = "reading", "Reading the file"
        MAPPING = "mapping", "Columns to confirm"
        CHECKING = "checking", "Checking the rows"
        PREVIEWED = "previewed", "Preview ready"
        QUEUED = "queued", "Waiting for a worker"
        APPLYING = "applying", "Importing"
        APPLIED = "applied", "Imported"
        FAILED = "failed", "Stopped; nothing changed"
        DISCARDED = "discarded", "Discarded"

    #: Statuses in which the job is over and its table has been emptied.
    FINISHED = (Status.APPLIED, Status.DISCARDED)
    #: Statuses in which a worker has the job (or is about to).
    RUNNING = (Status.READING, Status.CHECKING, Status.QUEUED, Status.APPLYING)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField("file name", max_length=255)
    table = models.JSONField(default=dict, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    mapping = models.JSONField(default=dict, blank=True)
    #: How the file's numeric dates (03/04/2024) are read: a `trellis.organisation.import_values.DateFormat`.
    date_format = models.CharField(max_length=16, default="detect")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.MAPPING)
    preview = models.JSONField(default=list, blank=True)
    #: Rows per outcome in the preview: {"create": n, "update": n, "unchanged": n, "reject": n}.
    summary = models.JSONField(default=dict, blank=True)
    #: Who asked for the preview (a large file is checked by a worker, on their behalf).
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Whether the importer chose to import only the valid rows of a file with rejected rows.
    only_valid_rows = models.BooleanField(default=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: Rows to write (created or updated). `processed_rows` counts the rows done so far by a worker:
    #: checked while the job is checking, written while it is applying.
    rows_to_apply = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    #: What was written: {"created": n, "updated": n, "unchanged": n, "rejected": n, "teams_created": n}.
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    #: When the worker reading, checking or applying the job last showed it was alive. A job running with
    #: an older heartbeat than ``PEOPLE_IMPORT_WORKER_TIMEOUT`` lost its worker, and is marked
    #: failed (`people.import_services.import_jobs_fail_abandoned`).
    heartbeat_at = models.DateTimeField("worker last seen", null=True, blank=True)
    #: The background task's id (django-tasks), to find it in the queue.
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "reading",
                        "mapping",
                        "checking",
                        "previewed",
                        "queued",
                        "applying",
                        "applied",
                        "failed",
                        "discarded",
                    ]
                ),
                name="importjob_status_known",
            ),
            models.CheckConstraint(condition=~models.Q(file_name=""), name="importjob_file_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"import {self.pk} of {self.file_name} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def is_read(self) -> bool:
        """Whether the file was read into `table` (a readable file has at least one row; a job
        whose file could not be read by the worker has none, and only a new upload helps it)."""
        return self.row_count > 0

    @property
    def rows_to_process(self) -> int:
        """The rows the worker goes through: all of them to check, the accepted ones to write."""
        return self.row_count if self.status == self.Status.CHECKING else self.rows_to_apply

    @property
    def percent_done(self) -> int:
        if not self.rows_to_process:
            return 100 if self.status == self.Status.APPLIED else 0
        return min(100, self.processed_rows * 100 // self.rows_to_process)


class ImportUpload(models.Model):
    """The bytes of an uploaded file too large to read within the request, kept only until the
    worker reads them (`people.import_services.import_job_read`), then deleted whatever the outcome.

    A table of its own, so that loading a job never loads its upload.
    """

    job = models.OneToOneField(ImportJob, on_delete=models.CASCADE, primary_key=True, related_name="upload")
    data = models.BinaryField()

    def __str__(self) -> str:
        return f"upload of import {self.job_id}"


class EmploymentChange(models.Model):
    """A person leaving or rejoining the company: when, why (optional, HR's words), by whom, and
    how (`source`). Written with the change of `Person.is_active` by `people.leaving`, which also
    ends or restores the person's sign-in (`accounts.leaving`). Readable by HR only."""

    class Kind(models.TextChoices):
        LEFT = "left", "Left"
        REJOINED = "rejoined", "Rejoined"

    class Source(models.TextChoices):
        PROFILE = "profile", "Marked on the profile"
        EDIT = "edit", "Edited"
        IMPORT = "import", "Imported"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employment_changes")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    effective_on = models.DateField("effective on")
    reason = models.TextField(blank=True, max_length=1000)
    source = models.CharField(max_length=16, choices=Source.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-changed_at", "-id")
        indexes = [models.Index(fields=["person", "-changed_at"], name="employment_change_newest_first")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["left", "rejoined"]), name="employmentchange_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=["profile", "edit", "import"]),
                name="employmentchange_source_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} on {self.effective_on}"
