"""Excusing a unit from a period and undoing it: one implementation for mail commands and `robot excuse`.

An excusal takes the unit out of the period's reminders; `status --json` marks its row
``"excused": true`` and the state stays what was (or was not) filed. Each change is audited
as a ``StaffAction`` by the caller's transaction.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from robot.config import Config, Unit
from robot.periods import Period
from store import staff as store
from store.tables import Excusal


class Refused(Exception):
    """A staff command that cannot be done; the message (Vietnamese) says why."""


def excuse(config: Config, session: Session, unit: Unit, period: Period, reason: str, by: str,
           now: dt.datetime, message_pk: int | None) -> tuple[Excusal, bool]:
    """Excuse the unit for the period; (the excusal, whether it is new). Excusing twice keeps the first."""
    mailbox = config.mailbox.address
    standing = store.active_excusal(session, mailbox, unit.code, period.programme, period.id)
    if standing is not None:
        return standing, False
    if not reason.strip():
        raise Refused("Cần ghi lý do miễn báo cáo sau mã kỳ báo cáo.")
    return store.add_excusal(session, mailbox, unit.code, period.programme, period.id, reason.strip(), by, now, message_pk), True


def undo(config: Config, session: Session, excusal_id: int, now: dt.datetime) -> Excusal:
    """The unit is expected again for the period."""
    row = store.excusal(session, config.mailbox.address, excusal_id)
    if row is None:
        raise Refused(f"Không có lần miễn báo cáo số {excusal_id}.")
    if row.undone_at is not None:
        raise Refused(f"Lần miễn báo cáo số {excusal_id} đã được hoàn tác trước đó.")
    store.undo_excusal(session, row, now)
    return row
