"""The sign-in and password-reset throttles: a documented policy over counted attempts in the
database (`SignInThrottleEvent`), so every worker of the app sees the same counts.

Sign-in: an e-mail address with ``SIGN_IN_FAILURES_PER_ACCOUNT`` failed sign-ins, or a client
address with ``SIGN_IN_FAILURES_PER_ADDRESS`` (across any e-mail addresses), within the last
``SIGN_IN_LOCKOUT_SECONDS`` is locked: every attempt, even with the right password, is refused with
`LOCKED_OUT_MESSAGE` until enough of those failures are older than the window. Refused attempts are
not counted, so the lockout ends on time however often it is probed. Addresses that belong to no
account are counted like any other, so the lockout does not tell whether an account exists.

Password reset: at most ``PASSWORD_RESET_MAILS_PER_ACCOUNT`` requests per e-mail address and
``PASSWORD_RESET_REQUESTS_PER_ADDRESS`` per client address within
``PASSWORD_RESET_THROTTLE_SECONDS``; beyond that the page answers as usual but sends no mail.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from trellis.web.accounts.models import SignInThrottleEvent

Kind = SignInThrottleEvent.Kind


def locked_out_message() -> str:
    """What a refused sign-in says: the same whether or not the account exists."""
    minutes = max(1, round(settings.SIGN_IN_LOCKOUT_SECONDS / 60))
    return (
        "Too many failed sign-ins for this e-mail address or from your network. "
        f"Wait {minutes} minutes and try again, or reset your password."
    )


def _digest(email: str) -> str:
    return salted_hmac("trellis.accounts.throttle", email, algorithm="sha256").hexdigest()


def _count(kind: str, window_seconds: int, *, email: str | None = None, ip: str | None = None) -> int:
    since = timezone.now() - timedelta(seconds=window_seconds)
    # Counted by e-mail address when one is given, else by client address.
    key = {"email_digest": _digest(email)} if email is not None else {"ip": ip}
    return SignInThrottleEvent.objects.filter(kind=kind, created_at__gt=since, **key).count()


def _record(kind: str, window_seconds: int, *, email: str, ip: str | None) -> None:
    # Rows older than the window never count again; dropping them here keeps the table small.
    SignInThrottleEvent.objects.filter(
        kind=kind, created_at__lte=timezone.now() - timedelta(seconds=window_seconds)
    ).delete()
    SignInThrottleEvent.objects.create(kind=kind, email_digest=_digest(email), ip=ip)


def sign_in_locked(email: str, ip: str | None) -> bool:
    """Whether sign-in with `email` (normalized) from `ip` is refused for now."""
    window = settings.SIGN_IN_LOCKOUT_SECONDS
    if _count(Kind.SIGN_IN_FAILURE, window, email=email) >= settings.SIGN_IN_FAILURES_PER_ACCOUNT:
        return True
    return (
        ip is not None
        and _count(Kind.SIGN_IN_FAILURE, window, ip=ip) >= settings.SIGN_IN_FAILURES_PER_ADDRESS
    )


def record_sign_in_failure(email: str, ip: str | None) -> None:
    """Count one failed sign-in with `email` (normalized) from `ip`."""
    _record(Kind.SIGN_IN_FAILURE, settings.SIGN_IN_LOCKOUT_SECONDS, email=email, ip=ip)


def allow_password_reset(email: str, ip: str | None) -> bool:
    """Whether a reset mail for `email` (normalized) requested from `ip` may be sent; when it may,
    the request is counted."""
    window = settings.PASSWORD_RESET_THROTTLE_SECONDS
    if _count(Kind.PASSWORD_RESET, window, email=email) >= settings.PASSWORD_RESET_MAILS_PER_ACCOUNT:
        return False
    if (
        ip is not None
        and _count(Kind.PASSWORD_RESET, window, ip=ip) >= settings.PASSWORD_RESET_REQUESTS_PER_ADDRESS
    ):
        return False
    _record(Kind.PASSWORD_RESET, window, email=email, ip=ip)
    return True
