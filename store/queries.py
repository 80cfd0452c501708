"""The questions the robot asks of the store, named for what they answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from store.tables import DaemonLock, Message, Outbox, PollState, ReminderSent, Submission, SubmissionValue


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


def poll_states(session: Session) -> list[PollState]:
    return list(session.exec(select(PollState)))


def is_claimed(session: Session, mailbox: str, folder: str, uidvalidity: int, uid: int) -> bool:
    """Whether this exact mailbox message has already been recorded."""
    query = select(Message.id).where(
        Message.mailbox == mailbox, Message.folder == folder,
        Message.uidvalidity == uidvalidity, Message.uid == uid,
    )
    return session.exec(query).first() is not None


def earlier_copy(session: Session, sha256: str, message_id: str, sender: str) -> Message | None:
    """A message already processed with the same bytes, or the same Message-ID from the sender."""
    found = session.exec(select(Message).where(Message.sha256 == sha256)).first()
    if found is None and message_id:
        found = session.exec(
            select(Message).where(Message.message_id == message_id, Message.sender == sender)
        ).first()
    return found


def current_submission(session: Session, unit_code: str, period_id: str) -> Submission | None:
    query = select(Submission).where(
        Submission.unit_code == unit_code, Submission.period_id == period_id,
        col(Submission.is_current).is_(True),
    )
    return session.exec(query).first()


def next_version(session: Session, unit_code: str, period_id: str) -> int:
    """Version number for a new filed (non-unverified) submission of the unit for the period."""
    query = select(func.max(Submission.version)).where(
        Submission.unit_code == unit_code, Submission.period_id == period_id,
        Submission.state != "unverified",
    )
    return (session.exec(query).one() or 0) + 1


def current_submissions(session: Session, period_id: str) -> dict[str, Submission]:
    """The current report of every unit that filed one for the period, by unit code."""
    query = select(Submission).where(
        Submission.period_id == period_id, col(Submission.is_current).is_(True)
    )
    return {s.unit_code: s for s in session.exec(query)}


def unverified_submissions(session: Session, period_id: str) -> dict[str, Submission]:
    """The latest unverified submission naming each unit, for the period."""
    query = (
        select(Submission)
        .where(Submission.period_id == period_id, Submission.state == "unverified")
        .order_by(col(Submission.id))
    )
    return {s.unit_code: s for s in session.exec(query)}


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


def messages_with_outcome(session: Session, outcome: str, period_id: str | None = None,
                          since: dt.datetime | None = None) -> list[Message]:
    query = select(Message).where(Message.outcome == outcome)
    if period_id is not None:
        query = query.where(Message.period_id == period_id)
    if since is not None:
        query = query.where(Message.received_at >= since)
    return list(session.exec(query.order_by(col(Message.received_at))))


def replies_sent_to(session: Session, to_addr: str, kind: str, since: dt.datetime) -> int:
    """How many replies of a kind were queued for an address since a moment (rate limits)."""
    query = select(func.count()).select_from(Outbox).where(
        Outbox.to_addr == to_addr, Outbox.kind == kind, Outbox.created_at >= since
    )
    return session.exec(query).one()


def replies_queued_since(session: Session, kinds: Iterable[str], since: dt.datetime,
                         to_addr: str | None = None) -> int:
    """Automatic replies queued (not suppressed) since a moment, to one address or to anyone."""
    query = select(func.count()).select_from(Outbox).where(
        col(Outbox.kind).in_(list(kinds)), Outbox.created_at >= since, Outbox.status != "suppressed"
    )
    if to_addr is not None:
        query = query.where(Outbox.to_addr == to_addr)
    return session.exec(query).one()


def due_outbox(session: Session, now: dt.datetime, limit: int = 100) -> list[Outbox]:
    """Pending mails whose next attempt is due, oldest first."""
    query = (
        select(Outbox)
        .where(Outbox.status == "pending", Outbox.next_attempt_at <= now)
        .order_by(col(Outbox.id))
        .limit(limit)
    )
    return list(session.exec(query))


def outbox_counts(session: Session) -> dict[str, int]:
    query = select(Outbox.status, func.count()).group_by(Outbox.status)
    return {status: count for status, count in session.exec(query)}


def outbox_for_message(session: Session, message_pk: int) -> list[Outbox]:
    return list(session.exec(select(Outbox).where(Outbox.message_pk == message_pk)))


def filed_periods(session: Session, unit_code: str) -> set[str]:
    """Ids of the periods for which the unit's current report is complete."""
    query = select(Submission.period_id).where(
        Submission.unit_code == unit_code, col(Submission.is_current).is_(True),
        Submission.state == "complete",
    )
    return set(session.exec(query))


def supersede(session: Session, unit_code: str, period_id: str) -> None:
    """Mark the unit's current report for the period as no longer current."""
    current = current_submission(session, unit_code, period_id)
    if current is not None:
        current.is_current = False
        session.add(current)


def reminder_steps_sent(session: Session, period_id: str) -> set[tuple[str, str]]:
    """The (unit code, step) pairs already reminded for a period."""
    query = select(ReminderSent.unit_code, ReminderSent.step).where(ReminderSent.period_id == period_id)
    return {(unit, step) for unit, step in session.exec(query)}


def failed_outbox(session: Session, since: dt.datetime) -> list[Outbox]:
    """Mails given up on (permanent error or too many attempts) created since a moment."""
    query = select(Outbox).where(Outbox.status == "failed", Outbox.created_at >= since)
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
