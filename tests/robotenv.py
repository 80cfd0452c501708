"""A robot wired to the test mail servers: its config file, mails to feed it, and ways to run it."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import subprocess
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import yaml
from typer.testing import CliRunner

from mailer.compose import SMTP_POLICY
from robot.cli import app
from robot.config import Config, load_config
from store.db import open_engine

REPO = Path(__file__).resolve().parent.parent
SHIPPED_CONFIG = REPO / "config.yaml"
TZ = dt.timezone(dt.timedelta(hours=7))  # Asia/Ho_Chi_Minh has no DST
IMAP_PASSWORD_ENV = "ROBOT_TEST_IMAP_PASSWORD"
# Set per test by tests/robot/conftest.py when the suite runs on PostgreSQL (ROBOT_TEST_DB).
STORE_URL_ENV = "ROBOT_TEST_STORE_URL"
SMTP_PASSWORD_ENV = "ROBOT_TEST_SMTP_PASSWORD"

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def local(*args: int) -> dt.datetime:
    """A moment in the department's time zone (UTC+7)."""
    return dt.datetime(*args, tzinfo=TZ)


@dataclass
class RobotEnv:
    """A config.yaml in a temp folder pointing at the test Dovecot and aiosmtpd."""

    path: Path

    @property
    def config(self) -> Config:
        return load_config(self.path)

    def engine(self):
        return open_engine(self.config.database_url)

    def cli(self, *args: str):
        """Run `robot --config PATH ARGS` in-process; returns the click Result."""
        return CliRunner().invoke(app, ["--config", str(self.path), *args], catch_exceptions=False)

    def subprocess(self, *args: str, **kwargs) -> subprocess.Popen:
        """Start `python -m robot --config PATH ARGS` as a real process."""
        return subprocess.Popen(
            [sys.executable, "-m", "robot", "--config", str(self.path), *args],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs,
        )


def write_config(folder: Path, dovecot, smtp, first_poll: str = "all", **changes) -> RobotEnv:
    """The shipped config.yaml with the mailbox, store and archive pointed at test resources.

    The test mailbox starts empty and each test puts in the mail it needs before polling: that
    mail stands for mail arriving after the robot started, hence ``first_poll: all`` unless a
    test is about the first contact with a lived-in mailbox (``first_poll="new-only"``).
    """
    data = yaml.safe_load(SHIPPED_CONFIG.read_text(encoding="utf-8"))
    data["mailbox"]["first_poll"] = first_poll
    data["mailbox"]["imap"] = {
        "host": dovecot.host, "port": dovecot.imap_port, "security": "none",
        "username": dovecot.user, "password_env": IMAP_PASSWORD_ENV, "folder": "INBOX",
        "timeout_seconds": 10,
    }
    data["mailbox"]["smtp"] = {
        "host": smtp.host, "port": smtp.port, "security": "none", "timeout_seconds": 10,
    }
    data["store"] = {"url": os.environ.get(STORE_URL_ENV, "sqlite:///robot.db"), "archive_dir": "archive"}
    data["replies"] = {"retry_base_seconds": 1}
    for key, value in changes.items():
        data[key] = value
    os.environ[IMAP_PASSWORD_ENV] = dovecot.password
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return RobotEnv(path)


def mail(sender: str, subject: str, attachments: list[tuple[str, bytes]] = (), body: str = "Kính gửi Sở,\nĐơn vị gửi báo cáo.\n",
         headers: dict[str, str] | None = None, to: str = "phongcttt.solongan@moet.edu.vn",
         date: dt.datetime | None = None) -> bytes:
    """A mail as a school's mail client would send it."""
    message = EmailMessage(policy=SMTP_POLICY)
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(date or dt.datetime.now(TZ))
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "example.org")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    for filename, data in attachments:
        kind = XLSX_TYPE if filename.endswith(".xlsx") else DOCX_TYPE if filename.endswith(".docx") else "application/octet-stream"
        maintype, subtype = kind.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes(policy=SMTP_POLICY)


def parsed(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def text_of(message: EmailMessage) -> str:
    """The plain-text body of a reply."""
    part = message.get_body(("plain",))
    return part.get_content() if part else ""
