"""Unit, period and title hints: what a document says about who sent it, which period it covers
and what it is."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.labels import normalize
from parsers.report import ParsedReport
from parsers.titles import TitleBlock

_UNIT_LABELS = ("ten don vi", "don vi bao cao", "ten co quan", "co quan bao cao", "ten truong")
_PERIOD_LABELS = ("ky bao cao", "thoi gian bao cao")
# Period words of a title line ("BÁO CÁO 6 THÁNG ĐẦU NĂM 2026", "... cả năm 2026").
_PERIOD_WORDS = re.compile(
    r"\b(?:6|sau|9|chin) thang\b|\bca nam\b|\bnam (?:19|20)\d\d\b|\bquy (?:[1-4]|i{1,3}|iv)\b"
)
# The place-date line also says "năm 2026"; it names a day, not a period.
_DATE_LINE = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b")
# "Số: 12/BC-THPT", the document number under the unit name (not "Sở GD&ĐT").
_NUMBER_LINE = re.compile(r"^số\s*[:.…/\d]")
_PLACEHOLDER = "….·._-–— \t:"
_MAX_TITLE_CHARS = 200


def clean_filled(text: str) -> str | None:
    """The filled-in part of "……Trường THPT X……", or None when only dots are left."""
    cleaned = " ".join(text.strip(_PLACEHOLDER).split())
    return cleaned or None


def _labelled(label: str, names: tuple[str, ...]) -> bool:
    return normalize(label) in names


@dataclass
class HintFinder:
    """Collects hints from the lines and label/value cell pairs a reader walks through."""

    unit: str | None = None
    period: str | None = None
    title_period: str | None = None
    header_unit: str | None = None
    template_code: str | None = None  # set by a reader from the file's properties
    title: TitleBlock = field(default_factory=TitleBlock)

    def see_pair(self, label: str, value: str) -> bool:
        """A "Tên đơn vị" / "Kỳ báo cáo" label with its value; True when it was one of them."""
        if _labelled(label, _UNIT_LABELS):
            self.unit = self.unit or clean_filled(value)
        elif _labelled(label, _PERIOD_LABELS):
            self.period = self.period or clean_filled(value)
        else:
            return False
        self.title.end()  # the header lines below a title are not part of it
        return True

    def see_line(self, text: str, *, title_area: bool) -> bool:
        """A paragraph or cell text; title lines count only in the title area (before the table)."""
        label, colon, value = text.partition(":")
        if colon and self.see_pair(label, value):
            return True
        if title_area:
            self.title.see(" ".join(text.split()))
        if title_area and self.title_period is None and len(text) <= _MAX_TITLE_CHARS:
            folded = normalize(text)
            if _PERIOD_WORDS.search(folded) and not _DATE_LINE.search(folded):
                self.title_period = " ".join(text.split())
        return False

    def see_heading(self, text: str) -> None:
        """A lone text above a sheet's table (its heading, when no document-type title is seen)."""
        self.title.see_heading(text)

    def end_title(self) -> None:
        """A table, a figure or a label came: no later line continues the title."""
        self.title.end()

    def see_header_block(self, lines: list[str]) -> None:
        """The left column of an administrative header: the unit is the last line above "Số:"."""
        above_number = []
        for line in lines:
            if _NUMBER_LINE.match(line.strip().lower()):  # cell text is NFC already
                break
            above_number.append(line)
        if not above_number or self.header_unit is not None:
            return
        label, colon, value = above_number[-1].partition(":")
        name = clean_filled(value if colon and _labelled(label, _UNIT_LABELS) else above_number[-1])
        # An unfilled "TÊN ĐƠN VỊ" placeholder names nobody.
        self.header_unit = None if name is None or _labelled(name, _UNIT_LABELS) else name

    def apply(self, report: ParsedReport) -> None:
        """Write the best hints found into the report."""
        report.unit_hint = self.unit or self.header_unit
        report.period_hint = self.period or self.title_period
        report.title = self.title.title
        report.template_code = self.template_code
