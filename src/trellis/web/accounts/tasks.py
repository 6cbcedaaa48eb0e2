"""Background work of the accounts app (django-tasks; `trellis worker` runs the queue).

Tasks are enqueued when the transaction that asked for them commits (see
`accounts.invitations.invitation_send_to_everyone_without_sign_in`), never from signals.
"""

from __future__ import annotations

from django_tasks import task

from trellis.web.accounts.invitations import invitations_mail


@task()
def invitations_mail_queued(*, invitation_ids: list[int], base_url: str) -> str:
    """Mail the invitations of one bulk invite over one connection (`invitations_mail`): each
    records its mail sent or why not; returns "sent N, failed M". Its arguments hold ids and the
    base URL of the links, never a token."""
    result = invitations_mail(invitation_ids=invitation_ids, base_url=base_url)
    return f"sent {len(result.sent)}, failed {len(result.failed)}"
