"""The demo's summary: rich tables at the terminal, and the same facts as JSON in the out folder."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from robot.demo.result import DemoResult
from robot.wording import REPLY_SUBJECTS
from robot.views import OUTCOME_WORDS, REMINDER_WORDS, reminders_table, status_table

SUMMARY_FILE = "ket-qua-chay-thu.json"
KIND_WORDS = {**REPLY_SUBJECTS, **REMINDER_WORDS, "digest": "Báo cáo tổng hợp cho cán bộ"}


def write_summary(result: DemoResult) -> Path:
    """ket-qua-chay-thu.json: what was put in, sent, reminded and written (tests read it too)."""
    data = {
        "now": result.now.isoformat(),
        "config": str(result.config_path),
        "seconds": round(result.seconds, 2),
        "seeded": [{"scenario": m.scenario, "sender": m.sender, "received": m.received.isoformat()}
                   for m in result.seeded],
        "outcomes": dict(result.outcomes),
        "sent": [{"kind": m.kind, "to": m.to, "subject": m.subject, "message_id": m.message_id,
                  "file": str(m.file)} for m in result.sent],
        "reminders": [{"period": r.period.id, "unit_code": r.unit.code, "step": r.step.name,
                       "kind": r.step.kind, "to": r.to} for r in result.reminders],
        "digest_files": [str(p) for p in result.digest_files],
        "status": [row.as_json() for row in result.status],
    }
    path = result.out_dir / SUMMARY_FILE
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def print_summary(console: Console, result: DemoResult) -> None:
    """Everything the demo did, for a person at the terminal (Vietnamese)."""
    console.rule(f"Chạy thử rô-bốt — giả định hôm nay là {result.now:%H:%M ngày %d/%m/%Y}")
    console.print(_seeded_table(result))
    for table in status_table(result.config, result.status):
        console.print(table)
    console.print(_sent_table(result))
    console.print(reminders_table(result.reminders, dry_run=False))
    console.print(_files_table(result))
    console.print(f"Xong trong {result.seconds:.1f} giây. Xem tiếp: "
                  f"[bold]uv run robot --config {_shown(result.config_path)} status[/bold]")


def print_connection(console: Console, result: DemoResult) -> None:
    """How to connect a mail client to the embedded servers while they keep running."""
    imap, smtp = result.imap, result.smtp
    console.rule("Máy chủ thư nhúng vẫn chạy — nhấn Ctrl-C để dừng")
    console.print(
        f"Hộp thư (IMAP, không mã hóa): máy chủ [bold]{imap['host']}[/bold], cổng [bold]{imap['port']}[/bold], "
        f"tên đăng nhập [bold]{escape(imap['user'])}[/bold], mật khẩu [bold]{escape(imap['password'])}[/bold]\n"
        f"Gửi thư (SMTP, không mã hóa, không cần đăng nhập): máy chủ [bold]{smtp['host']}[/bold], "
        f"cổng [bold]{smtp['port']}[/bold]\n"
        f"Thư gửi đến {escape(result.config.mailbox.address)} qua máy chủ SMTP này vào Hộp thư đến; "
        f"rô-bốt đọc lại hộp thư vài giây một lần và trả lời. Thư rô-bốt gửi đi nằm trong thư mục Sent.\n"
        f"Để đóng vai một trường, gửi từ địa chỉ đã đăng ký, ví dụ {escape(result.config.units[0].emails[0])}."
    )


def _seeded_table(result: DemoResult) -> Table:
    table = Table(title=f"{len(result.seeded)} thư mẫu các đơn vị gửi vào hộp thư")
    for header in ("Nhận lúc", "Người gửi", "Tình huống"):
        table.add_column(header)
    for mail in sorted(result.seeded, key=lambda m: m.received):
        table.add_row(f"{mail.received.astimezone(result.config.tz):%d/%m/%Y %H:%M}", escape(mail.sender),
                      escape(mail.scenario))
    table.caption = "Kết quả đọc: " + ", ".join(
        f"{OUTCOME_WORDS.get(outcome, outcome)}: {count}" for outcome, count in sorted(result.outcomes.items()))
    return table


def _sent_table(result: DemoResult) -> Table:
    table = Table(title="Thư rô-bốt đã gửi (máy chủ SMTP nhúng đã nhận)")
    for header in ("Loại (X-Report-Robot)", "Gửi đến", "Tiêu đề", "Tệp .eml"):
        table.add_column(header)
    for mail in result.sent:
        table.add_row(f"{KIND_WORDS.get(mail.kind, mail.kind)} ({mail.kind})", escape(mail.to),
                      escape(mail.subject), escape(mail.file.name))
    table.caption = f"Tổng: {len(result.sent)} thư, lưu trong {_shown(result.sent[0].file.parent)}" if result.sent else ""
    return table


def _files_table(result: DemoResult) -> Table:
    table = Table(title="Các tệp đã ghi")
    table.add_column("Tệp")
    table.add_column("Là gì")
    rows = [(result.config_path, "cấu hình chạy thử (bản sao config.yaml trỏ vào máy chủ nhúng)"),
            (result.config.path(Path("robot.db")), "cơ sở dữ liệu (SQLite)"),
            (result.config.archive_dir, "thư gốc đã lưu trữ (.eml)")]
    if result.sent:
        rows.append((result.sent[0].file.parent, "mọi thư rô-bốt đã gửi (.eml)"))
    described = {".html": "báo cáo tổng hợp (mở bằng trình duyệt)", ".png": "biểu đồ", ".xlsx": "bảng tính số liệu "
                 "các đơn vị", ".docx": "dự thảo báo cáo của Sở (Word)"}
    rows += [(path, described.get(path.suffix, "")) for path in result.digest_files]
    rows.append((result.out_dir / SUMMARY_FILE, "tóm tắt lần chạy thử (JSON)"))
    for path, words in rows:
        table.add_row(escape(_shown(path)), words)
    return table


def _shown(path: Path) -> str:
    """A path relative to the working folder when it lies inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
