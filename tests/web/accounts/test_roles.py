"""The roles page and the account status page: HR appoints and removes HR admins, IT admins and
co-authors (IT admins may look); admins deactivate and reactivate accounts with a reason. Never
zero HR admins; refusals change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from trellis.web.accounts.models import AccountSession, AccountStatusChange, User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FamilyCoauthor, FrameworkVersion

from ..conftest import HttpsClient
from ..test_authorization_walk import database_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _published(published_framework: FrameworkVersion) -> None:
    pass


def signed_in(account: User) -> Client:
    client = HttpsClient()
    client.force_login(account)
    return client


def events() -> list[tuple[str, str, list[str]]]:
    return list(
        AuditEvent.objects.exclude(action__startswith="framework.draft")
        .exclude(action="framework.published")
        .order_by("id")
        .values_list("action", "target_id", "fields")
    )


def test_the_roles_page_lists_who_holds_each_role(personas: dict[str, User]) -> None:
    page = signed_in(personas["hr_admin"]).get("/accounts/admin/roles/").content.decode()
    assert '<h2 id="hr-heading">HR admins</h2>' in page
    assert '<strong>Hana HR</strong> <span class="muted">hr@example.com</span>' in page
    assert '<strong>Ivo IT</strong> <span class="muted">it@example.com</span>' in page
    assert '<h3 id="family-engineering">Engineering <span class="muted">(engineering)</span></h3>' in page
    assert "<strong>Cai Coauthor</strong>" in page
    assert page.count("No co-author.") == 2  # product and marketing
    # The only HR admin cannot be removed: no button, and the page says why.
    assert "the only one: appoint another before removing" in page
    assert 'aria-label="Remove Hana HR as HR admin"' not in page
    assert '<option value="employee@example.com"></option>' in page


def test_it_admins_see_the_roles_but_cannot_change_them(personas: dict[str, User]) -> None:
    client = signed_in(personas["it_admin"])
    page = client.get("/accounts/admin/roles/").content.decode()
    assert "Only HR admins appoint and remove roles." in page
    assert 'action="/accounts/admin/roles/add/"' not in page
    assert 'action="/accounts/admin/roles/remove/"' not in page
    assert "<strong>Cai Coauthor</strong>" in page
    before = database_snapshot()
    response = client.post(
        "/accounts/admin/roles/add/", {"role": "is_it_admin", "email": "employee@example.com"}
    )
    assert response.status_code == 403
    assert database_snapshot() == before


def test_hr_appoints_and_removes_an_it_admin(personas: dict[str, User]) -> None:
    client = signed_in(personas["hr_admin"])
    employee = personas["employee"]
    response = client.post(
        "/accounts/admin/roles/add/", {"role": "is_it_admin", "email": "Employee@Example.com"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/admin/roles/"
    assert User.objects.get(pk=employee.pk).is_it_admin is True
    response = client.post("/accounts/admin/roles/remove/", {"role": "is_it_admin", "user": employee.pk})
    assert response.status_code == 302
    assert User.objects.get(pk=employee.pk).is_it_admin is False
    assert events() == [
        ("user.role_granted", str(employee.pk), ["is_it_admin"]),
        ("user.role_revoked", str(employee.pk), ["is_it_admin"]),
    ]


def test_hr_appoints_a_second_hr_admin_who_may_then_remove_the_first(personas: dict[str, User]) -> None:
    hr, manager = personas["hr_admin"], personas["manager"]
    signed_in(hr).post("/accounts/admin/roles/add/", {"role": "is_hr_admin", "email": manager.email})
    response = signed_in(manager).post(
        "/accounts/admin/roles/remove/", {"role": "is_hr_admin", "user": hr.pk}
    )
    assert response.status_code == 302
    assert list(User.objects.filter(is_hr_admin=True).values_list("email", flat=True)) == [manager.email]


def test_the_last_hr_admin_keeps_the_role(personas: dict[str, User]) -> None:
    hr = personas["hr_admin"]
    client = signed_in(hr)
    before = database_snapshot()
    response = client.post("/accounts/admin/roles/remove/", {"role": "is_hr_admin", "user": hr.pk})
    assert response.status_code == 400
    assert (
        "Not removed: Hana HR is the only active HR admin; appoint another HR admin first, so that "
        "someone can still manage people." in response.content.decode()
    )
    assert database_snapshot() == before


def test_hr_appoints_and_removes_a_coauthor(personas: dict[str, User]) -> None:
    client = signed_in(personas["hr_admin"])
    employee = personas["employee"]
    response = client.post(
        "/accounts/admin/roles/add/", {"role": "coauthor", "email": employee.email, "family": "product"}
    )
    assert response.status_code == 302
    row = FamilyCoauthor.objects.get(user=employee)
    assert row.family_id == "product"
    response = client.post(
        "/accounts/admin/roles/remove/", {"role": "coauthor", "user": employee.pk, "family": "product"}
    )
    assert response.status_code == 302
    assert not FamilyCoauthor.objects.filter(user=employee).exists()
    assert events() == [
        ("framework.coauthor_added", str(row.pk), ["family_id", "user"]),
        ("framework.coauthor_removed", str(row.pk), ["family_id", "user"]),
    ]


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"role": "coauthor", "email": "employee@example.com"}, "family", "choose the family they co-author"),
        (
            {"role": "coauthor", "email": "employee@example.com", "family": "sales"},
            "family",
            "Select a valid choice.",
        ),
        (
            {"role": "is_it_admin", "email": "nobody@example.com"},
            "email",
            "no active account has that e-mail address",
        ),
        (
            {"role": "is_it_admin", "email": "gone@example.com"},
            "email",
            "no active account has that e-mail address",
        ),
    ],
)
def test_a_bad_appointment_is_named_on_its_field(
    form: dict[str, str], field: str, message: str, personas: dict[str, User]
) -> None:
    User.objects.create_user("gone@example.com", "a long password", full_name="Gone", is_active=False)
    client = signed_in(personas["hr_admin"])
    before = database_snapshot()
    response = client.post("/accounts/admin/roles/add/", form)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}' in page
    assert database_snapshot() == before


@pytest.mark.parametrize("persona", ["employee", "manager", "coauthor"])
def test_others_cannot_change_roles(persona: str, personas: dict[str, User]) -> None:
    client = signed_in(personas[persona])
    before = database_snapshot()
    for path, form in [
        ("/accounts/admin/roles/add/", {"role": "is_hr_admin", "email": personas[persona].email}),
        ("/accounts/admin/roles/remove/", {"role": "is_hr_admin", "user": personas["hr_admin"].pk}),
        (
            "/accounts/admin/roles/remove/",
            {"role": "coauthor", "user": personas["coauthor"].pk, "family": "engineering"},
        ),
    ]:
        assert client.post(path, form).status_code == 403
    assert database_snapshot() == before


def test_an_admin_deactivates_an_account_with_a_reason_and_its_session_ends(
    personas: dict[str, User],
) -> None:
    coauthor = personas["coauthor"]
    browser = signed_in(coauthor)
    assert browser.get("/").status_code == 200
    admin = signed_in(personas["it_admin"])
    accounts = admin.get("/accounts/admin/users/").content.decode()
    assert accounts.count('<span class="badge">Co-author</span>') == 1
    assert (
        f'<a class="button button--small button--danger" href="/accounts/admin/users/{coauthor.pk}/status/">Deactivate'
        in accounts
    )

    response = admin.post(f"/accounts/admin/users/{coauthor.pk}/status/", {"reason": "Contract ended"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/admin/users/"
    stored = User.objects.get(pk=coauthor.pk)
    assert stored.is_active is False
    assert not FamilyCoauthor.objects.filter(user=coauthor).exists()
    assert not AccountSession.objects.filter(user=coauthor).exists()
    assert browser.get("/").status_code == 302
    change = AccountStatusChange.objects.get()
    assert (change.is_active, change.cause, change.reason, change.changed_by_id) == (
        False,
        "account",
        "Contract ended",
        personas["it_admin"].pk,
    )
    page = admin.get(f"/accounts/admin/users/{coauthor.pk}/status/").content.decode()
    assert "<h1>Reactivate Cai Coauthor</h1>" in page
    assert "Changed on the accounts page: Contract ended" in page

    response = admin.post(f"/accounts/admin/users/{coauthor.pk}/status/", {"reason": "Renewed"})
    assert response.status_code == 302
    assert User.objects.get(pk=coauthor.pk).is_active is True
    assert not FamilyCoauthor.objects.filter(user=coauthor).exists()  # roles are not given back
    assert [action for action, _, _ in events()][-1] == "user.activated"


def test_deactivating_needs_a_reason(personas: dict[str, User]) -> None:
    admin = signed_in(personas["hr_admin"])
    target = personas["employee"]
    before = database_snapshot()
    response = admin.post(f"/accounts/admin/users/{target.pk}/status/", {"reason": "  "})
    assert response.status_code == 400
    assert (
        '<ul class="errorlist" id="id_reason_error"><li>This field is required.</li></ul>'
        in response.content.decode()
    )
    assert database_snapshot() == before


def test_an_admin_cannot_deactivate_their_own_account(personas: dict[str, User]) -> None:
    it_admin = personas["it_admin"]
    client = signed_in(it_admin)
    page = client.get(f"/accounts/admin/users/{it_admin.pk}/status/").content.decode()
    assert "This is your own account: you cannot deactivate it. Ask another admin." in page
    before = database_snapshot()
    response = client.post(f"/accounts/admin/users/{it_admin.pk}/status/", {"reason": "Oops"})
    assert response.status_code == 400
    assert "This is your own account: you cannot deactivate it." in response.content.decode()
    assert database_snapshot() == before


def test_the_last_hr_admin_cannot_be_deactivated_on_the_page(personas: dict[str, User]) -> None:
    client = signed_in(personas["it_admin"])
    hr = personas["hr_admin"]
    before = database_snapshot()
    response = client.post(f"/accounts/admin/users/{hr.pk}/status/", {"reason": "Leaving"})
    assert response.status_code == 400
    assert "Hana HR is the only active HR admin; appoint another HR admin first" in response.content.decode()
    assert database_snapshot() == before


def test_no_role_can_be_given_to_a_deactivated_account(personas: dict[str, User]) -> None:
    from django.core.exceptions import ValidationError

    from trellis.web.accounts.services import user_set_role
    from trellis.web.frameworks.services import family_coauthor_add

    gone = User.objects.create_user("gone@example.com", "a long password", full_name="Gone", is_active=False)
    hr = personas["hr_admin"]
    with pytest.raises(ValidationError):
        user_set_role(actor=hr, user=gone, role="is_it_admin", held=True)
    with pytest.raises(ValidationError):
        family_coauthor_add(actor=hr, user=gone, family_id="engineering")
    assert (User.objects.get(pk=gone.pk).is_it_admin, FamilyCoauthor.objects.filter(user=gone).exists()) == (
        False,
        False,
    )


def test_the_roles_page_costs_the_same_queries_whatever_the_number_of_coauthors(
    personas: dict[str, User],
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trellis.web.frameworks.services import family_coauthor_add

    client = signed_in(personas["hr_admin"])
    client.get("/accounts/admin/roles/")  # the draft parsed once, as in a warm process

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/accounts/admin/roles/").status_code == 200
        return len(captured)

    few = queries()
    for persona in ("employee", "manager", "outsider", "other_manager"):
        family_coauthor_add(actor=personas["hr_admin"], user=personas[persona], family_id="product")
    assert queries() == few


def test_the_appoint_form_offers_the_least_powerful_role_first(login: Any, personas: dict[str, User]) -> None:
    from trellis.web.accounts.forms import RoleAddForm

    assert RoleAddForm.base_fields["role"].initial == "coauthor"
    page = login(personas["hr_admin"]).get("/accounts/admin/roles/").content.decode()
    assert '<option value="coauthor" selected>' in page
