"""How the digest writes states, percentages and yes/no for Vietnamese readers."""

from __future__ import annotations

STATE_NAMES = {
    "complete": "Đã nộp đủ",
    "incomplete": "Chưa đủ",
    "unreadable": "Không đọc được",
    "unverified": "Chưa xác thực",
    "missing": "Chưa nộp",
}


def percent(value: float | None) -> str:
    """50.0 → "50,0 %"; None → "—"."""
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + " %"


def yes_no(value: bool | None) -> str:
    return {True: "Có", False: "Không", None: ""}[value]


def on_time_word(value: bool | None) -> str:
    return {True: "Đúng hạn", False: "Muộn", None: ""}[value]
