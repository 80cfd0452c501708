"""How the digest writes states, numbers, percentages and yes/no for Vietnamese readers."""

from __future__ import annotations

STATE_NAMES = {
    "complete": "Đã nộp đủ",
    "incomplete": "Chưa đủ",
    "unreadable": "Không đọc được",
    "unverified": "Chưa xác thực",
    "missing": "Chưa nộp",
}

YES_NO = ("Không", "Có")  # False, True

# Said beside every figure of the plan's targets: they are summed over complete reports only.
ON_COMPLETE = "trên {} đơn vị đã nộp đủ"


def number(value: int | float | None) -> str:
    """13036 → "13.036" (the Vietnamese thousands dot); None → "—"."""
    return "—" if value is None else f"{int(value):,}".replace(",", ".")


def fraction(part: int, whole: int) -> str:
    """3225, 3492 → "3.225/3.492"."""
    return f"{number(part)}/{number(whole)}"


def percent(value: float | None) -> str:
    """70.46 → "70,5 %"; None → "—"."""
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + " %"


def target_percent(value: float) -> str:
    """A configured target: 70 → "70 %", 72.5 → "72,5 %"."""
    return f"{value:g}".replace(".", ",") + " %"


def on_complete(count: int) -> str:
    """ "trên 7 đơn vị đã nộp đủ" """
    return ON_COMPLETE.format(number(count))



