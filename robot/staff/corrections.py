"""Correcting a misread figure on staff's word ("Sửa <unit> [period] <code>=<value> … <reason>").

A correction is the unit's next version: its current figures with the corrected ones in their
place, validated again, linked to the staff action that made it (who, when, what and why). The
unit is told what was changed, in the thread of the mail the figures came from. Undoing it puts
the version before it back as current, unless the unit has sent a newer report since.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlmodel import Session

from parsers.report import FoundValue
from parsers.values import parse_value
from robot.config import Config, Unit
from robot.outbox import Thread, enqueue
from robot.periods import Period, period_of
from robot.report_filing import filing_of, stored_report
from robot.staff.excusals import Refused
from robot.templating import text_templates
from robot.validate import validate
from robot.wording import show_value
from store import queries
from store import staff as store
from store.db import from_db_time
from store.filing import file_report
from store.tables import Message, Submission

# "05=755", "05: 755", "5 = 1.250" — a code, then the value up to the next space.
_CHANGE = re.compile(r"^(\d{1,3})\s*[=:]\s*(\S+)$")


@dataclass(frozen=True)
class Corrected:
    unit: Unit
    period: Period
    submission: Submission  # the new version
    changes: list[tuple[str, str, str, str]]  # (code, label, before, after) as shown


def split_changes(words: tuple[str, ...]) -> tuple[list[tuple[str, str]], tuple[str, ...], tuple[str, ...]]:
    """The ``code=value`` pairs among the words, the words before the first (unit, period) and
    the words after the last (the reason)."""
    text = " ".join(words)
    joined = re.sub(r"(\d{1,3})\s*([=:])\s*", r"\1\2", text).split()  # "05 = 755" -> "05=755"
    found = [(i, _CHANGE.match(word)) for i, word in enumerate(joined)]
    places = [i for i, match in found if match]
    if not places:
        return [], tuple(joined), ()
    pairs = [(match.group(1).zfill(2), match.group(2)) for _, match in found if match]
    return pairs, tuple(joined[:places[0]]), tuple(joined[places[-1] + 1:])


def correct(config: Config, session: Session, unit: Unit, period: Period | None,
            pairs: list[tuple[str, str]], reason: str, action_id: int, now: dt.datetime) -> Corrected:
    """File the unit's corrected version (in the caller's transaction) and queue the unit's notice."""
    mailbox = config.mailbox.address
    current = _current(session, mailbox, unit, period)
    if current is None:
        which = f" {period.title}" if period else ""
        raise Refused(f"{unit.name} ({unit.code}) chưa có báo cáo{which} nào để sửa.")
    period = period_of(config, current.programme, current.period_id)
    view = config.programme(current.programme)
    assert period is not None and view is not None
    specs = {spec.code: spec for spec in view.schema().for_unit_type(unit.type)}
    report = stored_report(session, current, current.filename)
    changes = []
    for code, raw in pairs:
        spec = specs.get(code)
        if spec is None:
            raise Refused(f"Báo cáo {period.title} của {unit.name} không có chỉ tiêu mã {code} "
                          f"(có: {', '.join(specs)}).")
        value, error = parse_value(spec, raw)
        if value is None:
            raise Refused(f"Giá trị “{raw}” của chỉ tiêu {code} không đọc được ({error or 'không phải là số'}).")
        before = report.values.get(spec.key)
        changes.append((code, spec.label, show_value(spec, before.value) if before and before.value is not None
                        else "(trống)", show_value(spec, value)))
        report.values[spec.key] = FoundValue(spec.key, raw, value, "cán bộ sửa", None)
    check = validate(view, report, unit.type)
    state = "complete" if check.complete else "incomplete"
    filing = filing_of(unit, report, period, check, from_db_time(current.received_at), state, action_id)
    filing.signature = current.signature
    submission = file_report(session, mailbox, current.message_pk, filing)
    _tell_unit(config, session, unit, period, current, changes, reason, now)
    return Corrected(unit, period, submission, changes)


def undo_version(session: Session, mailbox: str, submission_id: int) -> Submission:
    """Put back the version before a staff-made one (a correction or a report filed for the unit)."""
    made = session.get(Submission, submission_id)
    if made is None or made.mailbox != mailbox:
        raise Refused(f"Không có phiên bản báo cáo số {submission_id}.")
    if not made.is_current:
        raise Refused(f"Báo cáo {made.period_id} của {made.unit_code} đã có phiên bản mới hơn phiên bản "
                      f"{made.version}; không hoàn tác được, hãy dùng lệnh Sửa.")
    made.is_current = False
    session.add(made)
    before = store.previous_version(session, made)
    if before is not None:
        before.is_current = True
        session.add(before)
    session.flush()
    return made


def _current(session: Session, mailbox: str, unit: Unit, period: Period | None) -> Submission | None:
    if period is not None:
        return queries.current_submission(session, mailbox, unit.code, period.programme, period.id)
    return store.latest_current(session, mailbox, unit.code)


def _tell_unit(config: Config, session: Session, unit: Unit, period: Period, current: Submission,
               changes: list[tuple[str, str, str, str]], reason: str, now: dt.datetime) -> None:
    """The unit is told what the department changed, under the mail its figures came from."""
    source = session.get(Message, current.message_pk)
    thread = Thread(source.message_id, ()) if source and source.message_id and source.sender in unit.emails else None
    text = text_templates.get_template("correction.txt.j2").render(
        unit_name=unit.name, period_title=period.title, changes=changes, reason=reason,
        mailbox=config.mailbox.address,
    )
    enqueue(session, config, kind="ack", to=unit.emails[:1], subject=f"Sở đã sửa số liệu báo cáo: {period.title}",
            text=text, now=now, thread=thread, auto_submitted="auto-generated")
