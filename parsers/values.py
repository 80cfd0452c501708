"""Vietnamese value normalisation: counts and yes/no answers as people type them.

Error messages are Vietnamese: the robot quotes them back to the sender beside the field.
Text is read in its one form (``canonical``), so "Không" typed decomposed (NFD) is still 0.
"""

from __future__ import annotations

import datetime as dt
import re

from parsers.labels import normalize
from parsers.report import Value
from parsers.schema import FieldSpec
from parsers.text_form import canonical

CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | None

_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009]+")
# A whole number with optional thousands groups: "1.250", "1,250", "1 250", "1.250.000".
_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+(?!\d)|\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?: \d{3})+(?!\d)|\d+")
_ZERO_FRACTION = re.compile(r"^[.,]0+(?!\d)")
_DECIMAL = re.compile(r"^[.,]\d")
# "-" in a statistical table, and "không (có)" written out, mean none at all.
_ZERO_WORDS = frozenset({"-", "–", "—", "không", "không có", "khong", "khong co"})

_TRUE_MARKS = frozenset({"x", "✓", "✔", "☑", "☒", "1", "c", "y", "yes", "true", "ok"})
_FALSE_MARKS = frozenset({"0", "k", "n", "no", "false", "-", "–", "—", "☐"})
_TRUE_WORDS = ("co", "da")  # "Có ...", "Đã ban hành ...", "Đã thực hiện ..."
_FALSE_WORDS = ("khong", "chua")  # "Không ...", "Chưa ban hành ..."


def parse_int(text: str | int | float) -> int:
    """A non-negative count from "05", "1.250", "1,250", "1 250", "05 buổi", 12 or 12.0.

    A dot or comma followed by exactly three digits is a thousands separator (Vietnamese
    usage); any other decimal part, a minus sign or a percentage is refused with ValueError.
    """
    if isinstance(text, bool):
        raise ValueError("là giá trị đúng/sai, không phải số")
    if isinstance(text, (int, float)):
        return _from_number(text)
    cleaned = _SPACES.sub(" ", canonical(text)).strip()
    if not cleaned:
        raise ValueError("ô trống")
    if cleaned.lower() in _ZERO_WORDS:
        return 0
    if "%" in cleaned:
        raise ValueError("là tỷ lệ phần trăm, cần ghi số lượng (số nguyên)")
    if re.match(r"^[-−]\s*\d", cleaned):
        raise ValueError("số âm không hợp lệ")
    match = _NUMBER.match(cleaned.lstrip("+"))
    if not match:
        raise ValueError("không phải là số")
    rest = cleaned.lstrip("+")[match.end() :]
    if _DECIMAL.match(rest) and not _ZERO_FRACTION.match(rest):
        raise ValueError("không phải số nguyên")
    rest = _ZERO_FRACTION.sub("", rest)
    if any(ch.isdigit() for ch in rest):
        raise ValueError("có nhiều hơn một số, cần ghi một số duy nhất")
    return int(re.sub(r"\D", "", match.group()))


def _from_number(number: int | float) -> int:
    if number < 0:
        raise ValueError("số âm không hợp lệ")
    if isinstance(number, float) and not number.is_integer():
        raise ValueError("không phải số nguyên")
    return int(number)


def parse_bool(text: str | int | float | bool) -> bool:
    """A yes/no answer: "Có", "x", "✓", "Đã ban hành", 1 → True; "Không", "Chưa", "-", 0 → False."""
    if isinstance(text, bool):
        return text
    if isinstance(text, (int, float)):
        if text in (0, 1):
            return bool(text)
        raise ValueError("cần ghi “Có” hoặc “Không”")
    mark = _SPACES.sub(" ", canonical(text)).strip().lower()
    if mark in _TRUE_MARKS:
        return True
    if mark in _FALSE_MARKS:
        return False
    words = normalize(text).split()
    if words and words[0] in _FALSE_WORDS:
        return False
    if words and words[0] in _TRUE_WORDS:
        return True
    raise ValueError("cần ghi “Có” hoặc “Không”")


def cell_text(cell_value: CellValue) -> str:
    """How a cell's value reads as text: 12.0 as "12", a date as "2026-05-20"."""
    if cell_value is None:
        return ""
    if isinstance(cell_value, float) and cell_value.is_integer():
        return str(int(cell_value))
    if isinstance(cell_value, dt.datetime):
        return cell_value.date().isoformat() if cell_value.time() == dt.time() else cell_value.isoformat()
    if isinstance(cell_value, (dt.date, dt.time)):
        return cell_value.isoformat()
    return str(cell_value).strip()


def looks_like_value(spec: FieldSpec, cell_value: CellValue) -> bool:
    """Whether text beside a label is an answer at all, not words of a sentence.

    A text field takes any text; a count or a yes/no needs a figure, a mark or a yes/no word
    ("to" and "have" after an English line that happens to share a word are no answers).
    """
    if spec.type == "text" or not isinstance(cell_value, str):
        return True
    if any(ch.isdigit() for ch in cell_value):
        return True
    try:
        parse_int(cell_value) if spec.type == "int" else parse_bool(cell_value)
    except ValueError:
        return False
    return True


def parse_value(spec: FieldSpec, cell_value: CellValue) -> tuple[Value | None, str | None]:
    """The field's value from one cell, or (None, reason) when it cannot be understood."""
    if isinstance(cell_value, str):
        cell_value = canonical(cell_value)
    if isinstance(cell_value, (dt.date, dt.time)) and spec.type != "text":
        return None, "là ngày tháng, không phải " + ("số" if spec.type == "int" else "Có/Không")
    try:
        if spec.type == "int":
            return parse_int(
                cell_value if isinstance(cell_value, (int, float)) else cell_text(cell_value)
            ), None
        if spec.type == "bool":
            return parse_bool(
                cell_value if isinstance(cell_value, (int, float)) else cell_text(cell_value)
            ), None
    except ValueError as exc:
        return None, str(exc)
    return cell_text(cell_value), None
