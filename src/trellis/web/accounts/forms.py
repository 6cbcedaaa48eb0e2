"""Forms of the sign-in pages: every field labelled, e-mail addresses matched without regard to case."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from trellis.web.accounts.models import normalize_email


class _PlainLabels:
    """Labels without Django's trailing colon, as the design writes them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]


class EmailAuthenticationForm(_PlainLabels, AuthenticationForm):
    """Sign in with e-mail address and password."""

    username = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages: ClassVar[dict[str, str]] = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That e-mail address and password do not match an active account.",
    }

    def clean_username(self) -> str:
        return normalize_email(self.cleaned_data["username"])


class EmailPasswordResetForm(_PlainLabels, PasswordResetForm):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data["email"])

    def get_users(self, email: str) -> Any:
        return super().get_users(normalize_email(email))


class LabelledSetPasswordForm(_PlainLabels, SetPasswordForm):  # type: ignore[type-arg]
    pass
