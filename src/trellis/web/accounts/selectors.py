"""Reading accounts, for IT and HR admins."""

from __future__ import annotations

from django.db.models import QuerySet

from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.accounts.sign_in_status import sign_in_status_expression
from trellis.web.accounts.viewer import Viewer
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
    )
