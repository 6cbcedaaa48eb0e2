"""How a session finds its account: by e-mail address, with the linked person in the same query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from trellis.web.accounts.models import User, normalize_email
from trellis.web.frameworks.models import FamilyCoauthor
from trellis.web.notifications.models import Notification


class EmailBackend(ModelBackend):
    """Signs in with e-mail address and password; inactive accounts cannot sign in.

    Every page needs the viewer's person (home, navigation, policy), so the account is loaded with
    it, their team, their manager, whether they co-author a family and how many of their
    notifications are unread (the header's count) in one query.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        email = kwargs.get(User.USERNAME_FIELD, username)
        if email is None or password is None:
            return None
        return super().authenticate(request, username=normalize_email(email), password=password)

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = (
                User.objects.select_related("person__team", "person__manager")
                .annotate(
                    # Whether the account co-authors any family: the navigation asks on every page,
                    # and for most people the answer is no, which then costs no query at all.
                    coauthors_any_family=Exists(FamilyCoauthor.objects.filter(user=OuterRef("pk"))),
                    unread_notifications=Coalesce(
                        Subquery(
                            Notification.objects.filter(
                                recipient_id=OuterRef("person__id"), read_at__isnull=True
                            )
                            .order_by()
                            .values("recipient_id")
                            .annotate(unread=Count("pk"))
                            .values("unread"),
                            output_field=IntegerField(),
                        ),
                        Value(0),
                    ),
                )
                .get(pk=user_id)
            )
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
