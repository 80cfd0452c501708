"""An embedded SMTP server for the demo (aiosmtpd): keeps every mail and files it in the demo mailbox.

Mail from the robot is kept (the demo's summary lists it) and copied to the mailbox's Sent folder,
so a mail client connected with ``--keep-running`` sees the replies; mail to the robot's address
goes to its INBOX, so a report sent from that mail client is read at the next poll.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from robot.demo.imap_server import HOST, DemoImapServer, free_port

SENT_FOLDER = "Sent"


@dataclass(frozen=True)
class DeliveredMail:
    """One mail as the SMTP server accepted it."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)  # type: ignore[return-value]


class _Handler:
    def __init__(self, server: DemoSmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
        self.server.deliver(DeliveredMail(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


class DemoSmtpServer:
    """SMTP on 127.0.0.1:``port`` without TLS or AUTH, delivering into ``mailbox``."""

    def __init__(self, mailbox: DemoImapServer, robot_address: str) -> None:
        self.mailbox = mailbox
        self.robot_address = robot_address.lower()
        self.port = free_port()
        self.delivered: list[DeliveredMail] = []
        self._lock = threading.Lock()
        self._controller = Controller(_Handler(self), hostname=HOST, port=self.port)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def deliver(self, mail: DeliveredMail) -> None:
        """Keep the mail, and file it in the mailbox: INBOX when it is for the robot, else Sent."""
        now = dt.datetime.now(dt.UTC)
        with self._lock:
            self.delivered.append(mail)
        if self.robot_address in (r.lower() for r in mail.rcpt_tos):
            self.mailbox.append(mail.raw, now)
        if mail.mail_from.lower() == self.robot_address:
            self.mailbox.append(mail.raw, now, SENT_FOLDER)

    def sent_by_robot(self) -> list[DeliveredMail]:
        """Every mail the robot sent, in the order the server accepted them."""
        with self._lock:
            return [m for m in self.delivered if m.mail_from.lower() == self.robot_address]
