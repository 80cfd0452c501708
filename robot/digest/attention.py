"""What needs a person: unknown senders, unreadable files, failed intake, undelivered mail, mailbox errors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from robot.config import Config
from store import queries
from store.db import from_db_time, to_db_time

# The digest is weekly: it lists what happened since the one before.
WINDOW = dt.timedelta(days=7)


@dataclass
class Item:
    """One thing for staff to look at: when, who or what, and why."""

    when: dt.datetime | None
    who: str
    what: str


@dataclass
class Attention:
    unknown_senders: list[Item]
    unreadable: list[Item]
    intake_errors: list[Item]
    undelivered: list[Item]
    mailbox_errors: list[Item]

    @property
    def empty(self) -> bool:
        return not any((self.unknown_senders, self.unreadable, self.intake_errors,
                        self.undelivered, self.mailbox_errors))


def needs_attention(config: Config, session: Session, now: dt.datetime) -> Attention:
    since = to_db_time(now - WINDOW)
    mailbox = None if config.digest.scope == "all" else config.mailbox.address

    def local(moment: dt.datetime | None) -> dt.datetime | None:
        return from_db_time(moment).astimezone(config.tz) if moment else None

    def messages(outcome: str) -> list[Item]:
        found = queries.messages_with_outcome(session, mailbox, outcome, since=since)
        return [Item(local(m.received_at), m.sender, "; ".join(filter(None, (m.subject, ", ".join(m.attachments),
                                                                               m.detail)))) for m in found]

    return Attention(
        unknown_senders=messages("unknown_sender"),
        unreadable=messages("unreadable"),
        intake_errors=messages("error"),
        undelivered=[Item(local(o.created_at), ", ".join(o.recipients), f"{o.subject}: {o.last_error or ''}")
                     for o in queries.failed_outbox(session, mailbox, since)],
        mailbox_errors=[Item(local(s.last_poll_at), f"{s.mailbox} / {s.folder}", s.last_error)
                        for s in queries.poll_states(session, mailbox) if s.last_error],
    )
