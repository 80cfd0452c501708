"""How figures, dates and file problems are written for Vietnamese readers."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from parsers.report import Value
from parsers.schema import FieldSpec

# Why a file could not be read (ParseError reason codes) and what to send instead.
FILE_PROBLEMS: dict[str, tuple[str, str]] = {
    "corrupt": ("tệp bị hỏng hoặc không mở được", "Xin mở lại tệp, lưu lại rồi gửi lại."),
    "encrypted": ("tệp có đặt mật khẩu", "Xin gỡ mật khẩu của tệp rồi gửi lại."),
    "too_large": ("tệp quá lớn", "Xin gửi tệp báo cáo gọn hơn (chỉ gồm bảng số liệu)."),
    "scanned": (
        "tệp là ảnh chụp hoặc bản quét, không có chữ để đọc số liệu",
        "Xin gửi kèm tệp Word (.docx) hoặc Excel (.xlsx) của báo cáo.",
    ),
    "unsupported": (
        "định dạng tệp này chưa đọc được tự động",
        "Xin gửi tệp Word (.docx) hoặc Excel (.xlsx).",
    ),
    "timeout": ("tệp quá phức tạp để đọc tự động", "Xin gửi tệp theo mẫu báo cáo đính kèm."),
    "limits": ("tệp quá phức tạp để đọc tự động", "Xin gửi tệp theo mẫu báo cáo đính kèm."),
    "no_figures": (
        "không tìm thấy bảng số liệu của báo cáo trong tệp",
        "Xin điền số liệu vào mẫu báo cáo đính kèm.",
    ),
}


def file_problem(reason: str) -> tuple[str, str]:
    return FILE_PROBLEMS.get(reason, FILE_PROBLEMS["corrupt"])


def show_value(spec: FieldSpec, value: Value | None) -> str:
    """A stored value as the sender would write it: "Có", "1.250", the text itself."""
    if value is None:
        return "(chưa có)"
    if spec.type == "bool":
        return "Có" if value else "Không"
    if spec.type == "int" and isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    text = str(value).strip()
    return text if len(text) <= 300 else text[:297] + "…"


def show_time(moment: dt.datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return local.strftime("%H:%M ngày %d/%m/%Y")


def show_day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")
