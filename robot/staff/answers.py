"""The answers to staff commands, worded from the templates (Vietnamese)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session

from mailer.incoming import Attachment
from robot.config import Config, StaffMember, Unit
from robot.periods import Period, all_periods, period_of
from robot.staff.corrections import Corrected
from robot.staff.filing_for import FiledFor
from robot.templating import text_templates
from robot.wording import show_time
from store import staff as store
from store.db import from_db_time
from store.tables import Excusal, Message, StaffAction, Submission

ROLE_NAMES = {"viewer": "xem (viewer)", "editor": "xem và sửa đổi (editor)"}
STATE_WORDS = {"complete": "đầy đủ", "incomplete": "chưa đủ", "unverified": "chưa xác thực người gửi"}


@dataclass
class Answer:
    """One answer mail: subject and text, and for the situation the digest's HTML and files."""

    subject: str
    text: str
    html: str | None = None
    inline_images: list[tuple[str, bytes]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)


def help_answer(config: Config, member: StaffMember, now: dt.datetime, problem: str = "") -> Answer:
    """The list of commands with examples, after what was wrong with the command, if anything."""
    example = next((u for u in config.units if u.active_on(now.date())), config.units[0])
    recent = [p.id for view in config.programme_views for p in all_periods(view, now)
              if p.deadline <= now + dt.timedelta(days=366)][-4:]
    text = text_templates.get_template("staff_help.txt.j2").render(
        name=member.name, problem=problem, mailbox=config.mailbox.address, role=ROLE_NAMES[member.role],
        example_code=example.code, example_name=example.name, example_period=recent[-1], periods=recent,
    )
    subject = "Lệnh không thực hiện được — hướng dẫn" if problem else "Hướng dẫn làm việc với hệ thống qua thư"
    return Answer(subject, text)


def unit_answer(config: Config, session: Session, member: StaffMember, unit: Unit) -> Answer:
    """Every submission of the unit by period, with who accepted it, and its excusals."""
    mailbox, tz = config.mailbox.address, config.tz
    periods: dict[str, dict] = {}

    def entry(programme: str, period_id: str) -> dict:
        period = period_of(config, programme, period_id)
        title = period.title if period else period_id
        return periods.setdefault((programme, period_id), {"id": period_id, "title": title, "submissions": [],
                                                           "excusals": [], "due": period.deadline if period else None})

    for s in store.unit_history(session, mailbox, unit.code):
        entry(s.programme, s.period_id)["submissions"].append({
            "version": s.version if s.state != "unverified" else None,
            "state": STATE_WORDS.get(s.state, s.state), "current": s.is_current,
            "timing": "đúng hạn" if s.on_time else "trễ hạn",
            "received": show_time(from_db_time(s.received_at), tz), "filename": s.filename,
            "accepted_by": s.accepted_by,
            "accepted_at": show_time(from_db_time(s.accepted_at), tz) if s.accepted_at else "",
            "staff": _made_by(config, session, s.staff_action_id),
        })
    for e in store.unit_excusals(session, mailbox, unit.code):
        entry(e.programme, e.period_id)["excusals"].append({
            "id": e.id, "at": show_time(from_db_time(e.at), tz), "by": e.by, "reason": e.reason,
            "undone": show_time(from_db_time(e.undone_at), tz) if e.undone_at else "",
        })
    ordered = sorted(periods.values(), key=lambda p: (p["due"] is None, p["due"] or 0, p["id"]))
    text = text_templates.get_template("staff_unit.txt.j2").render(
        name=member.name, unit_name=unit.name, unit_code=unit.code,
        unit_type=config.unit_types.get(unit.type, unit.type), unit_emails=", ".join(unit.emails),
        periods=ordered, mailbox=mailbox,
    )
    return Answer(f"Lịch sử báo cáo: {unit.name} ({unit.code})", text)


def _made_by(config: Config, session: Session, action_id: int | None) -> str:
    """"Sửa bởi …" / "Nộp thay bởi …" for a version staff made, with what changed."""
    action = session.get(StaffAction, action_id) if action_id else None
    if action is None:
        return ""
    member = config.staff_by_email(action.staff_email)
    who = member.name if member else action.staff_email.removeprefix("cli:")
    when = show_time(from_db_time(action.at), config.tz)
    if action.action == "correct":
        changes = ", ".join(f"{code}: {before} → {after}" for code, (before, after) in action.args.get("changes", {}).items())
        return f"Sửa bởi {who} lúc {when} (số {action.id}): {changes}."
    return f"Nộp thay bởi {who} lúc {when} (số {action.id})."


def excused_answer(config: Config, member: StaffMember, unit: Unit, period: Period, row: Excusal,
                   new: bool, action_id: int) -> Answer:
    """The confirmation of an excusal (or that the unit was already excused)."""
    if not new:
        done = (f"{unit.name} ({unit.code}) đã được miễn báo cáo {period.title} ({period.id}) từ trước "
                f"(lý do: {row.reason}); không có thay đổi nào.")
        return _change(config, member, f"Đã miễn báo cáo từ trước: {unit.name} — {period.title}", done, None)
    done = (f"Đã miễn báo cáo {period.title} ({period.id}) cho {unit.name} ({unit.code}).\n"
            f"Lý do: {row.reason}.\nĐơn vị sẽ không được nhắc nộp báo cáo kỳ này và được tính riêng "
            "khi tổng hợp.")
    return _change(config, member, f"Đã miễn báo cáo: {unit.name} — {period.title} (số {action_id})", done,
                   action_id)


def corrected_answer(config: Config, member: StaffMember, done: Corrected, reason: str, action_id: int) -> Answer:
    """The confirmation of a correction: the figures before and after, the new version."""
    lines = "\n".join(f"  {code} — {label}: {before} → {after}" for code, label, before, after in done.changes)
    state = STATE_WORDS.get(done.submission.state, done.submission.state)
    text = (f"Đã sửa báo cáo {done.period.title} ({done.period.id}) của {done.unit.name} ({done.unit.code}):\n"
            f"{lines}\n" + (f"Lý do: {reason}.\n" if reason else "") +
            f"Báo cáo sau khi sửa là lần {done.submission.version} ({state}); đơn vị đã được gửi thư báo "
            "những số liệu đã sửa.")
    return _change(config, member, f"Đã sửa báo cáo: {done.unit.name} — {done.period.title} (số {action_id})",
                   text, action_id)


def filed_for_answer(config: Config, member: StaffMember, filed: FiledFor, submission: Submission,
                     action_id: int) -> Answer:
    """The confirmation of a report filed for a unit: which file, period, version and state."""
    unit, period = filed.unit, filed.period
    state = STATE_WORDS.get(submission.state, submission.state)
    missing = ""
    if submission.state != "complete":
        specs = {spec.key: spec for spec in filed.check.fields}
        missing = "\nCòn thiếu hoặc chưa đọc được: " + ", ".join(
            f"{specs[key].code} — {specs[key].label}" for key in [*filed.check.missing, *filed.check.invalid]) + "."
    text = (f"Đã nộp thay {unit.name} ({unit.code}) báo cáo {period.title} ({period.id}) từ tệp "
            f"“{filed.report.filename}”: lần {submission.version}, {state}.{missing}\n"
            f"Đơn vị đã được gửi thư xác nhận, ghi rõ báo cáo do cán bộ Sở nộp thay.")
    return _change(config, member, f"Đã nộp thay: {unit.name} — {period.title} (số {action_id})", text, action_id)


def accepted_answer(config: Config, member: StaffMember, message: Message, done: list, action_id: int) -> Answer:
    """The confirmation of an unverified report accepted as the unit's own."""
    lines = "\n".join(f"  {item.unit_code} — {item.period_id}: lần {item.version}, "
                      f"{STATE_WORDS.get(item.state, item.state)}" for item in done)
    text = (f"Đã chấp nhận báo cáo trong thư của {message.sender} (“{message.subject}”, số {message.id}) "
            f"là báo cáo chính thức của đơn vị:\n{lines}")
    units = ", ".join(item.unit_code for item in done)
    return _change(config, member, f"Đã chấp nhận báo cáo: {units} (số {action_id})", text, action_id)


def undone_answer(config: Config, member: StaffMember, unit_name: str, number: int, change: StaffAction) -> Answer:
    """The confirmation that a change (an excusal, a correction) was taken back."""
    args = change.args
    period = period_of(config, args.get("programme"), args["period"])
    title = period.title if period else args["period"]
    if change.action == "excuse":
        done = (f"Đã hoàn tác lần miễn báo cáo số {number}: {unit_name} ({args['unit']}) lại phải nộp "
                f"{title} ({args['period']}) và được nhắc như các đơn vị khác.")
    else:
        what = {"correct": "sửa", "file-for": "nộp thay", "accept": "chấp nhận"}[change.action]
        done = (f"Đã hoàn tác lần {what} số {number}: báo cáo {title} ({args['period']}) của {unit_name} "
                f"({args['unit']}) trở lại như trước đó.")
    return _change(config, member, f"Đã hoàn tác số {number}: {unit_name} — {title}", done, None)


def _change(config: Config, member: StaffMember, subject: str, done: str, undo_id: int | None) -> Answer:
    text = text_templates.get_template("staff_change.txt.j2").render(
        name=member.name, done=done, id=undo_id, undo_hint=undo_id is not None, mailbox=config.mailbox.address,
    )
    return Answer(subject, text)
