"""Forms of the sign-in pages: every field labelled, e-mail addresses matched without regard to case."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from trellis.web.accounts.models import User, normalize_email

if TYPE_CHECKING:
    # The stubs make the form generic in the user model; Django's class is not subscriptable.
    _SetPasswordForm = SetPasswordForm[User]
else:
    _SetPasswordForm = SetPasswordForm


class _PlainLabels:
    """Labels without Django's trailing colon, as the design writes them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.error_messages = {
            **self.error_messages,
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


class LabelledSetPasswordForm(_PlainLabels, _SetPasswordForm):
    pass
