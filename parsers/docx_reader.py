"""Word reports (.docx): every table, nested ones too, and "- Label: value" paragraphs."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import docx
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from parsers.hints import HintFinder
from parsers.labels import normalize
from parsers.limits import ParseLimits, open_zip
from parsers.report import FoundValue, ParsedReport, ParseError
from parsers.schema import Schema
from parsers.tables import Cell, Grid, GridReader, assemble

_NATIONAL_MOTTO = "cong hoa xa hoi chu nghia"


@dataclass
class _Walk:
    """State of one pass over a document body."""

    reader: GridReader
    limits: ParseLimits
    grids: list[Grid] = field(default_factory=list)
    lines: list[FoundValue] = field(default_factory=list)
    tables: int = 0
    paragraphs: int = 0
    cells: int = 0
    text_seen: bool = False


def read_docx(
    data: bytes, schema: Schema, limits: ParseLimits | None = None, *, filename: str = ""
) -> ParsedReport:
    """Read a Word report: indicator tables, "Label: value" lines, the unit and period hints."""
    limits = limits or ParseLimits()
    with open_zip(data, limits) as archive:
        has_pictures = any(name.startswith("word/media/") for name in archive.namelist())
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors …
        raise ParseError("corrupt", f"not a readable Word document ({type(exc).__name__}: {exc})") from None
    walk = _Walk(GridReader(schema.fields, HintFinder()), limits)
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            if not _paragraph(walk, block):
                break
        else:
            _table(walk, block)
    if not walk.text_seen and has_pictures:
        raise ParseError("scanned", "the document holds pictures but no text")
    return assemble(filename, walk.grids, walk.lines, walk.reader)


def _paragraph(walk: _Walk, paragraph: Paragraph) -> bool:
    """Read one body paragraph; False once the paragraph limit is reached."""
    walk.paragraphs += 1
    if walk.paragraphs > walk.limits.max_paragraphs:
        walk.reader.warnings.append(f"chỉ đọc {walk.limits.max_paragraphs} đoạn văn đầu")
        return False
    text = paragraph.text.strip()
    if text:
        walk.text_seen = True
        found = walk.reader.read_line(text, f"đoạn {walk.paragraphs}")
        if found is not None:
            walk.lines.append(found)
    return True


def _table(walk: _Walk, table: Table) -> None:
    """Read a table as a grid, then the tables nested in its cells."""
    walk.tables += 1
    number = walk.tables
    rows: list[list[Cell]] = []
    nested: list[Table] = []
    for row_number, tr in enumerate(table._tbl.tr_lst, start=1):
        source = f"bảng {number}, dòng {row_number}"
        empty = Cell.of(None, source)
        row = [empty] * tr.grid_before
        for tc in tr.tc_lst:
            cell = _Cell(tc, table)
            nested.extend(cell.tables)
            # A vertically merged cell repeats nothing: its text belongs to the top row.
            text = "" if tc.vMerge == "continue" else cell.text.strip()
            row.append(Cell.of(text, source) if text else empty)
            row.extend([empty] * (tc.grid_span - 1))
        walk.cells += len(row)
        if walk.cells > walk.limits.max_cells:
            walk.reader.warnings.append(f"bảng {number}: quá nhiều ô, dừng đọc ở dòng {row_number}")
            break
        rows.append(row)
    walk.text_seen = walk.text_seen or any(cell.text for row in rows for cell in row)
    if any(_NATIONAL_MOTTO in normalize(cell.text) for row in rows for cell in row):
        walk.reader.hints.see_header_block([line for row in rows if row for line in row[0].text.splitlines()])
    grid = walk.reader.read(rows)
    walk.grids.append(grid)
    for inner in nested:
        _table(walk, inner)
