"""Typed access to form fields whose kind the form itself declared."""

from __future__ import annotations

from django import forms


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The field `name` of `form`, declared as a choice field: for setting choices known only when
    the form is made (the framework's families, a track's levels). TypeError for any other field."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a choice field")
    return field
