"""What staff did through the robot in the last week: the audit of their commands, for the digest.

Every change (Miễn, Sửa, Nộp thay, Chấp nhận, Nhắc, Hoàn tác) and every refused command is listed
— when, who, what, the unit and period, a short detail, whether it was undone; the commands that
only look (Tình hình, Đơn vị, Hướng dẫn) are counted. Staff see what their colleagues changed and
can take back a mistake by its number.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlmodel import Session

from robot.config import Config
from robot.digest.words import STATE_NAMES, number
from robot.periods import period_of
from store import staff as store
from store.db import from_db_time, to_db_time
from store.tables import StaffAction

WINDOW = dt.timedelta(days=7)
ACTION_NAMES = {"excuse": "Miễn", "correct": "Sửa", "file-for": "Nộp thay", "accept": "Chấp nhận",
                "remind": "Nhắc", "undo": "Hoàn tác", "situation": "Tình hình", "unit": "Đơn vị",
                "help": "Hướng dẫn"}
LOOKING = ("situation", "unit", "help")  # commands that change nothing: counted, not listed
_SHOWN = "%d/%m/%Y %H:%M"


@dataclass(frozen=True)
class Deed:
    """One staff command as the digest lists it."""

    number: int  # the StaffAction id: "Hoàn tác <number>"
    when: str
    who: str
    what: str
    unit: str
    period: str
    detail: str
    outcome: str  # "Đã làm", "Đã hoàn tác (…)" or "Không thực hiện được: <why>"
    refused: bool
    undone: bool


@dataclass
class StaffWork:
    deeds: list[Deed]  # changes and refused commands, oldest first
    looked: Counter  # read-only commands done, by their Vietnamese name

    @property
    def empty(self) -> bool:
        return not self.deeds and not self.looked

    def summary(self) -> str:
        """One line: how many changes of each kind (and undone), refused commands, looks."""
        done = [d for d in self.deeds if not d.refused]
        kinds = Counter(d.what for d in done)
        parts = []
        if done:
            undone = sum(d.undone for d in done)
            parts.append(f"{number(len(done))} thay đổi ("
                         + ", ".join(f"{name} {number(count)}" for name, count in kinds.items())
                         + (f"; {number(undone)} đã hoàn tác" if undone else "") + ")")
        if refused := len(self.deeds) - len(done):
            parts.append(f"{number(refused)} lệnh không thực hiện được")
        if self.looked:
            parts.append(f"{number(sum(self.looked.values()))} lệnh xem ("
                         + ", ".join(f"{name} {number(count)}" for name, count in self.looked.items()) + ")")
        return ", ".join(parts)


def staff_work(config: Config, session: Session, now: dt.datetime) -> StaffWork:
    """The last week's staff commands of this mailbox (of every mailbox with digest.scope "all")."""
    mailbox = None if config.digest.scope == "all" else config.mailbox.address
    deeds, looked = [], Counter()
    for row in store.staff_actions(session, mailbox, to_db_time(now - WINDOW)):
        if row.action in LOOKING and "refused" not in row.args:
            looked[ACTION_NAMES[row.action]] += 1
        else:
            deeds.append(_deed(config, row))
    return StaffWork(deeds, looked)


def _deed(config: Config, row: StaffAction) -> Deed:
    args, tz = row.args, config.tz
    refused = args.get("refused")
    undone = from_db_time(row.undone_at)
    if refused:
        outcome = f"Không thực hiện được: {refused}"
    elif undone:
        outcome = f"Đã hoàn tác ({undone.astimezone(tz):{_SHOWN}})"
    else:
        outcome = "Đã làm"
    return Deed(
        number=row.id or 0, when=f"{from_db_time(row.at).astimezone(tz):{_SHOWN}}", who=_who(config, row.staff_email),
        what=ACTION_NAMES.get(row.action, row.action), unit=_units(config, args), period=_periods(config, args),
        detail=f"“{args.get('subject', '')}”" if refused else _detail(row.action, args),
        outcome=outcome, refused=bool(refused), undone=undone is not None,
    )


def _who(config: Config, staff_email: str) -> str:
    if staff_email.startswith("cli:"):
        return f"{staff_email[4:]} (dòng lệnh)"
    member = config.staff_by_email(staff_email)
    return member.name if member else staff_email


def _units(config: Config, args: dict) -> str:
    codes = args.get("units", args.get("unit"))
    if codes == "all":
        return "Các đơn vị chưa nộp đủ"
    if isinstance(codes, str):
        codes = [code.strip() for code in codes.split(",") if code.strip()]
    if not codes:
        return ""
    unit = config.unit_by_code(codes[0]) if len(codes) == 1 else None
    return f"{unit.name} ({unit.code})" if unit else ", ".join(codes)


def _periods(config: Config, args: dict) -> str:
    pairs = [(p.get("programme"), p["period"]) for p in args.get("periods", [])]
    if args.get("period"):
        pairs = [(args.get("programme"), args["period"])]
    return "; ".join(_period_title(config, programme, period_id) for programme, period_id in pairs)


def _period_title(config: Config, programme: str | None, period_id: str) -> str:
    """The period's title; an action recorded without its programme is looked up in every one."""
    found = ([period_of(config, programme, period_id)] if programme
             else [period_of(config, view.programme_id, period_id) for view in config.programme_views])
    found = [period for period in found if period is not None]
    return found[0].title if len(found) == 1 else period_id


def _detail(action: str, args: dict) -> str:
    if action == "excuse":
        again = " (đã được miễn từ trước)" if args.get("new") is False else ""
        return f"Lý do: {args['reason']}{again}" if args.get("reason") else again.strip()
    if action == "correct":
        changes = "; ".join(f"{code}: {before} → {after}" for code, (before, after) in args.get("changes", {}).items())
        return changes + (f" — lý do: {args['reason']}" if args.get("reason") else "")
    if action == "file-for":
        state = STATE_NAMES.get(args.get("state", ""), args.get("state", "")).lower()
        return f"Tệp {args.get('filename', '')}, lần {args.get('version')} ({state})"
    if action == "accept":
        count = len(args.get("submissions", []))
        return f"Thư số {args.get('message')}" + (f", {number(count)} báo cáo" if count > 1 else "")
    if action == "remind":
        return f"Đã gửi {number(len(args.get('sent', [])))} thư nhắc" + (" (gấp)" if args.get("force") else "")
    if action == "undo":
        if "change" in args:
            return f"Số {args['change']} ({ACTION_NAMES.get(args.get('action', ''), args.get('action', ''))})"
        return f"Bỏ miễn nộp (bản ghi miễn {args.get('id')})"
    return ""
