"""What one demo cycle did: the mails put in, the mails sent, the reminders, the files, the status."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from robot.config import Config
from robot.demo.school_mail import SeedMail
from robot.reminders import PlannedReminder
from robot.status import StatusRow


@dataclass(frozen=True)
class SentMail:
    """A mail the robot sent, as the embedded SMTP server received it."""

    kind: str
    to: str
    subject: str
    message_id: str
    file: Path


@dataclass
class DemoResult:
    """What one demo cycle did, for the summary."""

    config: Config
    out_dir: Path
    config_path: Path
    now: dt.datetime
    seeded: list[SeedMail]
    outcomes: Counter
    sent: list[SentMail]
    reminders: list[PlannedReminder]
    digest_files: list[Path]
    status: list[StatusRow]
    seconds: float = 0.0
    imap: dict = field(default_factory=dict)
    smtp: dict = field(default_factory=dict)
