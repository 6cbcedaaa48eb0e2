"""A real SMTP server for the tests that send mail: aiosmtpd on 127.0.0.1, in a thread.

`smtp_server` starts it on a free port and points Django's SMTP backend at it (no TLS, no
login), so mail goes through `smtplib` and the wire as in production; each message the server
receives is parsed and kept, in order, in `MailServer.messages`. The server answers a message only
after storing it, so a mail sent is there when `send_messages` returns: no waiting.
"""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test.utils import override_settings

#: An invitation's link in a mail's text.
INVITATION_LINK = re.compile(r"https?://\S+/accounts/invitation/[A-Za-z0-9_-]+/")


@dataclass
class MailServer:
    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    #: Addresses the server refuses (550 to RCPT TO), as a server refuses an unknown mailbox.
    refused: set[str] = field(default_factory=set)

    def to(self, address: str) -> list[EmailMessage]:
        """The messages received for `address`, oldest first."""
        return [m for m in self.messages if address in str(m["To"])]

    @staticmethod
    def text(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        assert part is not None, "the mail has no plain-text part"
        return str(part.get_content())

    def invitation_link(self, address: str) -> str:
        """The link in the newest invitation mail to `address` (exactly one link in it)."""
        received = self.to(address)
        assert received, f"no mail was received for {address}"
        links = INVITATION_LINK.findall(self.text(received[-1]))
        assert len(links) == 1, links
        return str(links[0])


class _Collect:
    def __init__(self, server: MailServer) -> None:
        self.server = server

    async def handle_RCPT(
        self, smtp_server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.server.refused:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp_server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.server.messages.append(message)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[MailServer]:
    """aiosmtpd on a free port of 127.0.0.1, Django's SMTP backend sending to it."""
    server = MailServer("127.0.0.1", free_port())
    controller = Controller(_Collect(server), hostname=server.host, port=server.port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST=server.host,
            EMAIL_PORT=server.port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_TIMEOUT=10,
        ):
            yield server
    finally:
        controller.stop()
