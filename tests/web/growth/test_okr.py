"""The OKR tree: company objectives (HR), team objectives under them (managers), personal ones under
those (anyone), key results measured from a start toward a target, progress rolling up over what the
viewer may read; validation errors naming the field; personal objectives read by their owner's
chain and HR only."""

from __future__ import annotations

import datetime
import html as markup
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.growth import okr_services
from trellis.web.growth.models import KeyResult, Objective
from trellis.web.growth.okr_selectors import objective_tree_get

from ..conftest import HttpsClient

pytestmark = pytest.mark.django_db

JAN, DEC = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def signed_in(user: User) -> Client:
    client = HttpsClient()
    client.force_login(user)
    return client


def text_of(html: str) -> str:
    return " ".join(markup.unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def tree(hr_admin: User, manager: User, employee: User) -> dict[str, object]:
    """A company objective (two key results: one half-way, one not measured), the manager's team
    objective under it (one key result, done) and the employee's personal objective under that (one
    key result at a quarter)."""
    company = okr_services.objective_create(
        actor=hr_admin, level="company", title="Grow revenue", parent=None, starts_on=JAN, ends_on=DEC
    )
    arr = okr_services.key_result_create(
        actor=hr_admin, objective=company, title="ARR", start_value=10, target_value=20, unit="M€"
    )
    okr_services.key_result_measure(actor=hr_admin, key_result=arr, current_value=15)
    okr_services.key_result_create(
        actor=hr_admin, objective=company, title="Churn", start_value=8, target_value=4
    )
    team = okr_services.objective_create(
        actor=manager, level="team", title="Ship billing v2", parent=company, starts_on=JAN, ends_on=DEC
    )
    launch = okr_services.key_result_create(
        actor=manager, objective=team, title="Launch", start_value=0, target_value=1
    )
    okr_services.key_result_measure(actor=manager, key_result=launch, current_value=1)
    personal = okr_services.objective_create(
        actor=employee,
        level="personal",
        title="Own invoicing",
        parent=team,
        starts_on=JAN,
        ends_on=DEC,
        weight=3,
    )
    tests = okr_services.key_result_create(
        actor=employee, objective=personal, title="Tests written", start_value=0, target_value=40
    )
    okr_services.key_result_measure(actor=employee, key_result=tests, current_value=10)
    return {"company": company, "team": team, "personal": personal, "arr": arr, "tests": tests}


def progress(nodes: list, found: dict[str, float | None] | None = None) -> dict[str, float | None]:
    found = {} if found is None else found
    for node in nodes:
        found[node.objective.title] = node.progress
        progress(node.children, found)
    return found


def test_progress_rolls_up_through_the_tree(tree: dict[str, object], manager: User) -> None:
    # Personal: 10/40 = 0.25. Team: (launch 1.0 + personal 0.25 × 3) / 4 = 0.4375. Company: ARR 0.5,
    # churn not measured (left out), team 0.4375 → (0.5 + 0.4375) / 2 = 0.46875.
    assert progress(objective_tree_get(viewer=manager)) == {
        "Grow revenue": pytest.approx(0.46875),
        "Ship billing v2": pytest.approx(0.4375),
        "Own invoicing": pytest.approx(0.25),
    }


def test_personal_objectives_stay_in_the_owners_chain(
    tree: dict[str, object], outsider: User, other_manager: User, skip_level_manager: User
) -> None:
    # Not visible to the outsider: the team objective's progress is its own key result alone.
    assert progress(objective_tree_get(viewer=outsider)) == {"Grow revenue": 0.75, "Ship billing v2": 1.0}
    assert "Own invoicing" in progress(objective_tree_get(viewer=skip_level_manager))
    page = signed_in(other_manager).get("/growth/objectives/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ship billing v2" in html and "Own invoicing" not in html
    personal = tree["personal"]
    assert signed_in(outsider).post(f"/growth/objectives/{personal.pk}/key-results/", {}).status_code == 404  # type: ignore[attr-defined]


def test_the_page_shows_each_figure_in_words(tree: dict[str, object], employee: User) -> None:
    text = text_of(signed_in(employee).get("/growth/objectives/").content.decode())
    assert "Company Grow revenue 47% 47% · 1 Jan 2026 to 31 Dec 2026" in text
    assert "Churn 8 4 not measured not started" in text
    # The employee records the values of their own key results only.
    html = signed_in(employee).get("/growth/objectives/").content.decode()
    tests = tree["tests"]
    arr = tree["arr"]
    assert f'action="/growth/key-results/{tests.pk}/"' in html  # type: ignore[attr-defined]
    assert f'action="/growth/key-results/{arr.pk}/"' not in html  # type: ignore[attr-defined]


def test_who_creates_which_level(hr_admin: User, manager: User, employee: User) -> None:
    with pytest.raises(PermissionDenied):
        okr_services.objective_create(
            actor=manager, level="company", title="Mine", parent=None, starts_on=JAN, ends_on=DEC
        )
    company = okr_services.objective_create(
        actor=hr_admin, level="company", title="Grow", parent=None, starts_on=JAN, ends_on=DEC
    )
    with pytest.raises(PermissionDenied):
        okr_services.objective_create(
            actor=employee, level="team", title="Team", parent=company, starts_on=JAN, ends_on=DEC
        )
    with pytest.raises(ValidationError) as refused:
        okr_services.objective_create(
            actor=employee, level="personal", title="Me", parent=company, starts_on=JAN, ends_on=DEC
        )
    assert refused.value.message_dict == {
        "parent": ["A personal objective hangs from a team objective: choose one."]
    }
    with pytest.raises(ValidationError) as refused:
        okr_services.objective_create(
            actor=manager, level="team", title="Team", parent=company, starts_on=DEC, ends_on=JAN
        )
    assert refused.value.message_dict == {"ends_on": ["The end comes before the start."]}
    assert Objective.objects.count() == 1
    assert AuditEvent.objects.filter(action="objective.created").count() == 1


def test_a_bad_objective_form_names_its_field_and_stores_nothing(
    hr_admin: User, manager: User, employee: User
) -> None:
    okr_services.objective_create(
        actor=hr_admin, level="company", title="Grow", parent=None, starts_on=JAN, ends_on=DEC
    )
    response = signed_in(manager).post(
        "/growth/objectives/new/",
        {
            "objective-level": "team",
            "objective-title": "Ship",
            "objective-parent": "",
            "objective-starts_on": "2026-01-01",
            "objective-ends_on": "2026-06-30",
            "objective-weight": "1",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(
        r'id="id_objective-parent_error".*A team objective hangs from a company objective', html, re.S
    )
    response = signed_in(manager).post(
        "/growth/objectives/new/", {"objective-level": "company", "objective-title": "Mine"}
    )
    assert response.status_code == 400
    assert "Select a valid choice. company is not one of the available choices." in response.content.decode()
    assert Objective.objects.count() == 1


def test_recording_a_value_and_refusing_what_is_not_a_number(tree: dict[str, object], employee: User) -> None:
    tests: KeyResult = tree["tests"]  # type: ignore[assignment]
    client = signed_in(employee)
    response = client.post(f"/growth/key-results/{tests.pk}/", {f"measure-{tests.pk}-current_value": "many"})
    assert response.status_code == 400 and "Enter a number." in response.content.decode()
    tests.refresh_from_db()
    assert tests.current_value == 10
    response = client.post(f"/growth/key-results/{tests.pk}/", {f"measure-{tests.pk}-current_value": "30"})
    assert (
        response.status_code == 302
        and response["Location"] == f"/growth/objectives/#objective-{tests.objective_id}"
    )
    tests.refresh_from_db()
    assert tests.current_value == 30
    arr: KeyResult = tree["arr"]  # type: ignore[assignment]
    assert (
        client.post(f"/growth/key-results/{arr.pk}/", {f"measure-{arr.pk}-current_value": "1"}).status_code
        == 403
    )
    arr.refresh_from_db()
    assert arr.current_value == 15


def test_a_goal_may_serve_a_key_result_the_person_may_read(
    tree: dict[str, object], employee: User, outsider: User, rated: None
) -> None:
    from trellis.web.growth import plan_services
    from trellis.web.growth.plan_selectors import key_result_choices

    offered = [label for _, label in key_result_choices(viewer=employee, person=employee.person)]
    assert offered == [
        "Grow revenue — ARR",
        "Grow revenue — Churn",
        "Own invoicing — Tests written",
        "Ship billing v2 — Launch",
    ]
    assert "Own invoicing — Tests written" not in [
        label for _, label in key_result_choices(viewer=outsider, person=outsider.person)
    ]
    plan = plan_services.plan_draft_from_gaps(
        actor=employee, person=employee.person, target="engineering/ic/IC3"
    ).plan
    tests: KeyResult = tree["tests"]  # type: ignore[assignment]
    goal = plan_services.goal_add(
        actor=employee,
        plan=plan,
        title="Test invoicing",
        competency_id="craft",
        target_proficiency=4,
        key_result_id=tests.pk,
    )
    assert goal.key_result == tests
    outsider_plan = plan_services.plan_draft_from_gaps(
        actor=outsider, person=outsider.person, target="engineering/ic/IC4"
    ).plan
    with pytest.raises(ValidationError) as refused:
        plan_services.goal_add(
            actor=outsider,
            plan=outsider_plan,
            title="Borrow",
            competency_id="",
            target_proficiency=None,
            key_result_id=tests.pk,
        )
    assert refused.value.message_dict == {"key_result": ["Choose one of the key results listed."]}
