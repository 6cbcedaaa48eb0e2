"""Editing a person from their profile: HR's page, written through the people services.

Marking a person as having left is not here (it has its own action on the profile); this page
changes name, title, team, manager and level with its effective date, all or nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from trellis.web import policy
from trellis.web.accounts.viewer import signed_in
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.people.forms import PersonEditForm
from trellis.web.people.models import Person
from trellis.web.people.selectors import person_find, person_get, team_name_list
from trellis.web.people.services import LEVEL_DATE_MAX_DAYS_AHEAD, person_edit
from trellis.web.policy import Action


def _initial(person: Person, level: str) -> dict[str, str]:
    return {
        "full_name": person.full_name,
        "title": person.title,
        "team": person.team.name if person.team is not None else "",
        "manager": person.manager.employee_id if person.manager is not None else "",
        "level": level,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def person_edit_page(request: HttpRequest, person_id: int) -> HttpResponse:
    """The edit form of one person (404 for people the viewer may not see, 403 for those they may
    see but not edit); a valid form is saved and the profile shown, a bad one answers 400 with
    each error on its field and nothing changed."""
    user = signed_in(request)
    person = person_get(viewer=user, person_id=person_id)
    policy.require(user, Action.PERSON_UPDATE, person)
    published = framework_published_get(viewer=user)
    framework = published.framework if published is not None else None
    form = PersonEditForm(request.POST or None, framework=framework, person=person)
    form.initial = _initial(person, form.current_level)
    if person.manager is not None:
        form.fields[
            "manager"
        ].help_text = f"Now {person.manager.full_name} ({person.manager.employee_id}). Blank for nobody."
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _save(request, form, person)
            if not form.errors:
                messages.success(request, "Saved.")
                return redirect("people:detail", person_id=person.pk)
        status = 400
    return render(
        request,
        "people/person_edit.html",
        {
            "person": person,
            "form": form,
            "teams": team_name_list(viewer=user),
            "days_ahead": LEVEL_DATE_MAX_DAYS_AHEAD,
        },
        status=status,
    )


def _save(request: HttpRequest, form: PersonEditForm, person: Person) -> None:
    """Save a valid `form`, or add the services' refusals to its fields."""
    user = signed_in(request)
    data = form.cleaned_data
    manager = None
    if data["manager"].strip():
        manager = person_find(viewer=user, reference=data["manager"])
        if manager is None:
            form.add_error(
                "manager", f'nobody has the employee ID or e-mail address "{data["manager"].strip()}"'
            )
            return
    family_id, track_id, level_code = form.level_parts()
    try:
        person_edit(
            actor=user,
            person=person,
            full_name=data["full_name"],
            title=data["title"],
            team_name=data["team"],
            manager=manager,
            family_id=family_id,
            track_id=track_id,
            level_code=level_code,
            level_since=data["level_since"],
        )
    except ValidationError as refused:
        for name, errors in refused.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
