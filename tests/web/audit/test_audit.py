"""Audit events: who, what, which record, which fields (never values), from where; append-only."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.middleware import AuditContextMiddleware, client_ip
from trellis.web.audit.models import AuditEvent
from trellis.web.audit.services import AuditEntry, audit_record, audit_record_many

pytestmark = pytest.mark.django_db


def test_records_actor_action_target_and_sorted_unique_fields(hr_admin: User, employee: User) -> None:
    event = audit_record(
        actor=hr_admin,
        action=AuditAction.PERSON_UPDATED,
        target=employee.person,
        fields=["title", "level_code", "title"],
    )
    stored = AuditEvent.objects.get()
    assert stored.pk == event.pk
    assert (stored.actor_id, stored.action, stored.target_type, stored.target_id) == (
        hr_admin.pk,
        "person.updated",
        "people.person",
        str(employee.person.pk),
    )
    assert stored.fields == ["level_code", "title"]
    assert stored.ip is None  # no request: a command or a task


def test_the_address_comes_from_the_request_being_served(hr_admin: User) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        audit_record(actor=hr_admin, action=AuditAction.DEMO_LOADED, target=None)
        return HttpResponse("ok")

    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    AuditContextMiddleware(view)(request)
    assert AuditEvent.objects.get().ip == "203.0.113.7"
    audit_record(actor=hr_admin, action=AuditAction.DEMO_LOADED, target=None)
    assert AuditEvent.objects.order_by("-id").first().ip is None  # type: ignore[union-attr]


def test_an_explicit_request_wins(hr_admin: User) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="2001:db8::1")
    audit_record(actor=hr_admin, action=AuditAction.USER_ACTIVATED, target=hr_admin, request=request)
    assert AuditEvent.objects.get().ip == "2001:db8::1"


def test_behind_the_proxy_the_last_forwarded_address_counts() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    assert client_ip(request) == "10.0.0.2"
    with override_settings(BEHIND_PROXY=True):
        assert client_ip(request) == "198.51.100.4"


def test_events_are_append_only(hr_admin: User) -> None:
    event = audit_record(actor=hr_admin, action=AuditAction.FRAMEWORK_PUBLISHED, target=None)
    event.action = "nothing.happened"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert AuditEvent.objects.get().action == "framework.published"


def test_an_action_that_is_not_in_the_enumeration_is_refused_and_nothing_is_stored(hr_admin: User) -> None:
    for action in ("", "person.veiw"):
        with pytest.raises(ValueError, match=f"'{action}' is not a valid AuditAction"):
            audit_record(actor=hr_admin, action=action, target=None)  # type: ignore[arg-type]
    assert not AuditEvent.objects.exists()


def test_an_action_given_as_its_value_is_stored_as_that_value(hr_admin: User) -> None:
    """Callers not yet converted to the enumeration pass its values as strings."""
    audit_record(actor=hr_admin, action="person.updated", target=None)  # type: ignore[arg-type]
    assert AuditEvent.objects.get().action == AuditAction.PERSON_UPDATED == "person.updated"


def test_the_actions_are_the_names_stored_before_they_were_enumerated() -> None:
    """Stored events keep their names: the values of the enumeration must not change."""
    assert sorted(AuditAction) == [
        "application.stage_changed",
        "application.updated",
        "assessment.started",
        "assessment.submitted",
        "calibration.closed",
        "calibration.confirmed",
        "calibration.group_created",
        "calibration.note_added",
        "calibration.rating_adjusted",
        "calibration.target_set",
        "cycle.opened",
        "cycle.participant_signed_off",
        "cycle.phase_changed",
        "cycle.shared",
        "demo.loaded",
        "evidence.recorded",
        "feedback.peer_started",
        "feedback.saved",
        "feedback.submitted",
        "feedback.upward_started",
        "framework.coauthor_added",
        "framework.coauthor_family_renamed",
        "framework.coauthor_removed",
        "framework.draft_edited",
        "framework.draft_families_added_from_starter",
        "framework.draft_imported_from_matrix",
        "framework.draft_imported_from_starter",
        "framework.draft_imported_from_yaml",
        "framework.draft_returned",
        "framework.draft_saved",
        "framework.draft_submitted",
        "framework.published",
        "invitation.accepted",
        "invitation.resent",
        "invitation.revoked",
        "invitation.sent",
        "key_result.created",
        "key_result.measured",
        "nomination.created",
        "nomination.decided",
        "nomination.endorsed",
        "nomination.request_declined",
        "nomination.saved",
        "nomination.submitted",
        "nomination.withdrawn",
        "notification.created",
        "notification.read",
        "objective.created",
        "one_on_one.agenda_added",
        "one_on_one.agenda_ticked",
        "one_on_one.created",
        "one_on_one.shared_note_added",
        "opportunity.created",
        "opportunity.status_changed",
        "opportunity.updated",
        "peer.nominated",
        "peer.nomination_approved",
        "peer.nomination_declined",
        "people_import.applied",
        "people_import.discarded",
        "people_import.previewed",
        "people_import.started",
        "people_import.uploaded",
        "person.created",
        "person.left",
        "person.manager_changed",
        "person.rejoined",
        "person.updated",
        "plan.action_added",
        "plan.action_updated",
        "plan.checked_in",
        "plan.drafted",
        "plan.goal_added",
        "plan.goal_updated",
        "plan.progress_recorded",
        "promotion.applied",
        "promotion.requested",
        "promotion_committee.created",
        "promotion_committee.updated",
        "rating.saved",
        "rating_import.applied",
        "rating_import.discarded",
        "rating_import.uploaded",
        "readiness.recomputed",
        "team.created",
        "user.activated",
        "user.created_for_invitation",
        "user.deactivated",
        "user.locked_out",
        "user.role_granted",
        "user.role_revoked",
        "user.sessions_ended",
        "user.sign_in_failed",
        "user.signed_in",
        "user.signed_out",
    ]


def test_many_events_are_recorded_in_order_as_one_would_be_in_one_insert(
    hr_admin: User, employee: User, manager: User, django_assert_num_queries: Any
) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    entries = [
        AuditEntry(AuditAction.PERSON_UPDATED, employee.person, ("title", "level_code", "title")),
        AuditEntry(AuditAction.PERSON_MANAGER_CHANGED, manager.person, ("manager",)),
        AuditEntry(AuditAction.DEMO_LOADED, None),
    ]
    with django_assert_num_queries(1):
        events = audit_record_many(actor=hr_admin, entries=entries, request=request)
    stored = list(AuditEvent.objects.order_by("id"))
    assert [event.pk for event in stored] == [event.pk for event in events]
    assert [(e.actor_id, e.action, e.target_type, e.target_id, e.fields, e.ip) for e in stored] == [
        (
            hr_admin.pk,
            "person.updated",
            "people.person",
            str(employee.person.pk),
            ["level_code", "title"],
            "203.0.113.9",
        ),
        (
            hr_admin.pk,
            "person.manager_changed",
            "people.person",
            str(manager.person.pk),
            ["manager"],
            "203.0.113.9",
        ),
        (hr_admin.pk, "demo.loaded", "", "", [], "203.0.113.9"),
    ]
    assert len({event.created_at for event in stored}) == 1


def test_no_entries_record_nothing_without_a_query(hr_admin: User, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        assert audit_record_many(actor=hr_admin, entries=[]) == []
    assert not AuditEvent.objects.exists()


def test_a_batch_with_an_unknown_action_stores_none_of_its_events(hr_admin: User) -> None:
    entries = [
        AuditEntry(AuditAction.DEMO_LOADED, None),
        AuditEntry("person.veiw", None),  # type: ignore[arg-type]
    ]
    with pytest.raises(ValueError, match=r"'person\.veiw' is not a valid AuditAction"):
        audit_record_many(actor=hr_admin, entries=entries)
    assert not AuditEvent.objects.exists()
