"""Outgoing mail: composed into the outbox inside the intake transaction, sent by ``flush``.

Only ``flush`` talks to SMTP. A mail is marked sent right after the server accepts it, so a
crash can at worst resend the one mail that was on the wire.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session

from mailer.compose import OutgoingMail, compose, message_id_of
from mailer.errors import DeliveryError
from mailer.incoming import Attachment
from mailer.smtp import send
from robot.config import Config
from store.db import session as open_session
from store.db import to_db_time
from store import queries
from store.tables import Outbox

log = logging.getLogger(__name__)

MAX_DELAY = dt.timedelta(hours=6)
# Answers to incoming mail: what a mail loop or a flood of forged mail would multiply.
REPLY_KINDS = ("ack", "incomplete", "unreadable", "no-attachment", "unknown-sender")


@dataclass
class Thread:
    """The mail being answered, for In-Reply-To and References."""

    message_id: str = ""
    references: tuple[str, ...] = ()

    def chain(self) -> list[str]:
        refs = [r for r in self.references if r]
        return refs + [self.message_id] if self.message_id else refs


def enqueue(session: Session, config: Config, *, kind: str, to: list[str], subject: str,
            text: str, now: dt.datetime, thread: Thread | None = None,
            fields: list[str] | None = None, attachments: list[Attachment] | None = None,
            html: str | None = None, inline_images: list[tuple[str, bytes]] | None = None,
            message_pk: int | None = None, auto_submitted: str = "auto-replied") -> Outbox:
    """Compose a mail and add it to the outbox (in the caller's transaction)."""
    headers = {"X-Report-Robot": kind, "Auto-Submitted": auto_submitted}
    if fields:
        headers["X-Report-Robot-Fields"] = ",".join(fields)
    mail = OutgoingMail(
        from_addr=config.mailbox.address,
        from_name=config.mailbox.display_name,
        to=to,
        subject=subject,
        text=text,
        html=html,
        in_reply_to=thread.message_id if thread and thread.message_id else None,
        references=thread.chain() if thread else [],
        headers=headers,
        attachments=attachments or [],
        inline_images=inline_images or [],
    )
    raw = compose(mail, domain=config.mailbox.address.rpartition("@")[2])
    row = Outbox(
        kind=kind, to_addr=to[0].lower(), recipients=to, subject=subject,
        message_id=message_id_of(raw), raw=raw, message_pk=message_pk,
        created_at=to_db_time(now), next_attempt_at=to_db_time(now),
    )
    if kind in REPLY_KINDS:
        limit = _rate_limited(session, config, row.to_addr, now)
        if limit:
            row.status, row.last_error = "suppressed", limit
            log.warning("%s reply to %s not sent: %s", kind, row.to_addr, limit)
    session.add(row)
    return row


def _rate_limited(session: Session, config: Config, to_addr: str, now: dt.datetime) -> str | None:
    """Why a reply must not be sent now (a cap is reached), or None."""
    caps = config.replies
    day = to_db_time(now - dt.timedelta(days=1))
    if queries.replies_queued_since(session, REPLY_KINDS, day, to_addr) >= caps.per_address_per_day:
        return f"rate limit: {caps.per_address_per_day} replies a day to one address"
    hour = to_db_time(now - dt.timedelta(hours=1))
    if queries.replies_queued_since(session, REPLY_KINDS, hour) >= caps.per_hour:
        return f"rate limit: {caps.per_hour} replies an hour"
    return None


@dataclass
class FlushResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def flush(config: Config, engine: Engine, now: dt.datetime, batch: int = 100) -> FlushResult:
    """Send every due mail of the outbox; failures are retried later with doubling delays."""
    result = FlushResult()
    settings = config.smtp_settings()
    while True:
        with open_session(engine) as session:
            pending = queries.due_outbox(session, to_db_time(now), batch)
        for row in pending:
            try:
                send(settings, config.mailbox.address, list(row.recipients), row.raw)
            except DeliveryError as exc:
                _record_failure(engine, config, row, exc, now, result)
                if exc.unreachable:
                    log.warning("SMTP server unreachable, stopping this flush: %s", exc)
                    return result
                continue
            _mark_sent(engine, row, now)
            result.sent += 1
            log.info("sent %s mail %s to %s", row.kind, row.message_id, row.to_addr)
        if len(pending) < batch:
            return result


def _mark_sent(engine: Engine, row: Outbox, now: dt.datetime) -> None:
    with open_session(engine) as session:
        stored = session.get(Outbox, row.id)
        stored.status, stored.sent_at = "sent", to_db_time(now)
        stored.attempts += 1
        session.add(stored)
        session.commit()


def _record_failure(engine: Engine, config: Config, row: Outbox, exc: DeliveryError,
                    now: dt.datetime, result: FlushResult) -> None:
    with open_session(engine) as session:
        stored = session.get(Outbox, row.id)
        stored.attempts += 1
        stored.last_error = str(exc)[:500]
        if exc.permanent or stored.attempts >= config.replies.max_attempts:
            stored.status = "failed"
            result.failed += 1
            log.error("giving up on %s mail to %s: %s", row.kind, row.to_addr, exc)
        else:
            delay = dt.timedelta(seconds=config.replies.retry_base_seconds * 2 ** (stored.attempts - 1))
            stored.next_attempt_at = to_db_time(now + min(delay, MAX_DELAY))
            result.retrying += 1
            log.warning("%s mail to %s will be retried: %s", row.kind, row.to_addr, exc)
        session.add(stored)
        session.commit()
