"""Forms of the sign-in pages: every field labelled, e-mail addresses matched without regard to case."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.http import HttpRequest

from trellis.web.accounts import throttle
from trellis.web.accounts.models import User, normalize_email
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.middleware import client_ip
from trellis.web.audit.services import audit_record

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

    def clean(self) -> dict[str, Any]:
        """Django's check of the password, behind the lockout (`throttle`): a locked e-mail address
        or client address is refused before its password is tried, and each failure is counted.
        Failures and lockouts are audited with the account they name, if any; never the password."""
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not email or password is None:
            return self.cleaned_data
        ip = client_ip(self.request) if self.request is not None else None
        if throttle.sign_in_locked(email, ip):
            raise self._locked_out(email)
        self.user_cache = authenticate(self.request, username=email, password=password)
        if self.user_cache is None:
            throttle.record_sign_in_failure(email, ip)
            self._audit(AuditAction.USER_SIGN_IN_FAILED, email)
            if throttle.sign_in_locked(email, ip):
                raise self._locked_out(email)
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def _locked_out(self, email: str) -> forms.ValidationError:
        self._audit(AuditAction.USER_LOCKED_OUT, email)
        return forms.ValidationError(throttle.locked_out_message(), code="locked_out")

    def _audit(self, action: AuditAction, email: str) -> None:
        account = User.objects.filter(email=email).first()
        audit_record(actor=None, action=action, target=account, request=self.request)


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

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Send the reset mail unless the e-mail address or the client address has had its share
        (`throttle.allow_password_reset`); the page says the same either way."""
        request: HttpRequest | None = kwargs.get("request")
        ip = client_ip(request) if request is not None else None
        if throttle.allow_password_reset(self.cleaned_data["email"], ip):
            super().save(*args, **kwargs)


class LabelledSetPasswordForm(_PlainLabels, _SetPasswordForm):
    pass


class AccountStatusForm(_PlainLabels, forms.Form):
    """Deactivate or reactivate one account, saying why (the reason is kept with the change)."""

    reason = forms.CharField(
        label="Reason",
        max_length=1000,
        help_text="Kept with the change, for the admins who manage accounts.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


#: What the roles page appoints: the two roles held on the account, and co-authorship of a family.
ROLE_CHOICES = [
    ("is_hr_admin", "HR admin"),
    ("is_it_admin", "IT admin"),
    ("coauthor", "Co-author of a family"),
]


class RoleAddForm(_PlainLabels, forms.Form):
    """Appoint an active account to a role; the family is the co-authored one (for co-authors)."""

    # The least powerful role is the one picked unless HR chooses another.
    role = forms.ChoiceField(label="Role", choices=ROLE_CHOICES, initial="coauthor")
    email = forms.EmailField(
        label="E-mail address of the account",
        max_length=254,
        help_text="Someone who can sign in (an active account).",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "list": "active-accounts"}),
    )
    family = forms.ChoiceField(label="Family (for a co-author)", required=False, choices=[])

    def __init__(self, *args: Any, families: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        family_field = self.fields["family"]
        assert isinstance(family_field, forms.ChoiceField)
        family_field.choices = [("", "—"), *families]

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email = cleaned.get("email")
        if email:
            account = User.objects.filter(email=email, is_active=True).first()
            if account is None:
                self.add_error("email", "no active account has that e-mail address")
            cleaned["user"] = account
        if cleaned.get("role") == "coauthor" and not cleaned.get("family"):
            self.add_error("family", "choose the family they co-author")
        return cleaned


class RoleRemoveForm(forms.Form):
    """Remove one role from one account (the buttons of the roles page)."""

    role = forms.ChoiceField(choices=ROLE_CHOICES)
    user = forms.ModelChoiceField(queryset=User.objects.all())
    family = forms.CharField(required=False, max_length=64)
