"""What the classification calls structural only HR changes, in the browser as in the service: the
probe that set a promotion's thresholds, floors, required competencies and time at the next level to
nothing, and every expected proficiency to 1, as a co-author — each refused with nothing stored —
and HR doing the same."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from trellis.framework import wording
from trellis.framework.editing import ExpectationAddress, PromotionAddress, SetFields
from trellis.framework.model import PromotionCriteria
from trellis.framework.yaml_io import loads
from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.authoring_support import STRUCTURE_HELP, STRUCTURE_REFUSED
from trellis.web.frameworks.models import FrameworkDraft, FrameworkVersion
from trellis.web.frameworks.services import framework_draft_edit

pytestmark = pytest.mark.django_db

ENGINEERING = "/framework/authoring/edit/families/engineering"
#: The starter's criteria from IC3 to IC4 have every part: thresholds, a required competency, time.
PROMOTION = f"{ENGINEERING}/promotions/IC3/IC4/"
BEHAVIOURS = f"{ENGINEERING}/tracks/ic/behaviours/communication/"


@pytest.fixture(autouse=True)
def _published(published_framework: FrameworkVersion) -> None:
    """Version 1 is published; the draft is at revision 3."""


def draft() -> FrameworkDraft:
    return FrameworkDraft.objects.get()


def snapshot() -> tuple[object, ...]:
    return (
        list(FrameworkDraft.objects.values_list("yaml_text", "status", "revision", "updated_by")),
        AuditEvent.objects.count(),
    )


def criteria() -> PromotionCriteria:
    family = loads(draft().yaml_text).family("engineering")
    assert family is not None
    return next(c for c in family.promotions if (c.from_level, c.to_level) == ("IC3", "IC4"))


def promotion_data(**changes: str) -> dict[str, str]:
    """The promotion form as the page shows it, with `changes`."""
    shown = criteria()
    time = shown.time_at_next_level
    assert time is not None
    data = {
        "operation": "save",
        "revision": str(draft().revision),
        "min_average": wording.number(shown.min_average or 0),
        "floor": wording.number(shown.floor or 0),
        "required": "\n".join(f"{r.competency}: {wording.number(r.minimum)}" for r in shown.required),
        "time_count": str(time.count),
        "time_unit": time.unit.value,
        "scope_evidence": "\n".join(shown.scope_evidence),
        "outcomes": "\n".join(shown.outcomes),
    }
    data.update({"manager_endorsement": "on"} if shown.manager_endorsement else {})
    data.update({"calibration": "on"} if shown.calibration else {})
    data.update(changes)
    return data


def proficiencies() -> dict[str, int]:
    track = loads(draft().yaml_text).family("engineering").track("ic")  # type: ignore[union-attr]
    return {code: e.proficiency for code, e in track.expectations["communication"].items()}


def behaviours_data(proficiency: str | None = None) -> dict[str, str]:
    """The behaviours form as the page shows it, every proficiency set to `proficiency` if given."""
    track = loads(draft().yaml_text).family("engineering").track("ic")  # type: ignore[union-attr]
    data = {"operation": "save", "revision": str(draft().revision)}
    for code, expectation in track.expectations["communication"].items():
        data[f"{code}-proficiency"] = proficiency or str(expectation.proficiency)
        data[f"{code}-behaviour"] = expectation.behaviour
    return data


def field_errors(response: Any, name: str) -> list[str]:
    errors = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', response.content.decode())
    return re.findall(r"<li>(.*?)</li>", errors[1]) if errors else []


#: The probe: (form field, posted value, the model field it sets).
PROBES = [
    ("min_average", "0", "min_average"),
    ("floor", "0", "floor"),
    ("required", "", "required"),
    ("time_count", "0", "time_at_next_level"),
    ("time_count", "", "time_at_next_level"),
]


@pytest.mark.parametrize(("name", "value", "model_field"), PROBES)
def test_a_coauthor_cannot_lower_a_promotions_thresholds(
    login: Any, coauthor: User, name: str, value: str, model_field: str
) -> None:
    before = snapshot()
    response = login(coauthor).post(PROMOTION, promotion_data(**{name: value}))
    assert response.status_code == 403
    assert field_errors(response, name) == [STRUCTURE_REFUSED]
    assert snapshot() == before


@pytest.mark.parametrize(("name", "value", "model_field"), PROBES[:3] + PROBES[4:])
def test_hr_changes_a_promotions_thresholds(
    login: Any, hr_admin: User, name: str, value: str, model_field: str
) -> None:
    response = login(hr_admin).post(PROMOTION, promotion_data(**{name: value}))
    assert response.status_code == 302
    expected = {"min_average": 0.0, "floor": 0.0, "required": [], "time_at_next_level": None}
    assert getattr(criteria(), model_field) == expected[model_field]
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None
    assert (event.action, event.actor_id, event.fields) == (
        "framework.draft_edited",
        hr_admin.pk,
        [f"engineering/IC3->IC4.{model_field}"],
    )


def test_a_coauthor_cannot_set_every_proficiency_to_one(login: Any, coauthor: User) -> None:
    before = snapshot()
    response = login(coauthor).post(BEHAVIOURS, behaviours_data(proficiency="1"))
    assert response.status_code == 403
    changed = [code for code, proficiency in proficiencies().items() if proficiency != 1]
    for code in changed:
        assert field_errors(response, f"{code}-proficiency") == [STRUCTURE_REFUSED]
    assert changed and snapshot() == before


def test_the_behaviours_page_tells_a_coauthor_who_changes_proficiencies(
    login: Any, coauthor: User, hr_admin: User
) -> None:
    note = "The expected proficiencies are part of the structure: you see them here, and HR changes them."
    assert note in login(coauthor).get(BEHAVIOURS).content.decode()
    assert note not in login(hr_admin).get(BEHAVIOURS).content.decode()


def test_hr_sets_every_proficiency_to_one(login: Any, hr_admin: User) -> None:
    response = login(hr_admin).post(BEHAVIOURS, behaviours_data(proficiency="1"))
    assert response.status_code == 302
    assert set(proficiencies().values()) == {1}


def test_a_coauthor_still_saves_wording_beside_the_values_they_may_not_change(
    login: Any, coauthor: User
) -> None:
    """The page as a browser posts it: the disabled fields are not sent at all."""
    data = {
        key: value
        for key, value in promotion_data(scope_evidence="Led the migration of a service.").items()
        if key in ("operation", "revision", "scope_evidence", "outcomes")
    }
    before = criteria()
    response = login(coauthor).post(PROMOTION, data)
    assert response.status_code == 302
    after = criteria()
    assert after.scope_evidence == ["Led the migration of a service."]
    assert after.model_copy(update={"scope_evidence": before.scope_evidence}) == before


@pytest.mark.parametrize(
    ("page", "names"),
    [
        (
            PROMOTION,
            [
                "min_average",
                "floor",
                "required",
                "time_count",
                "time_unit",
                "manager_endorsement",
                "calibration",
            ],
        ),
        (BEHAVIOURS, ["IC1-proficiency", "IC6-proficiency"]),
        (f"{ENGINEERING}/tracks/ic/levels/IC3/", ["grade", "band_minimum", "min_months_in_level"]),
    ],
)
def test_a_coauthor_sees_the_structure_read_only_and_hr_may_change_it(
    login: Any, coauthor: User, hr_admin: User, page: str, names: list[str]
) -> None:
    coauthors = login(coauthor).get(page).content.decode()
    for name in names:
        assert re.search(rf'<(input|select|textarea)[^>]* name="{name}"[^>]* disabled', coauthors), name
    assert coauthors.count(STRUCTURE_HELP) >= len(names)
    hrs = login(hr_admin).get(page).content.decode()
    assert " disabled" not in hrs
    assert STRUCTURE_HELP not in hrs


@pytest.mark.parametrize(
    ("address", "values"),
    [
        (PromotionAddress("engineering", "IC3", "IC4"), {"min_average": 0.0}),
        (PromotionAddress("engineering", "IC3", "IC4"), {"floor": 0.0}),
        (PromotionAddress("engineering", "IC3", "IC4"), {"required": []}),
        (PromotionAddress("engineering", "IC3", "IC4"), {"time_at_next_level": None}),
        (ExpectationAddress("engineering", "ic", "communication", "IC3"), {"proficiency": 1}),
    ],
)
def test_the_service_refuses_a_coauthors_structural_edit(
    coauthor: User, hr_admin: User, address: Any, values: dict[str, Any]
) -> None:
    before = snapshot()
    with pytest.raises(PermissionDenied):
        framework_draft_edit(
            actor=coauthor, edits=[SetFields(address, values)], expected_revision=draft().revision
        )
    assert snapshot() == before
    result = framework_draft_edit(
        actor=hr_admin, edits=[SetFields(address, values)], expected_revision=draft().revision
    )
    assert result.changed and result.structural
