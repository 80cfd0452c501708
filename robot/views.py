"""rich tables and lines for people at the terminal (Vietnamese, for department staff).

Built from plain data the commands read: nothing here touches the store or the mail servers,
so printing a poll's outcome costs rich and no more.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from itertools import groupby
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from store.db import from_db_time

if TYPE_CHECKING:
    from robot.config import Config
    from robot.intake import Outcome
    from robot.lock import Holder
    from robot.poll import PollResult
    from robot.reminders import PlannedReminder
    from robot.status import StatusRow
    from store.tables import Message, PollState

STATE_WORDS = {
    "complete": "[green]Đã nộp đủ[/green]",
    "incomplete": "[yellow]Chưa đủ[/yellow]",
    "unreadable": "[red]Không đọc được[/red]",
    "unverified": "[magenta]Chưa xác thực[/magenta]",
    "missing": "[red]Chưa nộp[/red]",
}

OUTCOME_WORDS = {
    "accepted": "Báo cáo đầy đủ",
    "incomplete": "Báo cáo chưa đủ",
    "unreadable": "Tệp không đọc được",
    "no_attachment": "Không có tệp",
    "unknown_sender": "Địa chỉ chưa đăng ký",
    "auto_reply": "Thư trả lời tự động",
    "bounce": "Thư báo lỗi gửi",
    "list": "Thư danh sách",
    "own_mail": "Thư của chính hệ thống",
    "duplicate": "Thư trùng",
    "error": "Lỗi xử lý",
    "already-processed": "Đã xử lý trước đó",
    "not-for-robot": "Không phải báo cáo (để cán bộ xem)",
    "reply-to-robot": "Trả lời thư của hệ thống (để cán bộ xem)",
    "ambiguous": "Hợp với nhiều chương trình báo cáo (để cán bộ xem)",
    "quarantined": "Thư bị kẹt, để riêng (cán bộ xem)",
    "unverified": "Người gửi chưa xác thực",
    "bulk": "Thư gửi hàng loạt",
    "spam": "Thư rác",
    "calendar": "Lời mời lịch họp",
    "machine_sender": "Thư từ địa chỉ không nhận trả lời",
    "staff-command": "Lệnh của cán bộ",
}


def outcome_table(result: PollResult) -> Table:
    table = Table(title="Kết quả lượt đọc hộp thư")
    table.add_column("Loại thư")
    table.add_column("Số thư", justify="right")
    for outcome, count in sorted(result.outcomes.items()):
        table.add_row(OUTCOME_WORDS.get(outcome, outcome), str(count))
    if not result.outcomes:
        table.add_row("Không có thư mới", "0")
    flushed = result.flushed
    table.caption = (f"Thư trả lời đã gửi: {flushed.sent}, chờ gửi lại: {flushed.retrying}, "
                     f"hoãn do giới hạn số thư: {flushed.deferred}, lỗi: {flushed.failed}")
    if result.baselined_at is not None:
        table.caption += (f". Lần đầu đọc hộp thư: chỉ tiếp nhận thư đến sau thư số {result.baselined_at}; "
                          "thư cũ nhập bằng lệnh robot backfill")
    if result.stopped_at is not None:
        table.caption += f". Dừng ở thư số {result.stopped_at} (lỗi tạm thời, sẽ thử lại)"
    return table


REPLY_WORDS = {"ack": "Báo đã nhận", "incomplete": "Báo thiếu", "unreadable": "Báo không đọc được",
               "no-attachment": "Báo thiếu tệp", "unknown-sender": "Báo địa chỉ chưa đăng ký"}


def decisions_table(config: Config, taken: list[Outcome], title: str) -> Table:
    """What a dry run or a backfill decided for each mail: outcome, answer, unit and period."""
    table = Table(title=title)
    for header in ("UID", "Nhận lúc", "Người gửi", "Tiêu đề", "Kết quả", "Trả lời", "Đơn vị", "Kỳ"):
        table.add_column(header, no_wrap=header in ("UID", "Đơn vị"))
    for item in taken:
        reply = item.decision.reply if item.decision else None
        received = item.received_at.astimezone(config.tz) if item.received_at else None
        table.add_row(str(item.uid), _when(received), escape(item.sender), escape(item.subject[:80]),
                      OUTCOME_WORDS.get(item.outcome, item.outcome), REPLY_WORDS.get(reply or "", "—"),
                      escape(item.unit_code or ""), escape(item.period_id or ""))
    table.caption = f"Tổng: {len(taken)} thư" if taken else "Không có thư nào"
    return table


def decisions_json(taken: list[Outcome]) -> list[dict]:
    """The same, one object per mail, for tools."""
    return [
        {"uid": item.uid, "received_at": item.received_at.isoformat() if item.received_at else None,
         "sender": item.sender, "subject": item.subject, "outcome": item.outcome,
         "reply": item.decision.reply if item.decision else None,
         "file": item.decision.file if item.decision else None,
         "unit_code": item.unit_code, "period": item.period_id, "reasons": item.notes}
        for item in taken
    ]


# Mail the robot leaves for a person, newest first in the table.
LEFT_FOR_PEOPLE = ("reply-to-robot", "not-for-robot", "ambiguous", "quarantined", "error")


def left_for_people_table(config: Config, messages: list[Message]) -> Table | None:
    """Mail the robot recorded and did not answer because it needs a person (the newest 50)."""
    if not messages:
        return None
    table = Table(title="Thư để cán bộ xem (rô-bốt không trả lời)")
    for header in ("Nhận lúc", "Người gửi", "Tiêu đề", "Loại", "Ghi chú"):
        table.add_column(header)
    for message in sorted(messages, key=lambda m: from_db_time(m.received_at))[-50:]:
        received = from_db_time(message.received_at).astimezone(config.tz)
        table.add_row(_when(received), escape(message.sender), escape(message.subject),
                      OUTCOME_WORDS.get(message.outcome, message.outcome), escape(message.detail[:200]))
    return table


def _when(moment: dt.datetime | None) -> str:
    return moment.strftime("%d/%m/%Y %H:%M") if moment else ""


def status_table(config: Config, rows: list[StatusRow]) -> list[Table]:
    """A table per period; with several programmes its title names the period's programme first."""
    tables = []
    for _, group in groupby(rows, key=lambda r: (r.period.programme, r.period.id)):
        group = list(group)
        period = group[0].period
        counts = Counter(r.state for r in group)
        title = f"{period.title} — hạn chót trước {period.due_day:%d/%m/%Y}"
        if config.has_programmes:
            title = f"{escape(config.programme(period.programme).programme_title)}\n{title}"
        table = Table(title=title)
        table.add_column("Mã", no_wrap=True)  # codes are what staff type: never cut them
        for header in ("Đơn vị", "Trạng thái", "Đúng hạn", "Nhận lúc", "Lần", "Thiếu / sai"):
            table.add_column(header)
        for row in group:
            on_time = {True: "Đúng hạn", False: "Muộn", None: ""}[row.on_time]
            gaps = ", ".join(row.missing + [k for k in row.invalid if k not in row.missing])
            table.add_row(escape(row.unit.code), escape(row.unit.name), STATE_WORDS[row.state], on_time,
                          _when(row.received_at), str(row.version or ""), gaps)
        table.caption = " · ".join(
            f"{STATE_WORDS[s]}: {counts.get(s, 0)}" for s in STATE_WORDS
        ) + f" · Tổng: {len(group)}"
        tables.append(table)
    return tables


def mailbox_error_line(config: Config, error: Exception) -> str:
    """One line for `robot poll` when the mailbox cannot be reached: which mailbox, which server, why."""
    imap = config.mailbox.imap
    where = f"{imap.host}:{imap.port}"
    reason = " ".join(str(error).removeprefix(f"IMAP {where}: ").split())
    return f"Không kết nối được hộp thư {config.mailbox.address} (máy chủ IMAP {where}): {reason}"


def unknown_senders_table(config: Config, messages: list[Message]) -> Table | None:
    """Mail from addresses not registered to any unit (the newest 50), or None when there is none."""
    if not messages:
        return None
    table = Table(title="Thư từ địa chỉ chưa đăng ký (cần cán bộ xem xét)")
    table.add_column("Địa chỉ", no_wrap=True)
    for header in ("Nhận lúc", "Tiêu đề", "Tệp", "Ghi chú"):
        table.add_column(header)
    for message in messages[-50:]:
        received = from_db_time(message.received_at).astimezone(config.tz)
        table.add_row(escape(message.sender), _when(received), escape(message.subject),
                      escape(", ".join(message.attachments)), escape(message.detail))
    return table


REMINDER_WORDS = {"reminder": "Nhắc trước hạn", "overdue": "Quá hạn", "escalation": "Báo cấp trên"}


def reminders_table(planned: list[PlannedReminder], dry_run: bool, programmes: bool = False) -> Table:
    """What `robot remind` sent, or would send; ``programmes``: a first column names each one's programme."""
    title = "Thư nhắc sẽ gửi (chạy thử, chưa gửi)" if dry_run else "Thư nhắc đã đưa vào hàng đợi gửi"
    table = Table(title=title)
    headers = ("Kỳ báo cáo", "Loại nhắc", "Bước", "Mã", "Đơn vị", "Trạng thái", "Gửi đến")
    for header in ("Chương trình", *headers) if programmes else headers:
        table.add_column(header)
    for item in planned:
        cells = [escape(item.period.id), REMINDER_WORDS[item.step.kind], item.step.name,
                 escape(item.unit.code), escape(item.unit.name), STATE_WORDS[item.row.state],
                 escape(", ".join(item.to))]
        table.add_row(*([escape(item.period.programme)] if programmes else []), *cells)
    table.caption = f"Tổng: {len(planned)} thư" if planned else "Không có thư nhắc nào đến hạn"
    return table


def heartbeat_table(config: Config, states: Iterable[PollState], outbox: dict[str, int],
                    holder: Holder | None) -> Table:
    """Is the robot alive: last poll and error per folder, the outbox backlog, the daemon's lock."""
    table = Table(title="Tình trạng hoạt động của rô-bốt")
    table.add_column("Mục")
    table.add_column("Tình trạng")
    for state in states:
        where = escape(f"{state.mailbox} / {state.folder}")
        table.add_row(f"Lần đọc hộp thư gần nhất ({where})",
                      _when(from_db_time(state.last_poll_at).astimezone(config.tz) if state.last_poll_at else None)
                      or "chưa đọc lần nào")
        table.add_row("Lỗi gần nhất", f"[red]{escape(state.last_error)}[/red]" if state.last_error else "không có")
    table.add_row("Thư chờ gửi / hoãn do giới hạn số thư / gửi lỗi",
                  f"{outbox.get('pending', 0)} / {outbox.get('deferred', 0)} / {outbox.get('failed', 0)}")
    if holder is None:
        table.add_row("Chạy thường trực (robot run)", "không chạy")
    else:
        table.add_row("Chạy thường trực (robot run)",
                      f"đang chạy: tiến trình {holder.pid} trên máy {escape(holder.host)}, "
                      f"từ {_when(holder.since.astimezone(config.tz))}")
    return table
