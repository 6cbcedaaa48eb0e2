"""The session engine (``SESSION_ENGINE``): Django's database sessions, stored as `AccountSession`
rows that name their account, so that an account's sessions can be ended in one query
(`accounts.leaving`) without decoding every session in the table."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from trellis.web.accounts.models import AccountSession, User


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls) -> type[AccountSession]:
        return AccountSession

    def create_model_instance(self, data: dict[str, Any]) -> AccountSession:
        """The row for `data`, with its account taken from the session itself on every save."""
        session = super().create_model_instance(data)
        assert isinstance(session, AccountSession)
        user_id = data.get(SESSION_KEY)
        session.user_id = User._meta.pk.to_python(user_id) if user_id is not None else None
        return session
