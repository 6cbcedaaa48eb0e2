"""The names of audited actions: one enumeration, so that every event a service records and every
query or test that reads them spells an action the same way. The values are what is stored in
`AuditEvent.action`, so they never change once released (add a new one instead)."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    """What an audit event says happened: ``<entity>.<what happened to it>``."""

    USER_ACTIVATED = "user.activated"
    USER_DEACTIVATED = "user.deactivated"
    USER_SIGNED_IN = "user.signed_in"
    USER_SIGN_IN_FAILED = "user.sign_in_failed"
    USER_LOCKED_OUT = "user.locked_out"
    USER_SIGNED_OUT = "user.signed_out"
    #: An account made for a person when they were first invited (no usable password yet).
    USER_CREATED_FOR_INVITATION = "user.created_for_invitation"
    INVITATION_SENT = "invitation.sent"
    INVITATION_RESENT = "invitation.resent"
    INVITATION_REVOKED = "invitation.revoked"
    #: The invited person chose their password (the actor is their account).
    INVITATION_ACCEPTED = "invitation.accepted"
    #: Every session of the account was ended (it was deactivated).
    USER_SESSIONS_ENDED = "user.sessions_ended"
    #: An HR admin or IT admin role given or taken (`fields` names which).
    USER_ROLE_GRANTED = "user.role_granted"
    USER_ROLE_REVOKED = "user.role_revoked"

    FRAMEWORK_DRAFT_SAVED = "framework.draft_saved"
    FRAMEWORK_DRAFT_EDITED = "framework.draft_edited"
    FRAMEWORK_DRAFT_IMPORTED_FROM_YAML = "framework.draft_imported_from_yaml"
    FRAMEWORK_DRAFT_IMPORTED_FROM_MATRIX = "framework.draft_imported_from_matrix"
    FRAMEWORK_DRAFT_IMPORTED_FROM_STARTER = "framework.draft_imported_from_starter"
    FRAMEWORK_DRAFT_FAMILIES_ADDED_FROM_STARTER = "framework.draft_families_added_from_starter"
    FRAMEWORK_DRAFT_SUBMITTED = "framework.draft_submitted"
    FRAMEWORK_DRAFT_RETURNED = "framework.draft_returned"
    FRAMEWORK_PUBLISHED = "framework.published"
    FRAMEWORK_COAUTHOR_ADDED = "framework.coauthor_added"
    FRAMEWORK_COAUTHOR_REMOVED = "framework.coauthor_removed"
    #: The co-authorship followed its family to a new id.
    FRAMEWORK_COAUTHOR_FAMILY_RENAMED = "framework.coauthor_family_renamed"

    PERSON_CREATED = "person.created"
    PERSON_UPDATED = "person.updated"
    PERSON_MANAGER_CHANGED = "person.manager_changed"
    PERSON_LEFT = "person.left"
    PERSON_REJOINED = "person.rejoined"
    TEAM_CREATED = "team.created"
    PEOPLE_IMPORT_UPLOADED = "people_import.uploaded"
    PEOPLE_IMPORT_PREVIEWED = "people_import.previewed"
    PEOPLE_IMPORT_STARTED = "people_import.started"
    PEOPLE_IMPORT_APPLIED = "people_import.applied"
    PEOPLE_IMPORT_DISCARDED = "people_import.discarded"

    DEMO_LOADED = "demo.loaded"

    #: An employee asked for a promotion conversation.
    PROMOTION_REQUESTED = "promotion.requested"
    NOMINATION_CREATED = "nomination.created"
    #: The manager's case written, or a request turned into the manager's draft.
    NOMINATION_SAVED = "nomination.saved"
    NOMINATION_SUBMITTED = "nomination.submitted"
    NOMINATION_REQUEST_DECLINED = "nomination.request_declined"
    #: The manager withdrew their nomination before the decision.
    NOMINATION_WITHDRAWN = "nomination.withdrawn"
    NOMINATION_ENDORSED = "nomination.endorsed"
    #: Approved or "not yet" (`fields` names the effective date of an approval).
    NOMINATION_DECIDED = "nomination.decided"
    #: An approved promotion entered the person's level history on its date.
    PROMOTION_APPLIED = "promotion.applied"
    PROMOTION_COMMITTEE_CREATED = "promotion_committee.created"
    PROMOTION_COMMITTEE_UPDATED = "promotion_committee.updated"
