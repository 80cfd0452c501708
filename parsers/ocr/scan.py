"""A scanned document read into a report: its pages read once, laid out as rows and lines, matched
by the same table logic as every other format, then each figure read a second time and kept
only when both readings agree.

A field whose row was found but whose figure was not read with certainty is left out of the
values and listed in ``ParsedReport.uncertain``, for the robot to ask the school about.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from parsers.hints import HintFinder
from parsers.limits import ParseLimits
from parsers.ocr.boxes import union
from parsers.ocr.engine import OcrFailed, OcrTimeout
from parsers.ocr.headings import mended_heading
from parsers.ocr.page import LineText, PageText, Reading, TableText, read_page
from parsers.ocr.second_reading import Crop, read_column
from parsers.ocr.shapes import FIGURE_CHARACTERS, agreed
from parsers.report import FoundValue, ParsedReport, ParseError
from parsers.schema import FieldSpec, Schema
from parsers.tables import Cell, Grid, GridReader, assemble, header_columns

_SHORT = 3  # a line this short between two tables (a page number) does not part them
_PAGE_SECONDS = 3.0  # what a page is expected to take before the first one is timed
_SECOND_READING = 3.0  # seconds kept for reading the figures again after the last page


@dataclass(frozen=True)
class ScanPage:
    """One page picture (RGB or grey), its resolution when the file says it, and its number in
    the file (a PDF's page without a picture is skipped, the next keeps its own number)."""

    picture: np.ndarray
    dpi: float | None = None
    number: int | None = None


@dataclass
class _Walk:
    """The document as the pages are walked: what the shared table logic has found so far."""

    reader: GridReader
    numbers: list[int]  # the file's page number of each page read
    grids: list[Grid] = field(default_factory=list)
    prose: list[FoundValue] = field(default_factory=list)
    places: dict[str, Crop] = field(default_factory=dict)  # a value's source → where to read it again
    codes: dict[str, str] = field(default_factory=dict)  # a value cell's source → its row's code
    partial: set[str] = field(default_factory=set)  # sources whose reading leaves ink unexplained
    table: list[tuple[int, list[Reading | None]]] = field(default_factory=list)  # (page, row) of the open table
    table_page: int = -1
    table_width: int = 0
    text_rows: list[tuple[int, LineText]] = field(default_factory=list)  # lines of several cells


def read_scan(pages: Iterable[ScanPage], schema: Schema, limits: ParseLimits, *, filename: str,
              total_pages: int) -> ParsedReport:
    """Read up to ``limits.max_ocr_pages`` pages within ``limits.ocr_seconds`` into one report."""
    started = time.monotonic()
    deadline = started + limits.ocr_seconds
    read: list[PageText] = []
    warnings: list[str] = []
    slowest = 0.0  # the longest a page has taken so far
    for index, page in enumerate(pages):
        if index >= limits.max_ocr_pages:
            break
        if read and time.monotonic() + (slowest or _PAGE_SECONDS) + _SECOND_READING > deadline:
            warnings.append(f"bản quét: chỉ kịp đọc {len(read)} trang đầu trong {total_pages} trang")
            break
        before = time.monotonic()
        try:
            read.append(read_page(page.picture, page.number or index + 1, dpi=page.dpi,
                                  timeout=_remaining(deadline)))
        except OcrTimeout as exc:
            if not read:
                raise ParseError("timeout", f"{filename}: {exc}") from None
            warnings.append(f"bản quét: không kịp đọc trang {page.number or index + 1}")
            break
        except OcrFailed:
            warnings.append(f"bản quét: không đọc được trang {page.number or index + 1}")
            continue
        slowest = max(slowest, time.monotonic() - before)
    if total_pages > limits.max_ocr_pages and len(read) == limits.max_ocr_pages:
        warnings.append(f"bản quét: chỉ đọc {limits.max_ocr_pages} trang đầu trong {total_pages} trang")
    walk = _walk(read, schema)
    report = _certain(walk, read, schema, filename, deadline=max(deadline, time.monotonic() + _SECOND_READING))
    report.warnings[:0] = warnings
    return report


def _remaining(deadline: float) -> float:
    return max(1.0, deadline - time.monotonic())


# --- pages → rows and lines, through the shared table logic ----------------------------------------


def _walk(pages: list[PageText], schema: Schema) -> _Walk:
    walk = _Walk(GridReader(schema.fields, HintFinder()), [page.number for page in pages])
    for index, page in enumerate(pages):
        for block in page.blocks:
            if isinstance(block, TableText):
                _flush_text(walk)
                _table(walk, block, index)
            elif len(block.cells) > 1:
                walk.text_rows.append((index, block))
            else:
                if _ends_table(block):
                    _flush_table(walk)
                _flush_text(walk)
                _line(walk, block.cells[0], index)
    _flush_text(walk)
    _flush_table(walk)
    return walk


def _ends_table(line: LineText) -> bool:
    return len(line.cells[0].text.strip()) > _SHORT


def _table(walk: _Walk, table: TableText, page: int) -> None:
    """A ruled table; one that opens a page with the width of the one that closed the page
    before continues it, and a first row with nothing in its first cell ends the row cut by
    the page break."""
    rows = [(page, list(row)) for row in table.rows]
    continues = walk.table and page == walk.table_page + 1 and table.grid.width == walk.table_width
    if continues:
        if rows and not _text(rows[0][1][0]):
            before, cut = walk.table[-1]
            walk.table[-1] = (before, [_joined(a, b) for a, b in zip(cut, rows.pop(0)[1])])
        walk.table += rows
    else:
        _flush_table(walk)
        walk.table = rows
        walk.table_width = table.grid.width
    walk.table_page = page


def _flush_table(walk: _Walk) -> None:
    if not walk.table:
        return
    rows = walk.table
    walk.table = []
    cells = [[_cell(walk, reading, page) for reading in row] for page, row in rows]
    _note_codes(walk, cells)
    walk.grids.append(walk.reader.read(cells))


def _flush_text(walk: _Walk) -> None:
    """Lines of several cells in a row (outside ruled tables) are read as a table, as a PDF's are."""
    if not walk.text_rows:
        return
    rows = [[_cell(walk, reading, page) for reading in line.cells] for page, line in walk.text_rows]
    walk.text_rows = []
    walk.grids.append(walk.reader.read(rows))


def _line(walk: _Walk, reading: Reading, page: int) -> None:
    """A line of its own: a title, a hint ("Kỳ báo cáo: …") or a "- Label: value" line."""
    source = _source(walk, page, reading)
    found = walk.reader.read_line(reading.text, source)
    if found is None:
        return
    after = _after_colon(reading)
    if after is not None:
        walk.places[source] = Crop(page, after)
    walk.prose.append(found)


def _after_colon(reading: Reading):
    """The box of the words after the first colon of a line: where its value is written."""
    for index, word in enumerate(reading.words):
        if ":" in word.text:
            rest = reading.words[index + 1 :]
            return union([w.box for w in rest]) if rest else None
    return None


def _cell(walk: _Walk, reading: Reading | None, page: int) -> Cell:
    if reading is None:  # the continuation of a merged cell
        return Cell.of(None, f"trang {walk.numbers[page]}")
    source = _source(walk, page, reading)
    if reading.text:
        walk.places[source] = Crop(page, reading.box)
    if not reading.whole:
        walk.partial.add(source)
    return Cell.of(mended_heading(reading.text) or None, source)


def _source(walk: _Walk, page: int, reading: Reading) -> str:
    """Provenance of a reading: "trang 1, ô (x,y,w,h), độ tin cậy 93%" (the lowest of its words)."""
    return f"trang {walk.numbers[page]}, ô {reading.box.shown()}, độ tin cậy {reading.confidence:.0f}%"


def _text(reading: Reading | None) -> str:
    return reading.text if reading is not None else ""


def _joined(first: Reading | None, second: Reading | None) -> Reading | None:
    """A cell cut by a page break made whole: its two parts' words (the first part's box)."""
    if not _text(second):
        return first
    if not _text(first):
        return second
    assert first is not None and second is not None
    return dataclasses.replace(first, text=f"{first.text} {second.text}", words=(),
                               confidence=min(first.confidence, second.confidence),
                               whole=first.whole and second.whole)


def _note_codes(walk: _Walk, rows: list[list[Cell]]) -> None:
    """Remember each row's "Mã số", so a label misread into another field's is caught."""
    code_column = None
    for row in rows:
        header = header_columns([cell.text for cell in row])
        if header is not None:
            code_column = header.code
            continue
        if code_column is not None and code_column < len(row):
            for cell in row:
                walk.codes[cell.source] = row[code_column].text


# --- the second reading and what is certain ---------------------------------------------------------


def _certain(walk: _Walk, pages: list[PageText], schema: Schema, filename: str, *,
             deadline: float) -> ParsedReport:
    """The report of what both readings agree on; the rest of the fields found are uncertain."""
    specs = {spec.key: spec for spec in schema.fields}
    found = [f for grid in walk.grids for f in grid.found] + walk.prose
    pictures = [page.clean for page in pages]
    figures = [f for f in found if specs[f.key].type == "int" and f.source in walk.places]
    words = [f for f in found if specs[f.key].type != "int" and f.source in walk.places]
    second = _read_again(pictures, figures, walk, deadline, FIGURE_CHARACTERS)
    second |= _read_again(pictures, words, walk, deadline, None)
    doubtful: set[str] = set()
    kept: dict[int, FoundValue] = {}
    for value in found:
        spec = specs[value.key]
        if (id(value) in second and value.source not in walk.partial and agreed(spec, value.raw, second[id(value)])
                and _code_fits(walk, value, spec)):
            kept[id(value)] = dataclasses.replace(value, via="ocr")
        else:
            doubtful.add(value.key)
    readings: dict[str, set] = {}
    for value in kept.values():
        readings.setdefault(value.key, set()).add(value.value)
    doubtful |= {key for key, seen in readings.items() if len(seen) > 1}  # two places, two figures
    doubtful -= {key for key, seen in readings.items() if len(seen) == 1}
    grids = [Grid([kept[id(f)] for f in grid.found if id(f) in kept and f.key not in doubtful])
             for grid in walk.grids]
    prose = [kept[id(f)] for f in walk.prose if id(f) in kept and f.key not in doubtful]
    report = assemble(filename, grids, prose, walk.reader)
    report.from_scan = True
    report.uncertain = [spec.key for spec in schema.fields if spec.key in doubtful]
    return report


def _read_again(pictures: list[np.ndarray], values: list[FoundValue], walk: _Walk, deadline: float,
                whitelist: str | None) -> dict[int, str]:
    """The second reading of each value, by the value's id (none where Tesseract failed)."""
    try:
        texts = read_column(pictures, [walk.places[f.source] for f in values], deadline=deadline,
                            whitelist=whitelist)
    except OcrFailed:
        return {}
    return dict(zip(map(id, values), texts))


def _code_fits(walk: _Walk, value: FoundValue, spec: FieldSpec) -> bool:
    """False when the row's "Mã số" names another field than its label did."""
    code = re.sub(r"[^\d]", "", walk.codes.get(value.source, ""))
    return not code or not spec.code.isdigit() or int(code) == int(spec.code) or not _known(walk, code)


def _known(walk: _Walk, code: str) -> bool:
    return any(spec.code.isdigit() and int(spec.code) == int(code) for spec in walk.reader.fields)
