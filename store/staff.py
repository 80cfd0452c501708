"""The store's side of staff commands: excusals and the audit of staff actions.

Named questions, scoped to one robot's mailbox like the rest of the store (``mailbox=None``
for every mailbox, as the digest may ask).
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from store.db import to_db_time
from store.tables import Excusal, Message, StaffAction, Submission


def excused_units(session: Session, mailbox: str | None, programme: str, period_id: str) -> set[str]:
    """Codes of the units excused (and not undone) for a period."""
    query = select(Excusal.unit_code).where(Excusal.programme == programme, Excusal.period_id == period_id,
                                            col(Excusal.undone_at).is_(None))
    if mailbox is not None:
        query = query.where(Excusal.mailbox == mailbox)
    return set(session.exec(query))


def active_excusal(session: Session, mailbox: str, unit_code: str, programme: str,
                   period_id: str) -> Excusal | None:
    """The unit's standing excusal for the period, if any."""
    return session.exec(select(Excusal).where(
        Excusal.mailbox == mailbox, Excusal.unit_code == unit_code, Excusal.programme == programme,
        Excusal.period_id == period_id,
        col(Excusal.undone_at).is_(None),
    )).first()


def add_excusal(session: Session, mailbox: str, unit_code: str, programme: str, period_id: str, reason: str,
                by: str, at: dt.datetime, message_pk: int | None) -> Excusal:
    """Record that the unit is not expected for the period (the caller commits)."""
    row = Excusal(mailbox=mailbox, unit_code=unit_code, programme=programme, period_id=period_id, reason=reason, by=by,
                  at=to_db_time(at), message_pk=message_pk)
    session.add(row)
    session.flush()
    return row


def excusal(session: Session, mailbox: str, excusal_id: int) -> Excusal | None:
    """One excusal of this robot by its id."""
    row = session.get(Excusal, excusal_id)
    return row if row is not None and row.mailbox == mailbox else None


def undo_excusal(session: Session, row: Excusal, at: dt.datetime) -> None:
    """The unit is expected again for the period; the excusal stays on record as undone."""
    row.undone_at = to_db_time(at)
    session.add(row)
    session.flush()


def record_action(session: Session, mailbox: str, staff_email: str, action: str, args: dict,
                  at: dt.datetime, message_pk: int | None) -> StaffAction:
    """Audit one staff command (the caller commits)."""
    row = StaffAction(mailbox=mailbox, staff_email=staff_email, action=action, args=args,
                      at=to_db_time(at), message_pk=message_pk)
    session.add(row)
    session.flush()
    return row


def unit_history(session: Session, mailbox: str, unit_code: str) -> list[Submission]:
    """Every submission filed for the unit (unverified ones too), oldest first."""
    return list(session.exec(select(Submission).where(
        Submission.mailbox == mailbox, Submission.unit_code == unit_code,
    ).order_by(col(Submission.received_at), col(Submission.id))))


def unit_excusals(session: Session, mailbox: str, unit_code: str) -> list[Excusal]:
    """Every excusal of the unit, undone ones too, oldest first."""
    return list(session.exec(select(Excusal).where(
        Excusal.mailbox == mailbox, Excusal.unit_code == unit_code,
    ).order_by(col(Excusal.id))))


def mark_action_undone(session: Session, mailbox: str, action: str, target_id: int, at: dt.datetime) -> None:
    """Mark the audited action that made ``target_id`` (the first whose args name it as ``id``) as undone."""
    rows = session.exec(select(StaffAction).where(
        StaffAction.mailbox == mailbox, StaffAction.action == action, col(StaffAction.undone_at).is_(None),
    ).order_by(col(StaffAction.id)))
    for row in rows:
        if row.args.get("id") == target_id:
            row.undone_at = to_db_time(at)
            session.add(row)
            session.flush()
            return


def latest_current(session: Session, mailbox: str, unit_code: str) -> Submission | None:
    """The unit's current report received last, of any programme and period."""
    return session.exec(select(Submission).where(
        Submission.mailbox == mailbox, Submission.unit_code == unit_code, col(Submission.is_current).is_(True),
    ).order_by(col(Submission.received_at).desc(), col(Submission.id).desc())).first()


def previous_version(session: Session, submission: Submission) -> Submission | None:
    """The filed version just before this one of the same unit, programme and period."""
    return session.exec(select(Submission).where(
        Submission.mailbox == submission.mailbox, Submission.unit_code == submission.unit_code,
        Submission.programme == submission.programme, Submission.period_id == submission.period_id,
        Submission.state != "unverified", Submission.version < submission.version,
    ).order_by(col(Submission.version).desc())).first()


def change_action(session: Session, mailbox: str, action_id: int) -> StaffAction | None:
    """One audited staff action of this robot by its id."""
    row = session.get(StaffAction, action_id)
    return row if row is not None and row.mailbox == mailbox else None


def message(session: Session, mailbox: str, message_pk: int) -> Message | None:
    """One recorded mail of this robot by its record number."""
    row = session.get(Message, message_pk)
    return row if row is not None and row.mailbox == mailbox else None


def message_by_id(session: Session, mailbox: str, message_id: str) -> Message | None:
    """The latest record of the mail with this Message-ID."""
    return session.exec(select(Message).where(Message.mailbox == mailbox, Message.message_id == message_id)
                        .order_by(col(Message.id).desc())).first()


def unverified_messages(session: Session, mailbox: str, sender: str | None = None) -> list[Message]:
    """Mail holding an unverified report nobody has accepted yet (of one sender if given), oldest first."""
    accepted = select(Submission.message_pk).where(Submission.mailbox == mailbox,
                                                   col(Submission.accepted_by).is_not(None))
    holding = select(Submission.message_pk).where(Submission.mailbox == mailbox, Submission.state == "unverified")
    # IN subqueries, not a DISTINCT join: PostgreSQL cannot compare the JSON columns DISTINCT needs.
    query = (select(Message).where(Message.mailbox == mailbox, col(Message.id).in_(holding),
                                   col(Message.id).not_in(accepted)).order_by(col(Message.id)))
    if sender is not None:
        query = query.where(Message.sender == sender)
    return list(session.exec(query))


def accepted_copies(session: Session, message_pk: int) -> list[Submission]:
    """The versions staff accepted from this mail's unverified reports."""
    return list(session.exec(select(Submission).where(Submission.message_pk == message_pk,
                                                      col(Submission.accepted_by).is_not(None))))


def staff_actions(session: Session, mailbox: str | None, since: dt.datetime) -> list[StaffAction]:
    """The staff commands audited since a moment (refused and undone ones too), oldest first."""
    query = select(StaffAction).where(StaffAction.at >= since)
    if mailbox is not None:
        query = query.where(StaffAction.mailbox == mailbox)
    return list(session.exec(query.order_by(col(StaffAction.at), col(StaffAction.id))))
