"""The ruled tables of a text PDF as rows of cells, read with pdfplumber.

A Word or Excel report printed to PDF keeps its table's rules, and pdfplumber finds the cells
between them, so a label wrapped over five lines stays one cell and its figure stays beside it
(the text layer alone gives one line per printed line). A table running over a page break comes
back as two: the part at the top of the next page is joined to the first, and a row cut by the
break is made whole again.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from parsers.limits import ParseLimits
from parsers.tables import Cell

if TYPE_CHECKING:
    from pdfplumber.page import Page
    from pdfplumber.table import Table

log = logging.getLogger(__name__)

_SAME_EDGE_POINTS = 3.0  # how far apart the left and right rules of a table's two parts may be
# A table cut by a page break runs into the bottom of one page and starts at the top of the next.
_BREAK_ZONE = 0.25  # of the page's height


@dataclass
class _Table:
    """One ruled table, possibly over several pages: its texts, rows and where it ends."""

    number: int
    page: int
    bbox: tuple[float, float, float, float]  # of its last part: left, top, right, bottom
    page_height: float
    rows: list[list[str]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def continued_by(self, page: int, first_on_page: bool, bbox: tuple[float, float, float, float],
                     page_height: float, columns: int) -> bool:
        """Whether a table found on ``page`` is the rest of this one, cut by the page break."""
        left, top, right, _ = bbox
        return (first_on_page and page == self.page + 1 and bool(self.rows)
                and columns == len(self.rows[-1])
                and abs(left - self.bbox[0]) <= _SAME_EDGE_POINTS and abs(right - self.bbox[2]) <= _SAME_EDGE_POINTS
                and self.bbox[3] >= (1 - _BREAK_ZONE) * self.page_height and top <= _BREAK_ZONE * page_height)


def ruled_tables(data: bytes, limits: ParseLimits) -> list[list[list[Cell]]]:
    """Every ruled table of the PDF, as rows of cells; [] when pdfplumber finds none."""
    import pdfplumber  # imported for PDFs only: ~0.7 s, which no other file should pay

    tables: list[_Table] = []
    cells = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                if number > limits.max_pages or cells > limits.max_cells:
                    break
                for index, found in enumerate(page.find_tables()):
                    rows = [[" ".join((text or "").split()) for text in row[: limits.max_columns]]
                            for row in _with_overflow(page, found)]
                    cells += sum(len(row) for row in rows)
                    bbox = tuple(found.bbox)
                    last = tables[-1] if tables else None
                    if not (last and rows and last.continued_by(number, index == 0, bbox, page.height, len(rows[0]))):
                        last = _Table(len(tables) + 1, number, bbox, page.height)
                        tables.append(last)
                    _continue(last, rows, number)
                    last.page, last.bbox, last.page_height = number, bbox, page.height
                page.close()
    except Exception as exc:  # pdfminer raises many types on odd files; the text reading stands
        log.info("ruled tables not read: %s: %s", type(exc).__name__, exc)
    return [[[Cell.of(text, source) for text in row] for row, source in zip(table.rows, table.sources)]
            for table in tables]


def _with_overflow(page: Page, found: Table) -> list[list[str | None]]:
    """The table's cell texts, a last cell's text running past the right rule included (a long
    text in the last column of a printed sheet is not wrapped, and pdfplumber cuts it at the rule)."""
    from pdfplumber.utils import extract_text

    rows = found.extract()
    right = found.bbox[2]
    if not any(char["x0"] >= right for char in page.chars):
        return rows
    for cells, row in zip(found.rows, rows):
        last = cells.cells[-1]
        if last is None or not row or not row[-1]:
            continue
        band = [char for char in page.chars
                if last[1] <= (char["top"] + char["bottom"]) / 2 <= last[3] and char["x1"] > last[0]]
        if any(char["x0"] >= right for char in band):
            row[-1] = extract_text(band)
    return rows


def _continue(table: _Table, rows: list[list[str]], page: int) -> None:
    """Add a page's rows to a table; a first row with an empty first cell finishes the row the
    page break cut (its STT and code stayed above the break)."""
    if table.rows and rows and not rows[0][0] and table.rows[-1][0]:
        cut, rows = rows[0], rows[1:]
        table.rows[-1] = [" ".join(part for part in pair if part) for pair in zip(table.rows[-1], cut)]
    for row in rows:
        table.rows.append(row)
        table.sources.append(f"trang {page}, bảng {table.number}, dòng {len(table.rows)}")
