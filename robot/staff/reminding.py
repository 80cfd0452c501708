"""Reminding units now on staff's word: "Nhắc <unit> [gấp]", "Nhắc tất cả [gấp]", `robot remind --unit`.

For each programme's last closed and open periods, the reminder due now is the step of the
unit's track begun last (robot.reminders.current_step). It goes once, whether the schedule or
staff sent it first; "gấp" (``--force``) sends it again, recorded as its own step
``manual-<action id>``. Units that filed complete or are excused are never reminded. The
reminders keep their kinds (reminder, overdue); the staff member is told who was reminded and
who was not, and why.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import Session

from parsers.labels import fold
from robot.config import Config, StaffMember, Unit
from robot.periods import Period
from robot.reminders import PlannedReminder, Step, compose_reminder, current_step, period_steps, queue_reminder
from robot.staff import answers
from robot.staff.answers import Answer
from robot.staff.excusals import Refused
from robot.staff.lookup import required_unit
from robot.status import StatusRow, default_periods, period_status
from robot.wording import show_day, show_time
from store import queries
from store import staff as store
from store.db import session as open_session

STATE_WORDS = {"incomplete": "chưa đủ", "missing": "chưa nộp", "unreadable": "tệp không đọc được",
               "unverified": "chưa xác thực người gửi"}
KIND_WORDS = {"reminder": "nhắc trước hạn", "overdue": "nhắc quá hạn"}
ALREADY = "đã được nhắc đợt này"


@dataclass
class PeriodReminding:
    """One period's part of a command: the reminders queued and the units skipped with why;
    ``waiting`` says why nobody is reminded for the period now."""

    view: Config
    period: Period
    title: str  # the period's title, after its programme's when several are configured
    sent: list[PlannedReminder] = field(default_factory=list)
    skipped: list[tuple[Unit, str]] = field(default_factory=list)
    waiting: str = ""


def remind_now(config: Config, session: Session, units: list[Unit] | None, action_id: int, now: dt.datetime,
               force: bool = False, views: Sequence[Config] | None = None) -> list[PeriodReminding]:
    """Queue the reminder due now of each of ``units`` (None: every unit not complete), in the
    caller's transaction, for the last closed and open periods of every programme (or of ``views``)."""
    codes = None if units is None else {u.code for u in units}
    parts = []
    for view in config.programme_views if views is None else views:
        mine = [u.code for u in view.units if codes is None or u.code in codes]
        for period in default_periods(view, now) if mine else []:
            title = f"{view.programme_title} — {period.title}" if config.has_programmes else period.title
            part = PeriodReminding(view, period, title)
            parts.append(part)
            rows = [row for row in period_status(view, session, period) if row.unit.code in mine]
            if codes is not None:
                expected = {row.unit.code for row in rows}
                part.skipped += [(view.unit_by_code(c), "không phải nộp kỳ này") for c in mine if c not in expected]
            step = current_step(view, period, now)
            if step is None:
                part.waiting = _waiting(view, period, now)
                continue
            sent = queries.reminder_steps_sent(session, view.mailbox.address, period.programme, period.id)
            for row in rows:
                _remind(config, session, part, row, step, sent, action_id, now, force)
    return parts


def _remind(config: Config, session: Session, part: PeriodReminding, row: StatusRow, step: Step, sent: set,
            action_id: int, now: dt.datetime, force: bool) -> None:
    if row.state == "complete":
        part.skipped.append((row.unit, "đã nộp đủ"))
        return
    if row.excused:
        part.skipped.append((row.unit, "được miễn"))
        return
    if (row.unit.code, step.name) in sent:
        if not force:
            part.skipped.append((row.unit, f"{ALREADY} ({step.name})"))
            return
        step = dataclasses.replace(step, name=f"manual-{action_id}")
    item = compose_reminder(part.view, part.period, row, step, now, config.has_programmes)
    if item is None:
        part.skipped.append((row.unit, "chưa có địa chỉ thư"))
    elif queue_reminder(config, session, item, now):
        part.sent.append(item)
    else:  # a concurrent run sent this step first
        part.skipped.append((row.unit, f"{ALREADY} ({step.name})"))


def _waiting(view: Config, period: Period, now: dt.datetime) -> str:
    later = [s for s in period_steps(view, period) if s.kind != "escalation" and s.start > now]
    if now < period.deadline and later:
        return f"chưa đến đợt nhắc đầu tiên ({show_time(later[0].start, view.tz)})"
    return "không có đợt nhắc nào vào lúc này (mục reminders của config.yaml)"


def describe(parts: list[PeriodReminding], again: str, sent_lines: bool = True) -> str:
    """Per period: who was reminded (``sent_lines``), who was not and why; ``again`` when some
    were reminded for this step already (how to remind them anyway)."""
    lines: list[str] = []
    for part in parts:
        body = [f"  {part.waiting}."] if part.waiting else []
        if sent_lines:
            body += [f"  - Đã nhắc {i.unit.code} — {i.unit.name} ({STATE_WORDS.get(i.row.state, i.row.state)}; "
                     f"{KIND_WORDS.get(i.step.kind, i.step.kind)}, {i.step.name}), gửi đến {', '.join(i.to)}"
                     for i in part.sent]
        reasons: dict[str, list[str]] = {}
        for unit, reason in part.skipped:
            reasons.setdefault(reason, []).append(unit.code)
        body += [f"  - Không nhắc {len(codes)} đơn vị — {reason}: {', '.join(codes)}"
                 for reason, codes in reasons.items()]
        if body:
            lines += ["", f"{part.title} ({part.period.id}), hạn trước ngày {show_day(part.period.due_day)}:", *body]
    if any(reason.startswith(ALREADY) for part in parts for _, reason in part.skipped):
        lines += ["", again]
    return "\n".join(lines).strip("\n")


def audit(units: list[Unit] | None, force: bool, parts: list[PeriodReminding]) -> dict:
    """The StaffAction's args: whom it named, the periods, who was reminded and who skipped."""
    return {
        "units": "all" if units is None else [u.code for u in units], "force": force,
        "periods": [{"programme": p.period.programme, "period": p.period.id} for p in parts],
        "sent": [{"unit": i.unit.code, "programme": i.period.programme, "period": i.period.id,
                  "step": i.step.name, "kind": i.step.kind} for p in parts for i in p.sent],
        "skipped": [{"unit": u.code, "programme": p.period.programme, "period": p.period.id, "reason": why}
                    for p in parts for u, why in p.skipped],
    }


def remind_command(config: Config, session: Session, member: StaffMember, words: tuple[str, ...], args: dict,
                   action_id: int, now: dt.datetime) -> Answer:
    """The mail command "Nhắc <unit …> [gấp]" / "Nhắc tất cả [gấp]", answered with what was done."""
    force = any(fold(word) == "gap" for word in words)
    named = tuple(word for word in words if fold(word) != "gap")
    units = _named_units(config, named)
    parts = remind_now(config, session, units, action_id, now, force)
    args.update(audit(units, force, parts))
    count = sum(len(p.sent) for p in parts)
    whom = "tất cả" if units is None else " ".join(u.code for u in units)
    again = ("Để nhắc lại ngay những đơn vị đã được nhắc đợt này, gửi lệnh kèm chữ “gấp”, ví dụ: "
             f"Nhắc {whom} gấp.")
    done = f"Đã gửi {count} thư nhắc nộp báo cáo." if count else "Không gửi thư nhắc nào."
    about = "các đơn vị chưa nộp đủ" if units is None else ", ".join(u.name for u in units)
    subject = (f"Đã gửi {count} thư nhắc" if count else "Không gửi thư nhắc nào") + f": {about}"
    return answers._change(config, member, subject, f"{done}\n\n{describe(parts, again)}".strip(), None)


def remind_by_admin(config: Config, engine: Engine, names: list[str], by: str, now: dt.datetime,
                    force: bool = False, views: Sequence[Config] | None = None,
                    dry_run: bool = False) -> list[PeriodReminding]:
    """`robot remind --unit`: the same as the mail command, in its own transaction, audited as ``cli:<by>``."""
    units = [required_unit(config, name) for name in names]
    with open_session(engine) as session:
        action = store.record_action(session, config.mailbox.address, f"cli:{by}", "remind", {}, now, None)
        parts = remind_now(config, session, units, action.id, now, force, views)
        action.args = audit(units, force, parts)
        session.add(action)
        if dry_run:
            session.rollback()
        else:
            session.commit()
    return parts


def _named_units(config: Config, words: tuple[str, ...]) -> list[Unit] | None:
    """The units the words name (codes, or one name); None for "tất cả"."""
    if not words:
        raise Refused("Lệnh “Nhắc” cần mã hoặc tên đơn vị, hoặc “tất cả”, ví dụ: "
                      f"Nhắc {config.units[0].code} hoặc Nhắc tất cả.")
    if [fold(word) for word in words] == ["tat", "ca"]:
        return None
    by_code = [config.unit_by_code(word.upper()) for word in words]
    if all(by_code):
        return list({unit.code: unit for unit in by_code}.values())
    return [required_unit(config, " ".join(words))]
