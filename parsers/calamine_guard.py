"""What is checked, and mended, before calamine reads an .ods, .xlsb or .xlsx workbook.

calamine holds each sheet as one dense grid from its first to its last filled cell, built in
full when the workbook opens, and a Rust allocation failure aborts the process instead of
raising: so the grids' sizes are counted here first, cheaply, and a file that would need a grid
far larger than any report is refused (the row, column and cell limits are applied after, by
the reader, as for .xlsx). calamine also skips the "short" cell records of .xlsb (a cell
without its column, meaning the previous cell's plus one), which Excel never writes but
SheetJS-based exporters write for every cell after the first of a row; they are rewritten
into the full records so that no figure silently disappears. An .xlsx is given to calamine
only when it reads the same as with openpyxl (no legacy font, no error cells, every cell placed
by its reference) and within the grid size; any other is read by openpyxl.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
from collections.abc import Iterator

from lxml import etree

from parsers.legacy_fonts import legacy_font
from parsers.limits import refuse_dtd
from parsers.report import ParseError

# The largest sheet grid calamine may build (about 32 bytes a cell: 2 million is ~64 MB).
MAX_GRID_CELLS = 2_000_000

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")

_XLSB_RELS = "xl/_rels/workbook.bin.rels"
_WORKSHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_ROW_HEADER = 0x00
_FULL_CELLS = range(0x01, 0x0C)  # BrtCellBlank .. BrtFmlaError: column, then style
_SHORT_CELLS = range(0x0C, 0x13)  # BrtShortBlank .. BrtShortIsst: style only
_BLANKS = (0x01, 0x0C)
_SHORT_TO_FULL = 0x0C - 0x01  # BrtShortBlank -> BrtCellBlank, …, BrtShortIsst -> BrtCellIsst

# An .xlsx sheet larger than this is streamed by openpyxl, row by row, within the row limit.
MAX_SCANNED_SHEET_BYTES = 4 * 1024 * 1024
_XLSX_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
_XLSX_PLACED_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_XLSX_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\bt="e"')
_XLSX_FONT_NAME = re.compile(rb'<(?:\w+:)?name\s+val="([^"]*)"')


def check_ods(archive: zipfile.ZipFile) -> None:
    """Refuse an .ods whose sheets would expand past MAX_GRID_CELLS."""
    refuse_dtd(archive)
    try:
        with archive.open("content.xml") as content:
            _count_ods_cells(content)
    except KeyError:
        raise ParseError("corrupt", "an OpenDocument file without content.xml") from None
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ParseError("corrupt", f"content.xml cannot be read ({exc})") from None


def _count_ods_cells(content: io.BufferedIOBase) -> None:
    """Expand the repeat counts of filled rows and cells as calamine will, without keeping them."""
    grids = 0  # the grid cells of the sheets before this one
    row = last_row = last_column = -1
    events = etree.iterparse(content, events=("start", "end"), tag=(f"{_TABLE}table", f"{_TABLE}table-row"),
                             resolve_entities=False, no_network=True)
    for event, element in events:
        if element.tag == f"{_TABLE}table":
            if event == "end":
                grids += (last_row + 1) * (last_column + 1)
            row = last_row = last_column = -1
            continue
        if event == "start":
            continue
        repeat_rows = int(element.get(f"{_TABLE}number-rows-repeated", "1"))
        column = 0
        for cell in element.iterchildren(*_ODS_CELLS):
            repeat = int(cell.get(f"{_TABLE}number-columns-repeated", "1"))
            if cell.get(f"{_OFFICE}value-type") is not None or len(cell):
                last_column = max(last_column, column + repeat - 1)
                last_row = row + repeat_rows
            column += repeat
        row += repeat_rows
        element.clear()
        _check_grid(grids + (last_row + 1) * (last_column + 1))


def repair_xlsb(archive: zipfile.ZipFile, data: bytes) -> bytes:
    """The .xlsb as calamine can read it: checked for its grids' size, short cell records made full."""
    refuse_dtd(archive)
    if "xl/workbook.bin" not in archive.namelist():
        raise ParseError("corrupt", "an .xlsb file without xl/workbook.bin")
    mended: dict[str, bytes] = {}
    grids = 0
    for name in _xlsb_worksheets(archive):
        try:
            stream = archive.read(name)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise ParseError("corrupt", f"{name} cannot be unpacked ({exc})") from None
        grid, rewritten = _walk_xlsb_sheet(stream, grids)
        grids += grid
        if rewritten is not None:
            mended[name] = rewritten
    if not mended:
        return data
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in archive.infolist():
            target.writestr(item.filename, mended.get(item.filename) or archive.read(item))
    return buffer.getvalue()


def _xlsb_worksheets(archive: zipfile.ZipFile) -> list[str]:
    """The worksheet parts the workbook points to, as calamine will find them."""
    try:
        relations = etree.fromstring(archive.read(_XLSB_RELS), etree.XMLParser(resolve_entities=False))
    except KeyError:
        return []  # calamine cannot find the sheets either, and says so
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ParseError("corrupt", f"{_XLSB_RELS} cannot be read ({exc})") from None
    parts = []
    for relation in relations:
        target = relation.get("Target", "")
        if relation.get("Type") == _WORKSHEET_TYPE and target:
            parts.append(target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}"))
    return [part for part in parts if part in archive.namelist()]


def _walk_xlsb_sheet(stream: bytes, grids_before: int) -> tuple[int, bytes | None]:
    """The sheet's grid size, and the stream with full cell records if it had short ones."""
    out = bytearray()
    short_seen = False
    row = last_row = column = last_column = -1
    for kind, start, payload, end in _xlsb_records(stream):
        if kind == _ROW_HEADER and end - payload >= 4:
            row, column = struct.unpack_from("<i", stream, payload)[0], -1
        elif kind in _FULL_CELLS or kind in _SHORT_CELLS:
            if kind in _FULL_CELLS:
                if end - payload < 4:
                    raise ParseError("corrupt", "a cell record too short to name its column")
                column = struct.unpack_from("<i", stream, payload)[0]
                out += stream[start:end]
            else:
                short_seen, column = True, column + 1
                out += _record_header(kind - _SHORT_TO_FULL, end - payload + 4)
                out += struct.pack("<i", column) + stream[payload:end]
            if kind not in _BLANKS:
                last_row, last_column = max(last_row, row), max(last_column, column)
                _check_grid(grids_before + (last_row + 1) * (last_column + 1))
            continue
        out += stream[start:end]
    return (last_row + 1) * (last_column + 1), bytes(out) if short_seen else None


def _xlsb_records(stream: bytes) -> Iterator[tuple[int, int, int, int]]:
    """(record type, record start, payload start, record end) of each record of a BIFF12 stream."""
    position, size_of_stream = 0, len(stream)
    try:
        while position < size_of_stream:
            start = position
            kind = stream[position]
            position += 1
            if kind & 0x80:
                kind = (kind & 0x7F) | ((stream[position] & 0x7F) << 7)
                position += 1
            size = 0
            for shift in (0, 7, 14, 21):
                byte = stream[position]
                position += 1
                size |= (byte & 0x7F) << shift
                if not byte & 0x80:
                    break
            if position + size > size_of_stream:
                raise IndexError(position + size)
            yield kind, start, position, position + size
            position += size
    except IndexError:
        raise ParseError("corrupt", "a worksheet of the .xlsb ends inside a record") from None


def _record_header(kind: int, size: int) -> bytes:
    """A BIFF12 record header: the type (< 128 here) and the size as a 7-bit varint."""
    header = bytearray([kind])
    while True:
        byte, size = size & 0x7F, size >> 7
        header.append(byte | (0x80 if size else 0))
        if not size:
            return bytes(header)


def _check_grid(cells: int) -> None:
    if cells > MAX_GRID_CELLS:
        raise ParseError("limits", f"the sheets span {cells} cells, more than {MAX_GRID_CELLS}")


def calamine_reads_xlsx(archive: zipfile.ZipFile) -> bool:
    """Whether calamine reads this .xlsx as openpyxl would, and safely.

    openpyxl is needed for a workbook with an old Vietnamese font (each cell's font decides how
    its text is converted), and for error cells (openpyxl reads "#DIV/0!", which the sender is
    then told about; calamine reads nothing). A sheet whose cells lack their reference, or that
    is too large to scan here, is streamed by openpyxl within the row limit.
    """
    try:
        names = archive.namelist()
        for name in names:
            if name.startswith("xl/") and name.endswith("styles.xml"):
                fonts = _XLSX_FONT_NAME.findall(archive.read(name))
                if any(legacy_font(font.decode("utf-8", errors="replace")) for font in fonts):
                    return False
        grids = 0
        for info in archive.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            if info.file_size > MAX_SCANNED_SHEET_BYTES:
                return False
            sheet = archive.read(info)
            placed = _XLSX_PLACED_CELL.findall(sheet)
            if len(placed) != len(_XLSX_CELL.findall(sheet)) or _XLSX_ERROR_CELL.search(sheet):
                return False
            if placed:
                rows = max(int(row) for _, row in placed)
                columns = max(_column_number(letters) for letters, _ in placed)
                grids += rows * columns
                if grids > MAX_GRID_CELLS:
                    return False
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
        return False  # openpyxl meets the same damage and names it
    return True


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number
