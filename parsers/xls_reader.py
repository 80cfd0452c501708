"""Old Excel reports (.xls, Excel 97-2003) read with xlrd, within the same limits as .xlsx.

Formatting is read too, for the font records: text in ".VnTime" or "VNI-Times" is converted.
"""

from __future__ import annotations

from collections.abc import Iterator

import xlrd

from parsers.hints import HintFinder
from parsers.legacy_fonts import LegacyFont, decode, legacy_font
from parsers.limits import ParseLimits
from parsers.report import ParsedReport, ParseError
from parsers.schema import Schema
from parsers.tables import Cell, GridReader, assemble, is_instructions_sheet, sheet_rows
from parsers.values import CellValue

def read_xls(
    data: bytes, schema: Schema, limits: ParseLimits | None = None, *, filename: str = ""
) -> ParsedReport:
    """Read an .xls report: indicator rows on any visible sheet, the unit and period hints."""
    limits = limits or ParseLimits()
    book = _open(data, filename)
    reader = GridReader(schema.fields, HintFinder())
    try:
        cells_left = limits.max_cells
        fonts = _cell_fonts(book)
        grids = []
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if sheet.visibility or is_instructions_sheet(sheet.name):
                continue
            rows = list(_rows(sheet, book.datemode, fonts, limits, reader.warnings))
            cells_left -= sum(1 for row in rows for cell in row if cell.text)
            if cells_left < 0:
                reader.warnings.append(f"{sheet.name}: quá nhiều ô, dừng đọc")
                break
            grids.append(reader.read(rows))
            book.unload_sheet(index)
    except Exception as exc:
        raise ParseError("corrupt", f"not a readable .xls workbook ({type(exc).__name__}: {exc})") from None
    finally:
        book.release_resources()
    return assemble(filename, grids, [], reader)


def _open(data: bytes, filename: str) -> xlrd.Book:
    """The workbook with its formatting (for the fonts), else without it, else ParseError."""
    try:
        return xlrd.open_workbook(file_contents=data, on_demand=True, formatting_info=True)
    except Exception as exc:  # xlrd raises struct, index and assertion errors on junk
        if "encrypt" in str(exc).lower():
            raise ParseError("encrypted", f"{filename} is password-protected") from None
    try:
        # Formatting records some writers get wrong must not cost the figures.
        return xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception as exc:
        raise ParseError("corrupt", f"not a readable .xls workbook ({type(exc).__name__}: {exc})") from None


def _cell_fonts(book: xlrd.Book) -> list[LegacyFont | None]:
    """For each cell format (XF record), the legacy encoding its font draws, if any."""
    fonts = [legacy_font(font.name) for font in book.font_list]
    return [fonts[xf.font_index] if xf.font_index < len(fonts) else None for xf in book.xf_list]


def _rows(
    sheet: xlrd.sheet.Sheet, datemode: int, fonts: list[LegacyFont | None], limits: ParseLimits,
    warnings: list[str],
) -> Iterator[list[Cell]]:
    """The sheet's non-empty rows as cells, cut at the row and column limits."""
    if sheet.nrows > limits.max_rows:
        warnings.append(f"{sheet.name}: chỉ đọc {limits.max_rows} dòng đầu")
    if sheet.ncols > limits.max_columns:
        warnings.append(f"{sheet.name}: chỉ đọc {limits.max_columns} cột đầu")
    rows = (sheet.row(row_index)[: limits.max_columns] for row_index in range(min(sheet.nrows, limits.max_rows)))
    yield from sheet_rows(sheet.name, ([_value(cell, datemode, fonts) for cell in row] for row in rows),
                          limits.max_columns)


def _value(cell: xlrd.sheet.Cell, datemode: int, fonts: list[LegacyFont | None]) -> CellValue:
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_TEXT:
        font = fonts[cell.xf_index] if cell.xf_index is not None and cell.xf_index < len(fonts) else None
        return decode(cell.value, font)
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return cell.value
    return None  # empty, blank, error
