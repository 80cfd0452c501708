"""The admin's twins of the staff mail commands — `robot excuse`, `robot correct`, `robot file-for` —
sharing their implementation, each in its own transaction and audited as ``cli:<name>``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.engine import Engine

from mailer.incoming import Attachment
from robot.archive import archive_raw
from robot.config import Config
from robot.parsing import read_attachments
from robot.periods import Period
from robot.report_filing import report_period
from robot.routing import route
from robot.staff.corrections import Corrected, correct
from robot.staff.excusals import Refused, excuse, undo
from robot.staff.filing_for import FiledFor, file_for
from robot.staff.lookup import find_period, required_unit
from robot.validate import validate
from store import staff as store
from store.db import session as open_session
from store.db import to_db_time
from store.tables import Excusal, Message, Submission


def excuse_by_admin(config: Config, engine: Engine, unit_text: str, period_id: str, reason: str, by: str,
                    now: dt.datetime) -> tuple[Excusal, bool]:
    """Excuse the unit for the period; (the excusal, whether it is new). Audited as ``cli:<by>``."""
    unit, period = required_unit(config, unit_text), _period(config, period_id, now)
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


def correct_by_admin(config: Config, engine: Engine, unit_text: str, period_id: str | None,
                     pairs: list[tuple[str, str]], reason: str, by: str, now: dt.datetime) -> tuple[int, Corrected]:
    """Correct figures of the unit's current report (of ``period_id``, else its latest); the
    unit is told. (the staff action number, what was done)."""
    unit = required_unit(config, unit_text)
    period = _period(config, period_id, now) if period_id else None
    with open_session(engine) as session:
        action = store.record_action(session, config.mailbox.address, f"cli:{by}", "correct", {}, now, None)
        done = correct(config, session, unit, period, pairs, reason, action.id, now)
        action.args = {"unit": unit.code, "programme": done.period.programme, "period": done.period.id,
                       "submission": done.submission.id, "version": done.submission.version, "reason": reason,
                       "changes": {code: [before, after] for code, _, before, after in done.changes}}
        session.add(action)
        session.commit()
        return action.id, done


def file_for_by_admin(config: Config, engine: Engine, unit_text: str, path: Path, by: str, now: dt.datetime,
                      received_at: dt.datetime | None = None, period_id: str | None = None) -> tuple[int, Submission]:
    """File a report file (a paper report typed in, a file sent through Zalo) as the unit's next
    version; the file is archived first, the unit acknowledged. (the staff action number, the version)."""
    unit = required_unit(config, unit_text)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Refused(f"Không đọc được tệp {path}: {exc.strerror}.") from None
    files = [Attachment(path.name, "application/octet-stream", data)]
    routed = route(config, [path.name], unit.type, lambda view: read_attachments(view, files))
    if routed.ambiguous:
        raise Refused(f"Tệp {path.name} hợp với nhiều chương trình báo cáo ({', '.join(routed.ambiguous)}).")
    if not routed.documents:
        reason = routed.unreadable[0][1] if routed.unreadable else "no_figures"
        raise Refused(f"Tệp {path.name} không đọc được như một báo cáo ({reason}).")
    view = routed.programme
    report = max(routed.documents, key=lambda r: len(r.values))
    received = received_at or now
    archived, digest = archive_raw(config.archive_dir, data)  # kept before anything is recorded
    mailbox = config.mailbox.address
    with open_session(engine) as session:
        if period_id:
            period = _period(view, period_id, now)
        else:
            period, _ = report_period(view, session, unit, report, received, path.name)
        action = store.record_action(session, mailbox, f"cli:{by}", "file-for", {}, now, None)
        message = Message(mailbox=mailbox, folder="cli", uidvalidity=0, uid=action.id, sha256=digest,
                          archive_path=str(archived), sender=f"cli:{by}", subject=f"robot file-for {unit.code} {path.name}",
                          received_at=to_db_time(received), processed_at=to_db_time(now), outcome="staff-command",
                          unit_code=unit.code, programme=period.programme, period_id=period.id, attachments=[path.name])
        session.add(message)
        session.flush()
        filed_for = FiledFor(unit, view, period, report, validate(view, report, unit.type), received)
        submission = file_for(session, filed_for, by, action.id, message.id, now)
        action.args = {"unit": unit.code, "programme": period.programme, "period": period.id,
                       "submission": submission.id, "version": submission.version, "state": submission.state,
                       "filename": path.name}
        action.message_pk = message.id
        session.add(action)
        session.commit()
        return action.id, submission


def _period(config: Config, period_id: str, now: dt.datetime) -> Period:
    found = find_period(config, (period_id,))
    if found is None:
        raise Refused(f"Không có kỳ báo cáo “{period_id}” (ví dụ annual-{now.year}).")
    return found[1]
