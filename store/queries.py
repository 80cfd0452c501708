"""The questions the robot asks of the store, named for what they answer.

A robot serves one mailbox; robots sharing a database see only their own mailbox's messages,
submissions, outbox and reminders. Questions the digest may ask across robots take
``mailbox=None`` for every mailbox.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol

from sqlalchemy import bindparam, func, update
from sqlalchemy import select as sa_select
from sqlalchemy.orm.util import identity_key
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from store.db import from_db_time
from store.prepared import prepared, run
from store.tables import (IntakeAttempt, Message, Outbox, PollState, ReminderSent, Submission,
                          SubmissionValue)


def _scoped(query, column, mailbox: str | None):
    """The query limited to one mailbox, or left across every mailbox when ``mailbox`` is None."""
    return query if mailbox is None else query.where(column == mailbox)


def poll_position(session: Session, mailbox: str, folder: str, uidvalidity: int) -> int:
    """Last processed UID of a folder; 0 when the folder is new or its UIDVALIDITY changed.

    A changed UIDVALIDITY means old UIDs are meaningless; re-reading from 0 is safe because
    every message is also deduplicated by content hash and Message-ID.
    """
    state = session.get(PollState, (mailbox, folder))
    if state is None or state.uidvalidity != uidvalidity:
        return 0
    return state.last_uid


def advance_poll(
    session: Session, mailbox: str, folder: str, uidvalidity: int, uid: int, at: dt.datetime
) -> None:
    """Record that every UID up to ``uid`` of the folder has been handled (never moves back)."""
    held = session.identity_map.get(identity_key(PollState, (mailbox, folder)))
    if held is None and run(session, _advance(), b_mailbox=mailbox, b_folder=folder, b_uidvalidity=uidvalidity,
                            b_uid=uid, b_at=at).rowcount:
        return  # the usual step, one statement; a first position, a new UIDVALIDITY or a UID behind it below
    state = session.get(PollState, (mailbox, folder))
    if state is None:
        session.add(PollState(mailbox=mailbox, folder=folder, uidvalidity=uidvalidity,
                              last_uid=uid, last_poll_at=at))
        return
    if state.uidvalidity != uidvalidity:
        state.uidvalidity, state.last_uid = uidvalidity, 0
    state.last_uid = max(state.last_uid, uid)
    state.last_poll_at = at
    session.add(state)


@prepared
def _advance():
    state = PollState.__table__.c
    return update(PollState.__table__).where(
        state.mailbox == bindparam("b_mailbox"), state.folder == bindparam("b_folder"),
        state.uidvalidity == bindparam("b_uidvalidity"), state.last_uid < bindparam("b_uid"),
    ).values(last_uid=bindparam("b_uid"), last_poll_at=bindparam("b_at"))


def record_poll(session: Session, mailbox: str, folder: str, at: dt.datetime,
                error: str | None) -> None:
    """Heartbeat: when the folder was last polled and the last error, if any."""
    state = session.get(PollState, (mailbox, folder))
    if state is None:
        if error is not None:
            session.add(PollState(mailbox=mailbox, folder=folder, uidvalidity=0,
                                  last_poll_at=at, last_error=error))
        return
    state.last_poll_at, state.last_error = at, error
    session.add(state)


def has_polled(session: Session, mailbox: str, folder: str) -> bool:
    """Whether this robot has ever taken a position in the folder (a first poll baselines it)."""
    state = session.get(PollState, (mailbox, folder))
    return state is not None and state.uidvalidity != 0


def poll_states(session: Session, mailbox: str | None) -> list[PollState]:
    return list(session.exec(_scoped(select(PollState), PollState.mailbox, mailbox)))


def first_received(session: Session, mailbox: str) -> dt.datetime | None:
    """When the earliest message this robot recorded was received (aware UTC), None before any."""
    earliest = session.exec(select(func.min(Message.received_at)).where(Message.mailbox == mailbox)).one()
    return from_db_time(earliest)


def is_claimed(session: Session, mailbox: str, folder: str, uidvalidity: int, uid: int) -> bool:
    """Whether this exact mailbox message has already been recorded."""
    found = run(session, _claim(), b_mailbox=mailbox, b_folder=folder, b_uidvalidity=uidvalidity, b_uid=uid)
    return found.first() is not None


@prepared
def _claim():
    message = Message.__table__.c
    return sa_select(message.id).where(
        message.mailbox == bindparam("b_mailbox"), message.folder == bindparam("b_folder"),
        message.uidvalidity == bindparam("b_uidvalidity"), message.uid == bindparam("b_uid"),
    ).limit(1)


def earlier_copy(session: Session, mailbox: str, sha256: str, message_id: str, sender: str) -> int | None:
    """The id of a message of this mailbox with the same bytes, or the same Message-ID from the
    sender. A mail sent to two robots' mailboxes (Cc) is news to each of them."""
    found = run(session, _same_bytes(), b_mailbox=mailbox, b_sha256=sha256).scalar()
    if found is None and message_id:
        found = run(session, _same_message_id(), b_mailbox=mailbox, b_message_id=message_id, b_sender=sender).scalar()
    return found


@prepared
def _same_bytes():
    message = Message.__table__.c
    return sa_select(message.id).where(message.sha256 == bindparam("b_sha256"),
                                       message.mailbox == bindparam("b_mailbox")).limit(1)


@prepared
def _same_message_id():
    message = Message.__table__.c
    return sa_select(message.id).where(
        message.message_id == bindparam("b_message_id"), message.sender == bindparam("b_sender"),
        message.mailbox == bindparam("b_mailbox"),
    ).limit(1)


def sent_by_robot(session: Session, mailbox: str, message_ids: Iterable[str]) -> bool:
    """Whether any of these Message-IDs is a mail this robot composed (a reply in its thread)."""
    wanted = [m for m in message_ids if m]
    if not wanted:
        return False
    query = select(Outbox.id).where(Outbox.mailbox == mailbox, col(Outbox.message_id).in_(wanted))
    return session.exec(query.limit(1)).first() is not None


def thread_period(session: Session, mailbox: str, message_ids: Iterable[str]) -> tuple[str, str] | None:
    """The (programme, period) of the message the robot answered with one of these Message-IDs
    (newest first)."""
    wanted = [m for m in message_ids if m]
    if not wanted:
        return None
    query = (select(Message.programme, Message.period_id).join(Outbox, col(Outbox.message_pk) == Message.id)
             .where(Outbox.mailbox == mailbox, col(Outbox.message_id).in_(wanted),
                    col(Message.period_id).is_not(None))
             .order_by(col(Outbox.id).desc()))
    found = session.exec(query.limit(1)).first()
    return (found[0] or "default", found[1]) if found else None


def answered_since(session: Session, mailbox: str, kinds: Iterable[str], since: dt.datetime,
                   to_addr: str) -> bool:
    """Whether a reply of these kinds was queued to the address since a moment (sent or not yet)."""
    query = select(Outbox.id).where(
        Outbox.mailbox == mailbox, col(Outbox.kind).in_(list(kinds)), Outbox.created_at >= since,
        Outbox.to_addr == to_addr, Outbox.status != "suppressed",
    )
    return session.exec(query.limit(1)).first() is not None


def current_submission(session: Session, mailbox: str, unit_code: str, programme: str,
                       period_id: str) -> Submission | None:
    query = select(Submission).where(
        Submission.mailbox == mailbox, Submission.unit_code == unit_code, Submission.programme == programme,
        Submission.period_id == period_id, col(Submission.is_current).is_(True),
    )
    return session.exec(query).first()


def next_version(session: Session, mailbox: str, unit_code: str, programme: str, period_id: str) -> int:
    """Version number for a new filed (non-unverified) submission of the unit for the period."""
    latest = run(session, _latest_version(), b_mailbox=mailbox, b_unit_code=unit_code, b_programme=programme,
                 b_period_id=period_id).scalar_one()
    return (latest or 0) + 1


@prepared
def _latest_version():
    submission = Submission.__table__.c
    return sa_select(func.max(submission.version)).where(
        *_unit_period(submission), submission.state != "unverified")


def _unit_period(submission) -> tuple:
    """Where a submission is the unit's for the period (named parameters)."""
    return (submission.mailbox == bindparam("b_mailbox"), submission.unit_code == bindparam("b_unit_code"),
            submission.programme == bindparam("b_programme"), submission.period_id == bindparam("b_period_id"))


def current_submissions(session: Session, mailbox: str | None, programme: str,
                        period_id: str) -> dict[str, Submission]:
    """The current report of every unit that filed one for the period, by unit code.

    Across mailboxes, a unit that filed with several robots counts with its latest report.
    """
    query = select(Submission).where(
        Submission.programme == programme, Submission.period_id == period_id, col(Submission.is_current).is_(True)
    ).order_by(col(Submission.received_at), col(Submission.id))
    return {s.unit_code: s for s in session.exec(_scoped(query, Submission.mailbox, mailbox))}


def unverified_submissions(session: Session, mailbox: str | None, programme: str,
                           period_id: str) -> dict[str, Submission]:
    """The latest unverified submission naming each unit, for the period."""
    query = (
        select(Submission)
        .where(Submission.programme == programme, Submission.period_id == period_id,
               Submission.state == "unverified")
        .order_by(col(Submission.id))
    )
    return {s.unit_code: s for s in session.exec(_scoped(query, Submission.mailbox, mailbox))}


def values_of(session: Session, submission_ids: Iterable[int]) -> dict[int, list[SubmissionValue]]:
    """The stored figures of each submission, by submission id."""
    ids = list(submission_ids)
    result: dict[int, list[SubmissionValue]] = {i: [] for i in ids}
    if not ids:
        return result
    query = select(SubmissionValue).where(col(SubmissionValue.submission_id).in_(ids))
    for value in session.exec(query):
        result[value.submission_id].append(value)
    return result


def current_figures(session: Session, mailbox: str | None, programme: str,
                    period_id: str) -> dict[int, dict[str, object]]:
    """The figures of every current report of the period, {key: value} by submission id.

    One joined query, not an IN list of ids: a period of 45,000 units is past SQLite's limit
    of bound parameters.
    """
    query = (
        select(SubmissionValue.submission_id, SubmissionValue.key, SubmissionValue.value)
        .join(Submission, col(Submission.id) == SubmissionValue.submission_id)
        .where(Submission.programme == programme, Submission.period_id == period_id,
               col(Submission.is_current).is_(True))
    )
    figures: dict[int, dict[str, object]] = {}
    # Core rows, not ORM loading: a third of the time over a period of 45,000 reports.
    for submission_id, key, value in session.connection().execute(_scoped(query, Submission.mailbox, mailbox)):
        figures.setdefault(submission_id, {})[key] = value
    return figures


def messages_with_outcome(session: Session, mailbox: str | None, outcome: str,
                          period: tuple[str, str] | None = None, since: dt.datetime | None = None) -> list[Message]:
    """Messages of one outcome, oldest first; ``period`` (programme, period id) narrows them."""
    query = _scoped(select(Message).where(Message.outcome == outcome), Message.mailbox, mailbox)
    if period is not None:
        query = query.where(Message.programme == period[0], Message.period_id == period[1])
    if since is not None:
        query = query.where(Message.received_at >= since)
    return list(session.exec(query.order_by(col(Message.received_at))))


def replies_queued_since(session: Session, mailbox: str, kinds: Iterable[str], since: dt.datetime,
                         to_addr: str | None = None) -> int:
    """Automatic replies queued since a moment and not held back, to one address or to anyone."""
    one = {"b_to_addr": to_addr} if to_addr is not None else {}
    return run(session, _queued(to_one=bool(one)), b_mailbox=mailbox, b_kinds=list(kinds), b_since=since,
               **one).scalar_one()


@prepared
def _queued(to_one: bool):
    outbox = Outbox.__table__.c
    query = sa_select(func.count()).select_from(Outbox.__table__).where(
        outbox.mailbox == bindparam("b_mailbox"), outbox.kind.in_(bindparam("b_kinds", expanding=True)),
        outbox.created_at >= bindparam("b_since"), outbox.status.not_in(["suppressed", "deferred"]),
    )
    return query.where(outbox.to_addr == bindparam("b_to_addr")) if to_one else query


def replies_sent_since(session: Session, mailbox: str, kinds: Iterable[str], since: dt.datetime,
                       to_addr: str | None = None) -> int:
    """Automatic replies handed to the SMTP server (or being handed) since a moment."""
    query = select(func.count()).select_from(Outbox).where(
        Outbox.mailbox == mailbox, col(Outbox.kind).in_(list(kinds)),
        col(Outbox.status).in_(["sent", "sending"]), Outbox.sent_at >= since,
    )
    if to_addr is not None:
        query = query.where(Outbox.to_addr == to_addr)
    return session.exec(query).one()


def due_outbox(session: Session, mailbox: str, now: dt.datetime, after_id: int, limit: int) -> list[int]:
    """Ids (past ``after_id``) of the mails to try now, oldest first: pending or deferred ones
    whose time has come, and ones a flush took but never finished (their lease ran out)."""
    query = (
        select(Outbox.id)
        .where(Outbox.mailbox == mailbox, col(Outbox.status).in_(_SENDABLE),
               Outbox.next_attempt_at <= now, col(Outbox.id) > after_id)
        .order_by(col(Outbox.id))
        .limit(limit)
    )
    return list(session.exec(query))


_SENDABLE = ("pending", "deferred", "sending")


class TakenMail(Protocol):
    """What a flush reads of the mail it took (a row of ``take_for_sending``)."""

    kind: str
    to_addr: str
    recipients: list[str]
    raw: bytes
    message_id: str
    attempts: int
    last_error: str | None


def take_for_sending(session: Session, outbox_id: int, now: dt.datetime,
                     lease_until: dt.datetime) -> TakenMail | None:
    """Take the mail for sending until ``lease_until`` and count the attempt; commits at once.

    None when another flush took it first or it is no longer due. What the session holds (the
    mail sent before it, marked) is committed with it. The take is one conditional
    UPDATE, so two flushes (two hosts, an overlapping cron) never both get it, and no write
    transaction stays open while the mail travels to the SMTP server. A flush killed mid-send
    leaves the mail "sending"; the next flush takes it again once the lease has run out.
    """
    taken = run(session, _take(), b_outbox_id=outbox_id, b_now=now, b_lease_until=lease_until).first()
    session.commit()
    return taken


@prepared
def _take():
    outbox = Outbox.__table__.c
    return update(Outbox.__table__).where(
        outbox.id == bindparam("b_outbox_id"), outbox.status.in_(_SENDABLE), outbox.next_attempt_at <= bindparam("b_now"),
    ).values(status="sending", attempts=outbox.attempts + 1, next_attempt_at=bindparam("b_lease_until")).returning(
        outbox.kind, outbox.to_addr, outbox.recipients, outbox.raw, outbox.message_id, outbox.attempts,
        outbox.last_error)


def mark_sent(session: Session, outbox_id: int, at: dt.datetime) -> None:
    """Record that the SMTP server accepted a taken mail, in the caller's transaction."""
    run(session, _sent(), b_outbox_id=outbox_id, b_at=at)


@prepared
def _sent():
    outbox = Outbox.__table__.c
    return update(Outbox.__table__).where(outbox.id == bindparam("b_outbox_id")).values(
        status="sent", sent_at=bindparam("b_at"), last_error=None)


def record_failed_send(session: Session, outbox_id: int, status: str, next_attempt_at: dt.datetime | None,
                       error: str) -> None:
    """Record a failed attempt at a taken mail: pending again from ``next_attempt_at``, or failed; commits."""
    values: dict = dict(status=status, last_error=error)
    if next_attempt_at is not None:
        values["next_attempt_at"] = next_attempt_at
    session.exec(update(Outbox).where(Outbox.id == outbox_id).values(**values))
    session.commit()


def hold_back(session: Session, outbox_id: int, until: dt.datetime, reason: str) -> None:
    """Return a taken mail to the outbox as deferred until a rate cap allows it; commits."""
    session.exec(update(Outbox).where(Outbox.id == outbox_id).values(
        status="deferred", attempts=Outbox.attempts - 1, next_attempt_at=until, last_error=reason))
    session.commit()


def supersede_held(session: Session, mailbox: str, to_addr: str, kind: str) -> None:
    """Retire the replies of a kind still held back for an address: a newer one replaces them."""
    session.exec(update(Outbox).where(
        Outbox.mailbox == mailbox, Outbox.to_addr == to_addr, Outbox.kind == kind,
        Outbox.status == "deferred",
    ).values(status="superseded"))


def undeliverable(session: Session, mailbox: str | None, programme: str, period_id: str) -> dict[str, list[Outbox]]:
    """Mail about a period the robot gave up delivering, by unit: answers to the unit's messages
    and reminders to it (a wrong address, a full mailbox: someone must phone the unit)."""
    failed = {}
    answers = (select(Message.unit_code, Outbox).join(Message, col(Outbox.message_pk) == Message.id)
               .where(Message.programme == programme, Message.period_id == period_id, Outbox.status == "failed"))
    reminders = (select(ReminderSent.unit_code, Outbox).join(ReminderSent, ReminderSent.outbox_id == Outbox.id)
                 .where(ReminderSent.programme == programme, ReminderSent.period_id == period_id,
                        Outbox.status == "failed"))
    for query in (_scoped(answers, Outbox.mailbox, mailbox), _scoped(reminders, Outbox.mailbox, mailbox)):
        for unit_code, row in session.exec(query):
            if unit_code:
                failed.setdefault(unit_code, []).append(row)
    return failed


def held_back_replies(session: Session, mailbox: str | None) -> list[Outbox]:
    """Replies a rate cap is holding back, to be sent when it allows."""
    query = _scoped(select(Outbox).where(Outbox.status == "deferred"), Outbox.mailbox, mailbox)
    return list(session.exec(query.order_by(col(Outbox.id))))


def outbox_counts(session: Session, mailbox: str) -> dict[str, int]:
    query = select(Outbox.status, func.count()).where(Outbox.mailbox == mailbox).group_by(Outbox.status)
    return {status: count for status, count in session.exec(query)}


def filed_periods(session: Session, mailbox: str, unit_code: str, programme: str) -> set[str]:
    """Ids of the programme's periods for which the unit's current report is complete."""
    return set(run(session, _complete_periods(), b_mailbox=mailbox, b_unit_code=unit_code,
                   b_programme=programme).scalars())


@prepared
def _complete_periods():
    submission = Submission.__table__.c
    return sa_select(submission.period_id).where(
        submission.mailbox == bindparam("b_mailbox"), submission.unit_code == bindparam("b_unit_code"),
        submission.programme == bindparam("b_programme"), submission.is_current.is_(True),
        submission.state == "complete",
    )


def supersede(session: Session, mailbox: str, unit_code: str, programme: str, period_id: str) -> None:
    """Mark the unit's current report for the period as no longer current."""
    run(session, _supersede(), b_mailbox=mailbox, b_unit_code=unit_code, b_programme=programme, b_period_id=period_id)
    for held in session.identity_map.values():  # a staff correction holds the report it supersedes
        if (isinstance(held, Submission) and held.is_current and
                (held.mailbox, held.unit_code, held.programme, held.period_id) == (mailbox, unit_code, programme, period_id)):
            set_committed_value(held, "is_current", False)


@prepared
def _supersede():
    submission = Submission.__table__.c
    return update(Submission.__table__).where(*_unit_period(submission), submission.is_current.is_(True)).values(
        is_current=False)


def reminder_steps_sent(session: Session, mailbox: str, programme: str, period_id: str) -> set[tuple[str, str]]:
    """The (unit code, step) pairs already reminded for a period."""
    query = select(ReminderSent.unit_code, ReminderSent.step).where(
        ReminderSent.mailbox == mailbox, ReminderSent.programme == programme, ReminderSent.period_id == period_id)
    return {(unit, step) for unit, step in session.exec(query)}


def failed_outbox(session: Session, mailbox: str | None, since: dt.datetime) -> list[Outbox]:
    """Mails given up on (permanent error or too many attempts) created since a moment."""
    query = _scoped(select(Outbox).where(Outbox.status == "failed", Outbox.created_at >= since),
                    Outbox.mailbox, mailbox)
    return list(session.exec(query.order_by(col(Outbox.id))))


def intake_attempt(session: Session, mailbox: str, folder: str, uidvalidity: int,
                   uid: int) -> IntakeAttempt | None:
    return session.get(IntakeAttempt, (mailbox, folder, uidvalidity, uid))


def count_intake_attempt(session: Session, mailbox: str, folder: str, uidvalidity: int, uid: int,
                         at: dt.datetime, error: str) -> IntakeAttempt:
    """Count one more failed try at a message (the caller commits)."""
    attempt = intake_attempt(session, mailbox, folder, uidvalidity, uid)
    if attempt is None:
        attempt = IntakeAttempt(mailbox=mailbox, folder=folder, uidvalidity=uidvalidity, uid=uid,
                                first_failed_at=at, last_failed_at=at)
    attempt.attempts += 1
    attempt.last_failed_at, attempt.last_error = at, error[:1000]
    session.add(attempt)
    return attempt


def stuck_messages(session: Session, mailbox: str | None) -> list[IntakeAttempt]:
    """Messages the poll keeps failing on and has not yet recorded (stuck or being retried)."""
    query = _scoped(select(IntakeAttempt), IntakeAttempt.mailbox, mailbox)
    claimed = select(Message.id).where(
        Message.mailbox == IntakeAttempt.mailbox, Message.folder == IntakeAttempt.folder,
        Message.uidvalidity == IntakeAttempt.uidvalidity, Message.uid == IntakeAttempt.uid,
    ).exists()
    return list(session.exec(query.where(~claimed).order_by(col(IntakeAttempt.first_failed_at))))
