"""What a figure read from a scan may look like, and when two readings of it say the same thing.

A count is accepted only in a shape Vietnamese forms use ("05", "1250", "1.250", "1,250",
"1 250", "70%"), optionally followed by its unit word ("05 buổi"), and only when the page
reading and the digits-only reading give the same number. A yes/no is accepted only as a word
("Có", "Không", "Đã …", "Chưa …") or an "x", read the same twice. Anything else — a stray mark,
a figure under a seal, "1.25O" — is not read; the school is asked for it.
"""

from __future__ import annotations

import re
import unicodedata

from parsers.labels import normalize
from parsers.schema import FieldSpec
from parsers.values import parse_bool, parse_int

# The characters the digits-only reading may answer with.
FIGURE_CHARACTERS = "0123456789.,%"
_NUMBER = r"\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+"
_FIGURE = re.compile(rf"^({_NUMBER})(\s?%)?$")
# After the figure on the page: a unit word or two ("05 buổi", "1.250 lượt HS"), only from the
# units forms use — letters OCR makes of a blot ("1 B P") are no unit.
_WITH_UNIT = re.compile(rf"^({_NUMBER})(\s?%)?((?:\s+[^\W\d_]+){{0,2}})$")
_UNITS = frozenset(
    "buoi luot em nguoi cuoc vu truong lop dot lan bai tiet hinh thuc don vi tap the ca nhan "
    "hs sv hssv cb gv nv cbgv hoc sinh vien".split()
)
_YES_NO_WORDS = ("co", "khong", "da", "chua")
_MARKS = frozenset({"x", "X"})


def figure_on_page(text: str) -> str | None:
    """The figure in a cell as the page reading gave it ("05 buổi" → "05"), or None if misshapen."""
    match = _WITH_UNIT.match(_tidy(text))
    if match is None or not set(normalize(match.group(3)).split()) <= _UNITS:
        return None
    return match.group(1) + ("%" if match.group(2) else "")


def figure_alone(text: str) -> str | None:
    """The digits-only reading, when it is a figure and nothing else."""
    match = _FIGURE.match(_tidy(text))
    return match.group(1) + ("%" if match.group(2) else "") if match else None


def same_figure(first: str, second: str) -> bool:
    """Whether two well-shaped figures are the same count ("05" and "5", "1.250" and "1250")."""
    if first.endswith("%") != second.endswith("%"):
        return False
    return _count(first) == _count(second)


def yes_no(text: str) -> bool | None:
    """A yes/no answer written as a word or an "x", or None for anything else."""
    tidy = _tidy(text)
    if tidy in _MARKS:
        return True
    words = normalize(tidy).split()
    if not words or words[0] not in _YES_NO_WORDS or any(ch.isdigit() for ch in tidy):
        return None
    try:
        return parse_bool(tidy)
    except ValueError:
        return None


def same_text(first: str, second: str) -> bool:
    """Whether two readings of a note are the same words (spacing aside)."""
    return _words(first) == _words(second) and bool(_words(first))


def agreed(spec: FieldSpec, page: str, second: str) -> bool:
    """Whether the page reading and the second reading of a field's value agree, in a valid shape.

    ``second`` is the digits-only reading for a count and the plain reading for the rest.
    """
    if spec.type == "int":
        on_page, alone = figure_on_page(page), figure_alone(second)
        return on_page is not None and alone is not None and same_figure(on_page, alone)
    if spec.type == "bool":
        answer = yes_no(page)
        return answer is not None and answer == yes_no(second)
    return same_text(page, second)


def _count(figure: str) -> int:
    return parse_int(figure.rstrip("%"))


def _tidy(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())
