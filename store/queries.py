"""The questions the robot asks of the store, named for what they answer.

A robot serves one mailbox; robots sharing a database see only their own mailbox's messages,
submissions, outbox and reminders. Questions the digest may ask across robots take
``mailbox=None`` for every mailbox.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from store.tables import DaemonLock, Message, Outbox, PollState, ReminderSent, Submission, SubmissionValue


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


def poll_states(session: Session, mailbox: str | None) -> list[PollState]:
    return list(session.exec(_scoped(select(PollState), PollState.mailbox, mailbox)))


def is_claimed(session: Session, mailbox: str, folder: str, uidvalidity: int, uid: int) -> bool:
    """Whether this exact mailbox message has already been recorded."""
    query = select(Message.id).where(
        Message.mailbox == mailbox, Message.folder == folder,
        Message.uidvalidity == uidvalidity, Message.uid == uid,
    )
    return session.exec(query).first() is not None


def earlier_copy(session: Session, mailbox: str, sha256: str, message_id: str,
                 sender: str) -> Message | None:
    """A message of this mailbox with the same bytes, or the same Message-ID from the sender.

    A mail sent to two robots' mailboxes (Cc) is news to each of them.
    """
    found = session.exec(select(Message).where(Message.sha256 == sha256, Message.mailbox == mailbox)).first()
    if found is None and message_id:
        found = session.exec(select(Message).where(
            Message.message_id == message_id, Message.sender == sender, Message.mailbox == mailbox,
        )).first()
    return found


def current_submission(session: Session, mailbox: str, unit_code: str, period_id: str) -> Submission | None:
    query = select(Submission).where(
        Submission.mailbox == mailbox, Submission.unit_code == unit_code,
        Submission.period_id == period_id, col(Submission.is_current).is_(True),
    )
    return session.exec(query).first()


def next_version(session: Session, mailbox: str, unit_code: str, period_id: str) -> int:
    """Version number for a new filed (non-unverified) submission of the unit for the period."""
    query = select(func.max(Submission.version)).where(
        Submission.mailbox == mailbox, Submission.unit_code == unit_code,
        Submission.period_id == period_id, Submission.state != "unverified",
    )
    return (session.exec(query).one() or 0) + 1


def current_submissions(session: Session, mailbox: str | None, period_id: str) -> dict[str, Submission]:
    """The current report of every unit that filed one for the period, by unit code.

    Across mailboxes, a unit that filed with several robots counts with its latest report.
    """
    query = select(Submission).where(
        Submission.period_id == period_id, col(Submission.is_current).is_(True)
    ).order_by(col(Submission.received_at), col(Submission.id))
    return {s.unit_code: s for s in session.exec(_scoped(query, Submission.mailbox, mailbox))}


def unverified_submissions(session: Session, mailbox: str | None, period_id: str) -> dict[str, Submission]:
    """The latest unverified submission naming each unit, for the period."""
    query = (
        select(Submission)
        .where(Submission.period_id == period_id, Submission.state == "unverified")
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


def current_figures(session: Session, mailbox: str | None, period_id: str) -> dict[int, dict[str, object]]:
    """The figures of every current report of the period, {key: value} by submission id.

    One joined query, not an IN list of ids: a period of 45,000 units is past SQLite's limit
    of bound parameters.
    """
    query = (
        select(SubmissionValue.submission_id, SubmissionValue.key, SubmissionValue.value)
        .join(Submission, col(Submission.id) == SubmissionValue.submission_id)
        .where(Submission.period_id == period_id, col(Submission.is_current).is_(True))
    )
    figures: dict[int, dict[str, object]] = {}
    # Core rows, not ORM loading: a third of the time over a period of 45,000 reports.
    for submission_id, key, value in session.connection().execute(_scoped(query, Submission.mailbox, mailbox)):
        figures.setdefault(submission_id, {})[key] = value
    return figures


def messages_with_outcome(session: Session, mailbox: str | None, outcome: str,
                          period_id: str | None = None, since: dt.datetime | None = None) -> list[Message]:
    query = _scoped(select(Message).where(Message.outcome == outcome), Message.mailbox, mailbox)
    if period_id is not None:
        query = query.where(Message.period_id == period_id)
    if since is not None:
        query = query.where(Message.received_at >= since)
    return list(session.exec(query.order_by(col(Message.received_at))))


def replies_queued_since(session: Session, mailbox: str, kinds: Iterable[str], since: dt.datetime,
                         to_addr: str | None = None) -> int:
    """Automatic replies queued (not suppressed) since a moment, to one address or to anyone."""
    query = select(func.count()).select_from(Outbox).where(
        Outbox.mailbox == mailbox, col(Outbox.kind).in_(list(kinds)), Outbox.created_at >= since,
        Outbox.status != "suppressed",
    )
    if to_addr is not None:
        query = query.where(Outbox.to_addr == to_addr)
    return session.exec(query).one()


def due_outbox(session: Session, mailbox: str, now: dt.datetime, after_id: int, limit: int) -> list[int]:
    """Ids (past ``after_id``) of the pending mails whose next attempt is due, oldest first."""
    query = (
        select(Outbox.id)
        .where(Outbox.mailbox == mailbox, Outbox.status == "pending", Outbox.next_attempt_at <= now,
               col(Outbox.id) > after_id)
        .order_by(col(Outbox.id))
        .limit(limit)
    )
    return list(session.exec(query))


def take_for_sending(session: Session, outbox_id: int, now: dt.datetime) -> Outbox | None:
    """The mail, held by this transaction for sending and its attempt counted; None when not to send.

    None when another flush holds it or has already sent it: PostgreSQL skips a row another
    transaction locked; on SQLite (no row locks) the UPDATE takes the database's write lock and
    re-checks the row is still pending. The hold ends with the transaction — or with the process,
    so a flush killed mid-send leaves the mail pending for the next one.
    """
    still_due = (Outbox.id == outbox_id, Outbox.status == "pending", Outbox.next_attempt_at <= now)
    row = session.exec(select(Outbox).where(*still_due).with_for_update(skip_locked=True)).first()
    if row is None:
        return None
    taken = session.exec(update(Outbox).where(*still_due).values(attempts=Outbox.attempts + 1)).rowcount
    return row if taken else None


def outbox_counts(session: Session, mailbox: str) -> dict[str, int]:
    query = select(Outbox.status, func.count()).where(Outbox.mailbox == mailbox).group_by(Outbox.status)
    return {status: count for status, count in session.exec(query)}


def filed_periods(session: Session, mailbox: str, unit_code: str) -> set[str]:
    """Ids of the periods for which the unit's current report is complete."""
    query = select(Submission.period_id).where(
        Submission.mailbox == mailbox, Submission.unit_code == unit_code,
        col(Submission.is_current).is_(True),
        Submission.state == "complete",
    )
    return set(session.exec(query))


def supersede(session: Session, mailbox: str, unit_code: str, period_id: str) -> None:
    """Mark the unit's current report for the period as no longer current."""
    current = current_submission(session, mailbox, unit_code, period_id)
    if current is not None:
        current.is_current = False
        session.add(current)


def reminder_steps_sent(session: Session, mailbox: str, period_id: str) -> set[tuple[str, str]]:
    """The (unit code, step) pairs already reminded for a period."""
    query = select(ReminderSent.unit_code, ReminderSent.step).where(
        ReminderSent.mailbox == mailbox, ReminderSent.period_id == period_id)
    return {(unit, step) for unit, step in session.exec(query)}


def failed_outbox(session: Session, mailbox: str | None, since: dt.datetime) -> list[Outbox]:
    """Mails given up on (permanent error or too many attempts) created since a moment."""
    query = _scoped(select(Outbox).where(Outbox.status == "failed", Outbox.created_at >= since),
                    Outbox.mailbox, mailbox)
    return list(session.exec(query.order_by(col(Outbox.id))))


def take_lock(session: Session, name: str, holder: str, now: dt.datetime, until: dt.datetime) -> bool:
    """Take the named lock if it is free or expired, atomically; commits. False when held."""
    taken = session.exec(
        update(DaemonLock)
        .where(col(DaemonLock.name) == name, col(DaemonLock.expires_at) < now)
        .values(holder=holder, acquired_at=now, heartbeat_at=now, expires_at=until)
    ).rowcount
    if taken:
        session.commit()
        return True
    session.add(DaemonLock(name=name, holder=holder, acquired_at=now, heartbeat_at=now, expires_at=until))
    try:
        session.commit()
    except IntegrityError:  # held by someone else (or another starter won the insert)
        session.rollback()
        return False
    return True


def renew_lock(session: Session, name: str, holder: str, now: dt.datetime, until: dt.datetime) -> bool:
    """Extend a lock this holder still has; commits. False when it was lost."""
    renewed = session.exec(
        update(DaemonLock)
        .where(col(DaemonLock.name) == name, col(DaemonLock.holder) == holder)
        .values(heartbeat_at=now, expires_at=until)
    ).rowcount
    session.commit()
    return bool(renewed)


def release_lock(session: Session, name: str, holder: str) -> None:
    """Drop the lock if this holder has it; commits."""
    session.exec(delete(DaemonLock).where(col(DaemonLock.name) == name, col(DaemonLock.holder) == holder))
    session.commit()


def lock_state(session: Session, name: str) -> DaemonLock | None:
    return session.get(DaemonLock, name)
