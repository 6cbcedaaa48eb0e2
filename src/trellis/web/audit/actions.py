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
    #: Every active person's readiness for their next level recomputed (a command, or HR).
    READINESS_RECOMPUTED = "readiness.recomputed"
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

    RATING_IMPORT_UPLOADED = "rating_import.uploaded"
    RATING_IMPORT_APPLIED = "rating_import.applied"
    RATING_IMPORT_DISCARDED = "rating_import.discarded"
    #: Calibration (reviews/calibration_services.py): a group made, a rating adjusted (the
    #: adjustment row keeps before, after and why), a note written, a person confirmed, a session
    #: closed, the cycle's target distribution set.
    CALIBRATION_GROUP_CREATED = "calibration.group_created"
    CALIBRATION_RATING_ADJUSTED = "calibration.rating_adjusted"
    CALIBRATION_NOTE_ADDED = "calibration.note_added"
    CALIBRATION_CONFIRMED = "calibration.confirmed"
    CALIBRATION_CLOSED = "calibration.closed"
    CALIBRATION_TARGET_SET = "calibration.target_set"

    DEMO_LOADED = "demo.loaded"

    #: A review cycle opened with its participants (`fields` names what was set, "participants").
    CYCLE_OPENED = "cycle.opened"
    #: A cycle moved to its next phase (`fields`: "phase", and "calibrated_results" when calibration began).
    CYCLE_PHASE_CHANGED = "cycle.phase_changed"
    #: HR shared a cycle's results with its participants.
    CYCLE_SHARED = "cycle.shared"
    #: A participant's results signed off (the target is the participant).
    CYCLE_PARTICIPANT_SIGNED_OFF = "cycle.participant_signed_off"
    ASSESSMENT_STARTED = "assessment.started"
    ASSESSMENT_SUBMITTED = "assessment.submitted"
    #: One competency's rating saved (the target is the rating; `fields` the ones that changed).
    RATING_SAVED = "rating.saved"
    NOTIFICATION_CREATED = "notification.created"
    NOTIFICATION_READ = "notification.read"

    PEER_NOMINATED = "peer.nominated"
    PEER_NOMINATION_APPROVED = "peer.nomination_approved"
    PEER_NOMINATION_DECLINED = "peer.nomination_declined"
    #: A peer or upward answer saved (fields: the competency ids' ratings and comments, never text).
    FEEDBACK_SAVED = "feedback.saved"
    FEEDBACK_SUBMITTED = "feedback.submitted"
    #: A peer's assessment made when they began it (its nomination was approved without one).
    PEER_FEEDBACK_STARTED = "feedback.peer_started"
    #: An upward assessment begun by a report (its author is never shown).
    UPWARD_FEEDBACK_STARTED = "feedback.upward_started"
    EVIDENCE_RECORDED = "evidence.recorded"
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
    #: A 1:1 planned by a manager with a report (never its content: notes are not audited by text,
    #: and private notes not at all — that one exists is their author's alone).
    ONE_ON_ONE_CREATED = "one_on_one.created"
    ONE_ON_ONE_AGENDA_ADDED = "one_on_one.agenda_added"
    #: An agenda item ticked off or reopened (`fields`: ``done``).
    ONE_ON_ONE_AGENDA_TICKED = "one_on_one.agenda_ticked"
    ONE_ON_ONE_SHARED_NOTE_ADDED = "one_on_one.shared_note_added"
    #: Development plans (growth/plan_services.py): a plan drafted from gaps (or its target and
    #: goals updated), a goal added or its status changed, an action added or its status changed, a
    #: progress update or a check-in written.
    PLAN_DRAFTED = "plan.drafted"
    PLAN_GOAL_ADDED = "plan.goal_added"
    PLAN_GOAL_UPDATED = "plan.goal_updated"
    PLAN_ACTION_ADDED = "plan.action_added"
    PLAN_ACTION_UPDATED = "plan.action_updated"
    PLAN_PROGRESS_RECORDED = "plan.progress_recorded"
    PLAN_CHECKED_IN = "plan.checked_in"
    #: The OKR tree (growth/okr_services.py).
    OBJECTIVE_CREATED = "objective.created"
    KEY_RESULT_CREATED = "key_result.created"
    KEY_RESULT_MEASURED = "key_result.measured"
    # Internal mobility (`trellis.web.mobility.services`).
    OPPORTUNITY_CREATED = "opportunity.created"
    OPPORTUNITY_UPDATED = "opportunity.updated"
    #: Opened, filled or closed (`fields` names ``status``).
    OPPORTUNITY_STATUS_CHANGED = "opportunity.status_changed"
    #: Saved, interest expressed, applied, withdrawn, or moved by the hiring side (`fields`: stage).
    APPLICATION_STAGE_CHANGED = "application.stage_changed"
    #: The applicant's note or "hidden from my manager" setting changed.
    APPLICATION_UPDATED = "application.updated"
