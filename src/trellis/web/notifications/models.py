"""What was sent to a person: one row per notification, shown in the app and mailed by the worker.

A notification is written in the transaction of what it is about (a cycle opened, a peer asked) and
mailed after that commits (`notifications.tasks.notifications_mail_queued`), which records
`mailed_at` or `mail_error`. `about` names the thing a reminder concerns ("assessment:12"): a
person gets one notification of a kind about one thing, however often the reminder task runs.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from trellis.web.mail import MAIL_ERROR_MAX_LENGTH

NOTIFICATION_TITLE_MAX_LENGTH = 200
NOTIFICATION_BODY_MAX_LENGTH = 2000


class Notification(models.Model):
    class Kind(models.TextChoices):
        CYCLE_OPENED = "cycle_opened", "Review cycle opened"
        ASSESSMENT_DUE = "assessment_due", "Assessment due"
        ASSESSMENT_OVERDUE = "assessment_overdue", "Assessment overdue"
        PEER_FEEDBACK_REQUESTED = "peer_feedback_requested", "Peer feedback requested"
        RESULTS_SHARED = "results_shared", "Results shared"
        NOMINATION_DECIDED = "nomination_decided", "Promotion nomination decided"
        APPLICATION_MOVED = "application_moved", "Internal application moved"

    id = models.BigAutoField(primary_key=True)
    recipient = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    title = models.CharField(max_length=NOTIFICATION_TITLE_MAX_LENGTH)
    body = models.TextField(max_length=NOTIFICATION_BODY_MAX_LENGTH, blank=True)
    #: A path in the app ("/feedback/requests/"); mails prefix it with the base URL.
    link = models.CharField(max_length=500, blank=True)
    about = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)
    mail_error = models.CharField(max_length=MAIL_ERROR_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(condition=~models.Q(title=""), name="notification_title_not_empty"),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "cycle_opened",
                        "assessment_due",
                        "assessment_overdue",
                        "peer_feedback_requested",
                        "results_shared",
                        "nomination_decided",
                        "application_moved",
                    ]
                ),
                name="notification_kind_known",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "about"],
                condition=~models.Q(about=""),
                name="notification_once_per_kind_and_thing",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient"),
            # The header's unread count.
            models.Index(
                fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
