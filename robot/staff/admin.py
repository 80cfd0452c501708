"""`robot excuse` for the admin: the same excusal as the staff mail command, in its own transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from robot.config import Config
from robot.staff.excusals import Refused, excuse, undo
from robot.staff.lookup import find_period, find_unit
from store import staff as store
from store.db import session as open_session
from store.tables import Excusal


def excuse_by_admin(config: Config, engine: Engine, unit_text: str, period_id: str, reason: str, by: str,
                    now: dt.datetime) -> tuple[Excusal, bool]:
    """Excuse the unit for the period; (the excusal, whether it is new). Audited as ``cli:<by>``."""
    unit = find_unit(config, unit_text)
    if unit is None:
        raise Refused(f"Không tìm thấy đơn vị “{unit_text}” (ghi mã đơn vị hoặc tên đơn vị).")
    found = find_period(config, (period_id,))
    period = found[1] if found else None
    if period is None:
        raise Refused(f"Không có kỳ báo cáo “{period_id}” (ví dụ annual-{now.year}).")
    with open_session(engine) as session:
        row, new = excuse(config, session, unit, period, reason, by, now, None)
        store.record_action(session, config.mailbox.address, f"cli:{by}", "excuse",
                            {"id": row.id, "unit": unit.code, "period": period.id, "reason": row.reason,
                             "new": new}, now, None)
        session.commit()
    return row, new


def undo_by_admin(config: Config, engine: Engine, excusal_id: int, by: str, now: dt.datetime) -> Excusal:
    """Undo the excusal with this id. Audited as ``cli:<by>``."""
    with open_session(engine) as session:
        row = undo(config, session, excusal_id, now)
        store.mark_action_undone(session, row.mailbox, "excuse", row.id, now)
        store.record_action(session, config.mailbox.address, f"cli:{by}", "undo",
                            {"id": row.id, "unit": row.unit_code, "period": row.period_id}, now, None)
        session.commit()
    return row
