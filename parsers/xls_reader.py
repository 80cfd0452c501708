"""Old Excel reports (.xls, Excel 97-2003) read with xlrd, within the same limits as .xlsx."""

from __future__ import annotations

from collections.abc import Iterator

import xlrd
from openpyxl.utils import get_column_letter

from parsers.hints import HintFinder
from parsers.labels import normalize
from parsers.limits import ParseLimits
from parsers.report import ParsedReport, ParseError
from parsers.schema import Schema
from parsers.tables import Cell, GridReader, assemble
from parsers.values import CellValue

_INSTRUCTION_SHEETS = ("huong dan",)


def read_xls(
    data: bytes, schema: Schema, limits: ParseLimits | None = None, *, filename: str = ""
) -> ParsedReport:
    """Read an .xls report: indicator rows on any visible sheet, the unit and period hints."""
    limits = limits or ParseLimits()
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise ParseError("encrypted", f"{filename} is password-protected") from None
        raise ParseError("corrupt", f"not a readable .xls workbook ({exc})") from None
    except Exception as exc:  # xlrd raises struct, index and assertion errors on junk
        raise ParseError("corrupt", f"not a readable .xls workbook ({type(exc).__name__}: {exc})") from None
    reader = GridReader(schema.fields, HintFinder())
    try:
        cells_left = limits.max_cells
        grids = []
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if sheet.visibility or normalize(sheet.name).startswith(_INSTRUCTION_SHEETS):
                continue
            rows = list(_rows(sheet, book.datemode, limits, reader.warnings))
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


def _rows(sheet: xlrd.sheet.Sheet, datemode: int, limits: ParseLimits, warnings: list[str]) -> Iterator[list[Cell]]:
    """The sheet's non-empty rows as cells, cut at the row and column limits."""
    if sheet.nrows > limits.max_rows:
        warnings.append(f"{sheet.name}: chỉ đọc {limits.max_rows} dòng đầu")
    if sheet.ncols > limits.max_columns:
        warnings.append(f"{sheet.name}: chỉ đọc {limits.max_columns} cột đầu")
    for row_index in range(min(sheet.nrows, limits.max_rows)):
        values = [_value(cell, datemode) for cell in sheet.row(row_index)[: limits.max_columns]]
        filled = [col for col, value in enumerate(values) if value not in (None, "")]
        if not filled:
            continue
        yield [
            Cell.of(value, f"{sheet.name}!{get_column_letter(col + 1)}{row_index + 1}")
            for col, value in enumerate(values[: filled[-1] + 1])
        ]


def _value(cell: xlrd.sheet.Cell, datemode: int) -> CellValue:
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_TEXT):
        return cell.value
    return None  # empty, blank, error
