"""Mail the robot left for people (a report fitting two programmes, not for it, replies to it,
quarantined) and replies a rate cap held back.

The robot records such mail and never answers it: a report it cannot tell the programme of, a
question in a reply to an acknowledgement, an invitation from a school, a message whose intake
kept failing. The digest lists the last week's so that someone reads them — a report with the
programmes it fits, a reply with the first lines its sender wrote, a quarantined mail with why it
failed — and says how many replies wait for a cap to allow them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from mailer.incoming import read_message
from robot.config import Config
from store import queries
from store.db import from_db_time, to_db_time
from store.tables import Message

WINDOW = dt.timedelta(days=7)
EXCERPT_LINES, EXCERPT_CHARS = 4, 400
# The reason robot.decide records for an ambiguous report: "fits programmes a, b equally; …".
_FITS = re.compile(r"fits programmes (?P<ids>[a-z0-9_, ]+) equally")


@dataclass(frozen=True)
class Letter:
    """One message for a person: when it came, from whom, its subject and (for a reply) its first lines."""

    when: dt.datetime
    sender: str
    subject: str
    excerpt: str


@dataclass
class LeftForPeople:
    ambiguous: list[Letter]  # reports that fit two programmes equally: staff choose
    not_for_robot: list[Letter]
    replies: list[Letter]
    quarantined: list[Letter]
    held_back: int  # replies deferred by a rate cap, to be sent when it allows

    @property
    def letters(self) -> int:
        return len(self.ambiguous) + len(self.not_for_robot) + len(self.replies) + len(self.quarantined)


def left_for_people(config: Config, session: Session, now: dt.datetime) -> LeftForPeople:
    since = to_db_time(now - WINDOW)
    mailbox = None if config.digest.scope == "all" else config.mailbox.address

    def letters(outcome: str, excerpt) -> list[Letter]:
        return [Letter(from_db_time(m.received_at).astimezone(config.tz), m.sender, m.subject, excerpt(m))
                for m in queries.messages_with_outcome(session, mailbox, outcome, since=since)]

    return LeftForPeople(
        ambiguous=letters("ambiguous", lambda message: fitting(config, message)),
        not_for_robot=letters("not-for-robot", lambda message: ""),
        replies=letters("reply-to-robot", own_words),
        quarantined=letters("quarantined", lambda message: first_lines(message.detail)),
        held_back=queries.outbox_counts(session, config.mailbox.address).get("deferred", 0),
    )


def fitting(config: Config, message: Message) -> str:
    """The programmes an ambiguous report fits, by title, and its files: what staff choose between."""
    found = _FITS.search(message.detail or "")
    ids = [part.strip() for part in found.group("ids").split(",")] if found else []
    titles = {view.programme_id: view.programme_title for view in config.programme_views}
    lines = [f"Hợp với: {'; '.join(titles.get(i, i) for i in ids)}"] if ids else []
    if message.attachments:
        lines.append(f"Tệp: {', '.join(message.attachments)}")
    return "\n".join(lines)


def own_words(message: Message) -> str:
    """The first lines the sender wrote (quotes of the robot's mail left out), read from the archived mail."""
    path = Path(message.archive_path) if message.archive_path else None
    if path is None or not path.is_file():  # purged past retention
        return ""
    return first_lines(read_message(path.read_bytes()).own_text)


def first_lines(text: str) -> str:
    """The first few non-blank lines of a text, cut to a few hundred characters."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:EXCERPT_LINES]
    excerpt = "\n".join(lines)
    return excerpt if len(excerpt) <= EXCERPT_CHARS else excerpt[:EXCERPT_CHARS - 1].rstrip() + "…"
