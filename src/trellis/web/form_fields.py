"""Typed access to form fields whose kind the form itself declared, and a service's refusal put
on the form that sent it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

#: What a file input for a spreadsheet upload offers to choose: CSV and XLSX files.
SPREADSHEET_ACCEPT = (
    ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The field `name` of `form`, declared as a choice field: for setting choices known only when
    the form is made (the framework's families, a track's levels). TypeError for any other field."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a choice field")
    return field


def add_service_errors(form: forms.BaseForm, refused: ValidationError) -> None:
    """Put a service's ValidationError on `form`: each message beside the field it names, and on
    the form as a whole when it names no field of the form (or no field at all)."""
    if hasattr(refused, "error_dict"):
        for name, errors in refused.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, refused.messages)
