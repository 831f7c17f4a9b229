"""A real SMTP server for tests (aiosmtpd on a free port) and what reached it."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller

from spinewise.services import MailSettings

SENDER = "Clinic <clinic@example.org>"


class Inbox:
    """Every message the server accepted, in arrival order."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append(
                message_from_bytes(envelope.content, policy=policy.default)
            )
        return "250 OK"

    def body(self, index: int) -> str:
        payload = self.messages[index].get_payload(decode=True)
        assert isinstance(payload, bytes)
        return payload.decode("utf-8")


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, MailSettings]]:
    """An aiosmtpd server on 127.0.0.1 and the settings that reach it."""
    handler = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield (
            handler,
            MailSettings(
                host="127.0.0.1",
                port=port,
                starttls=False,
                user=None,
                password=None,
                sender=SENDER,
            ),
        )
    finally:
        controller.stop()
