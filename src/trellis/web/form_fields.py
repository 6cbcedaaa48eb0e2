"""Typed access to form fields whose kind the form itself declared."""

from __future__ import annotations

from django import forms

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
