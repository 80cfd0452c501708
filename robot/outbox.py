"""Outgoing mail: composed into the outbox inside the intake transaction, sent by ``flush``.

Only ``flush`` talks to SMTP. A mail is marked sent right after the server accepts it, so a
crash can at worst resend the one mail that was on the wire. Each robot sends only its own
mailbox's rows (with its own SMTP account).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session

from mailer.compose import OutgoingMail, compose
from mailer.errors import DeliveryError
from mailer.incoming import Attachment
from mailer.smtp import SmtpConnection
from robot.config import Config
from store.db import session as open_session
from store.db import to_db_time
from store.prepared import insert_row
from store import queries
from store.queries import TakenMail
from store.tables import Outbox

log = logging.getLogger(__name__)

MAX_DELAY = dt.timedelta(hours=6)
# A reply held back by a rate cap is looked at again after this long (and sent when the cap allows).
DEFERRAL = dt.timedelta(minutes=15)
# How long a flush may take to hand one mail to the SMTP server (a few SMTP timeouts) before
# another flush may take it again: a flush killed mid-send is retried after this.
SENDING_LEASE = dt.timedelta(minutes=5)
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
    domain = config.mailbox.address.rpartition("@")[2]
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
        message_id=email.utils.make_msgid(domain=domain),  # filed beside the mail: the thread's key
    )
    raw = compose(mail, domain=domain)
    row = Outbox(
        mailbox=config.mailbox.address, kind=kind, to_addr=to[0].lower(), recipients=to, subject=subject,
        message_id=mail.message_id, raw=raw, message_pk=message_pk,
        created_at=to_db_time(now), next_attempt_at=to_db_time(now),
    )
    if kind in REPLY_KINDS:
        held = _held_back_by(session, config, row.to_addr, now)
        if held:
            row.status, row.last_error = "deferred", held
            row.next_attempt_at = to_db_time(now + DEFERRAL)
            # One held-back answer of a kind per address: a newer one says all an older one would.
            queries.supersede_held(session, config.mailbox.address, row.to_addr, kind)
            log.warning("%s reply to %s held back: %s", kind, row.to_addr, held)
    row.id = insert_row(session, row)
    return row


def _held_back_by(session: Session, config: Config, to_addr: str, now: dt.datetime,
                  count=queries.replies_queued_since) -> str | None:
    """Which rate cap holds a reply back now, or None.

    The cap per address guards against loops with one correspondent. The hourly cap guards
    against floods (a loop, forged mail) to addresses the robot does not know; a registered
    unit's answers about its own report are never held by it (deadline day: a thousand units
    in one hour each get their acknowledgement).
    """
    caps = config.replies
    mailbox = config.mailbox.address
    day = to_db_time(now - dt.timedelta(days=1))
    if count(session, mailbox, REPLY_KINDS, day, to_addr) >= caps.per_address_per_day:
        return f"rate limit: {caps.per_address_per_day} replies a day to one address"
    if config.unit_by_email(to_addr) is not None:
        return None
    hour = to_db_time(now - dt.timedelta(hours=1))
    if count(session, mailbox, REPLY_KINDS, hour) >= caps.per_hour:
        return f"rate limit: {caps.per_hour} replies an hour"
    return None


@dataclass
class FlushResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    deferred: int = 0  # held back again by a rate cap

    def add(self, other: FlushResult) -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed
        self.deferred += other.deferred


def flush(config: Config, engine: Engine, now: dt.datetime, batch: int = 100) -> FlushResult:
    """Send every due mail of this robot's outbox over one SMTP session.

    Each mail is held in its own transaction while it is sent and marked sent, so flushes
    running at once (an overlapping cron, two hosts) never send one twice. Failures are
    retried later with doubling delays; an unreachable server ends the flush.
    """
    result = FlushResult()
    with SmtpConnection(config.smtp_settings()) as smtp:
        send_due(config, engine, smtp, now, result, batch)
    return result


def send_due(config: Config, engine: Engine, smtp: SmtpConnection, now: dt.datetime,
             result: FlushResult, batch: int = 100) -> bool:
    """Send what is due now over an open session, counted into ``result``; False when the SMTP
    server is unreachable (the rest waits for the next flush).

    A mail the server accepted is marked sent in the transaction that takes the next one (the
    last at the end): one commit a mail, and still at most the mail on the wire sent again
    after a crash.
    """
    moment = to_db_time(now)
    last_id = 0
    accepted: list[int] = []  # accepted by the SMTP server, not yet marked sent
    try:
        while True:
            with open_session(engine) as session:
                due = queries.due_outbox(session, config.mailbox.address, moment, last_id, batch)
            for outbox_id in due:
                if not _send_one(config, engine, smtp, outbox_id, now, result, accepted):
                    return False
            if len(due) < batch:
                return True
            last_id = due[-1]
    finally:
        if accepted:
            with open_session(engine) as session:
                queries.mark_sent(session, accepted.pop(), moment)
                session.commit()


def _send_one(config: Config, engine: Engine, smtp: SmtpConnection, outbox_id: int,
              now: dt.datetime, result: FlushResult, accepted: list[int]) -> bool:
    """Send one mail unless another flush has it; False when the SMTP server is unreachable.

    Two short transactions — take (marking the mail sent before it), send with none open, and
    a record only when the send failed — so a concurrent poll is never blocked behind an SMTP
    conversation. The mail, once accepted, is left in ``accepted`` for the next take to mark.
    """
    with open_session(engine) as session:
        if accepted:
            queries.mark_sent(session, accepted.pop(), to_db_time(now))
        row = queries.take_for_sending(session, outbox_id, to_db_time(now), to_db_time(now + SENDING_LEASE))
        if row is None:
            return True
        if row.last_error and row.last_error.startswith("rate limit"):  # deferred by a cap
            held = _held_back_by(session, config, row.to_addr, now, count=queries.replies_sent_since)
            if held:
                queries.hold_back(session, outbox_id, to_db_time(now + DEFERRAL), held)
                result.deferred += 1
                return True
    try:
        smtp.send(config.mailbox.address, list(row.recipients), row.raw)
    except DeliveryError as exc:
        status, next_attempt_at = _after_failure(config, row, exc, now, result)
        with open_session(engine) as session:
            queries.record_failed_send(session, outbox_id, status, next_attempt_at, str(exc)[:500])
        if exc.unreachable:
            log.warning("SMTP server unreachable, stopping this flush: %s", exc)
            return False
        return True
    accepted.append(outbox_id)
    result.sent += 1
    log.info("sent %s mail %s to %s", row.kind, row.message_id, row.to_addr)
    return True


def _after_failure(config: Config, row: TakenMail, exc: DeliveryError, now: dt.datetime,
                   result: FlushResult) -> tuple[str, dt.datetime | None]:
    """The mail's status after a failed attempt, and when to try again (None: given up)."""
    if exc.permanent or row.attempts >= config.replies.max_attempts:
        result.failed += 1
        log.error("giving up on %s mail to %s: %s", row.kind, row.to_addr, exc)
        return "failed", None
    delay = dt.timedelta(seconds=config.replies.retry_base_seconds * 2 ** (row.attempts - 1))
    result.retrying += 1
    log.warning("%s mail to %s will be retried: %s", row.kind, row.to_addr, exc)
    return "pending", to_db_time(now + min(delay, MAX_DELAY))
