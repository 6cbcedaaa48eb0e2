"""Reading accounts, for IT and HR admins."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from trellis.web import policy
from trellis.web.accounts.models import AccountStatusChange, User
from trellis.web.accounts.sign_in_status import sign_in_status_expression
from trellis.web.accounts.viewer import Viewer
from trellis.web.frameworks.authoring_selectors import draft_text_check
from trellis.web.frameworks.models import FamilyCoauthor, FrameworkDraft
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.policy import Action


def user_list(*, viewer: Viewer) -> QuerySet[User]:
    """Every account with its person and its ``sign_in_status``, by e-mail; PermissionDenied
    unless `viewer` manages accounts.

    Only account fields and the person's name are meant to be shown: IT admins do not see levels.
    """
    policy.require(viewer, Action.USER_MANAGE)
    return (
        User.objects.select_related("person")
        .only(
            "email", "full_name", "is_active", "is_hr_admin", "is_it_admin", "last_login", "person__full_name"
        )
        .annotate(sign_in_status=sign_in_status_expression())
        .annotate(coauthors_any_family=Exists(FamilyCoauthor.objects.filter(user=OuterRef("pk"))))
    )


def user_get(*, viewer: Viewer, user_id: int) -> User:
    """One account with its last status change, for its deactivate/reactivate page;
    PermissionDenied unless `viewer` manages accounts, Http404 for no such account."""
    policy.require(viewer, Action.USER_MANAGE)
    account = (
        User.objects.filter(pk=user_id)
        .only("email", "full_name", "is_active", "is_hr_admin", "is_it_admin", "last_login")
        .first()
    )
    if account is None:
        raise Http404("no such account")
    return account


def user_status_change_latest(*, viewer: Viewer, user: User) -> AccountStatusChange | None:
    policy.require(viewer, Action.USER_MANAGE)
    return AccountStatusChange.objects.filter(user=user).select_related("changed_by").first()


@dataclass(frozen=True, slots=True)
class FamilyCoauthors:
    family_id: str
    family_name: str
    coauthors: list[FamilyCoauthor]


@dataclass(frozen=True, slots=True)
class Roles:
    """Who holds each role: HR admins, IT admins, co-authors by family (every family of the draft,
    with or without co-authors), and the families a co-author may be appointed to."""

    hr_admins: list[User]
    it_admins: list[User]
    families: list[FamilyCoauthors]
    can_manage: bool

    @property
    def family_choices(self) -> list[tuple[str, str]]:
        return [(family.family_id, family.family_name) for family in self.families]


def _draft_families(viewer: Viewer) -> list[tuple[str, str]]:
    """The families of the working draft (of the published version while the draft cannot be read):
    co-authors edit the draft, and a co-authorship ends when its family leaves it."""
    text = (
        FrameworkDraft.objects.filter(pk=FrameworkDraft.SINGLETON_ID)
        .values_list("yaml_text", flat=True)
        .first()
    )
    framework = draft_text_check(text)[0] if text else None
    if framework is None:
        published = framework_published_get(viewer=viewer)
        framework = published.framework if published is not None else None
    return [(family.id, family.name) for family in framework.families] if framework is not None else []


def roles_get(*, viewer: Viewer) -> Roles:
    """Who holds each role. PermissionDenied unless `viewer` may see it (HR and IT admins)."""
    policy.require(viewer, Action.ROLES_VIEW)
    fields = ("email", "full_name", "is_hr_admin", "is_it_admin")
    admins = list(
        User.objects.filter(is_active=True).filter(Q(is_hr_admin=True) | Q(is_it_admin=True)).only(*fields)
    )
    coauthorships = list(
        FamilyCoauthor.objects.select_related("user").only("family_id", *(f"user__{f}" for f in fields))
    )
    by_family: dict[str, list[FamilyCoauthor]] = {}
    for row in coauthorships:
        by_family.setdefault(row.family_id, []).append(row)
    names = dict(_draft_families(viewer))
    family_ids = [*names, *sorted(set(by_family) - set(names))]
    return Roles(
        hr_admins=[user for user in admins if user.is_hr_admin],
        it_admins=[user for user in admins if user.is_it_admin],
        families=[
            FamilyCoauthors(family_id, names.get(family_id, family_id), by_family.get(family_id, []))
            for family_id in family_ids
        ],
        can_manage=policy.can(viewer, Action.ROLES_MANAGE),
    )


#: The most active accounts offered as suggestions in the roles page's e-mail field.
SUGGESTED_ACCOUNTS = 500


def active_account_emails(*, viewer: Viewer) -> list[str]:
    """Up to `SUGGESTED_ACCOUNTS` e-mail addresses of active accounts (none beyond: the field is
    then typed, not picked), for those who appoint roles."""
    policy.require(viewer, Action.ROLES_MANAGE)
    emails = list(
        User.objects.filter(is_active=True).values_list("email", flat=True)[: SUGGESTED_ACCOUNTS + 1]
    )
    return emails if len(emails) <= SUGGESTED_ACCOUNTS else []
