"""Sending a batch of mails one by one over one connection, each recorded on its own row.

The one loop behind every mail the app sends from a stored row (an invitation, a notification):
each row has ``mailed_at`` and ``mail_error``. A message the server refuses for its address fails
alone (its row says why) and the others still go; a failure of the connection fails that message
and every one after it, each row recording the error. No transaction is held open while mailing.
"""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.mail import EmailMessage, get_connection
from django.db import models
from django.utils import timezone

#: The longest mail error a row keeps (`mail_error` fields are this long).
MAIL_ERROR_MAX_LENGTH = 500


def mail_error_text(failure: Exception) -> str:
    """The mail server's error as a row stores it and a page shows it."""
    if isinstance(failure, smtplib.SMTPRecipientsRefused):
        texts = [reply.decode(errors="replace") for _, reply in failure.recipients.values()]
        text = "refused: " + "; ".join(texts)
    else:
        text = str(failure) or type(failure).__name__
    return text[:MAIL_ERROR_MAX_LENGTH]


@dataclass(frozen=True, slots=True)
class MailResult:
    """What the sender did: the ids of the rows mailed, of those it could not mail, and the mail
    server's error that stopped it or, if none did, its last refusal of an address (empty when
    every mail went)."""

    sent: list[int]
    failed: list[int]
    error: str = ""


def mail_each(model: type[models.Model], messages: Sequence[tuple[int, EmailMessage]]) -> MailResult:
    """Send each (row id, message) over one connection, recording on `model`'s row `mailed_at`
    when it went or `mail_error` why not."""
    rows = model._default_manager
    sent: list[int] = []
    refused: list[int] = []
    error = refusal_text = ""
    try:
        with get_connection() as connection:
            for pk, message in messages:
                # One at a time on the open connection, to record each one that went.
                try:
                    went = connection.send_messages([message])
                except smtplib.SMTPRecipientsRefused as refusal:
                    # The server refuses this address only: the connection goes on with the others.
                    refusal_text = mail_error_text(refusal)
                    rows.filter(pk=pk).update(mail_error=refusal_text)
                    refused.append(pk)
                    continue
                if went:
                    rows.filter(pk=pk).update(mailed_at=timezone.now(), mail_error="")
                    sent.append(pk)
    except (smtplib.SMTPException, OSError) as failure:
        error = mail_error_text(failure)
    done = set(sent) | set(refused)
    stopped = [pk for pk, _ in messages if pk not in done]
    if stopped:
        error = error or "the mail backend sent nothing"
        rows.filter(pk__in=stopped).update(mail_error=error)
    mailed = set(sent)
    failed = [pk for pk, _ in messages if pk not in mailed]
    return MailResult(sent=sent, failed=failed, error=(error or refusal_text) if failed else "")
