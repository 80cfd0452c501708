"""OpenDocument spreadsheets (.ods), Excel binary workbooks (.xlsb) and most .xlsx, read with
python-calamine.

One Rust reader serves these formats without a LibreOffice round trip; the cells then go
through the same grid reading as the other spreadsheets, within the same row, column and cell
limits. An .xlsx it reads as openpyxl would (calamine_guard.calamine_reads_xlsx) is read here at
a fifth of openpyxl's cost.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

from python_calamine import (
    CalamineError,
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from parsers.calamine_guard import check_ods, repair_xlsb
from parsers.hints import HintFinder
from parsers.limits import ParseLimits, open_zip
from parsers.report import ParsedReport, ParseError
from parsers.schema import Schema
from parsers.tables import Cell, GridReader, assemble, is_instructions_sheet, sheet_rows
from parsers.template_text import marker_in
from parsers.values import CellValue

def read_ods(
    data: bytes, schema: Schema, limits: ParseLimits | None = None, *, filename: str = ""
) -> ParsedReport:
    """Read an OpenDocument spreadsheet report (LibreOffice Calc, WPS, Google Sheets export)."""
    limits = limits or ParseLimits()
    with open_zip(data, limits) as archive:
        check_ods(archive)
    return read_workbook(data, schema, limits, filename)


def read_xlsb(
    data: bytes, schema: Schema, limits: ParseLimits | None = None, *, filename: str = ""
) -> ParsedReport:
    """Read an Excel binary workbook report (.xlsb, Excel 2007 and later)."""
    limits = limits or ParseLimits()
    with open_zip(data, limits) as archive:
        data = repair_xlsb(archive, data)
    return read_workbook(data, schema, limits, filename)


def read_workbook(data: bytes, schema: Schema, limits: ParseLimits, filename: str,
                  keywords: str | None = None) -> ParsedReport:
    """Every visible worksheet but an instructions sheet, read as a grid; ``keywords``: the
    document's, where an .xlsx made from the robot's template carries its code."""
    reader = GridReader(schema.fields, HintFinder())
    reader.hints.template_code = marker_in(keywords)
    grids = []
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as workbook:
            cells_left = limits.max_cells
            for index, sheet_info in enumerate(workbook.sheets_metadata):
                if (sheet_info.visible != SheetVisibleEnum.Visible or sheet_info.typ != SheetTypeEnum.WorkSheet
                        or is_instructions_sheet(sheet_info.name)):
                    continue
                rows = list(_rows(workbook.get_sheet_by_index(index), limits, reader.warnings))
                cells_left -= sum(1 for row in rows for cell in row if cell.text)
                if cells_left < 0:
                    reader.warnings.append(f"{sheet_info.name}: quá nhiều ô, dừng đọc")
                    break
                grids.append(reader.read(rows))
    except PasswordError:
        raise ParseError("encrypted", f"{filename} is password-protected") from None
    except CalamineError as exc:
        raise ParseError("corrupt", f"not a readable workbook ({type(exc).__name__}: {exc})") from None
    return assemble(filename, grids, [], reader)


def _rows(sheet: CalamineSheet, limits: ParseLimits, warnings: list[str]) -> Iterator[list[Cell]]:
    """The sheet's non-empty rows as cells, cut at the row and column limits."""
    last_row, last_column = sheet.end or (0, 0)
    if last_row >= limits.max_rows:
        warnings.append(f"{sheet.name}: chỉ đọc {limits.max_rows} dòng đầu")
    if last_column >= limits.max_columns:
        warnings.append(f"{sheet.name}: chỉ đọc {limits.max_columns} cột đầu")
    # From A1, not from the first filled cell, so that every source names the cell Excel shows.
    rows = sheet.to_python(skip_empty_area=False, nrows=limits.max_rows)
    yield from sheet_rows(sheet.name, ([_value(value) for value in values[: limits.max_columns]]
                                       for values in rows), limits.max_columns)


def _value(value: object) -> CellValue:
    """A calamine value as the shared cell types; a duration (rare in a report) as its text.

    Numbers come as floats and dates as dates: a whole number is given as an int and a date as
    midnight of its day, as openpyxl reads them, so every spreadsheet format reads alike.
    """
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        return int(value)
    if isinstance(value, dt.timedelta):
        return str(value)
    if type(value) is dt.date:
        return dt.datetime.combine(value, dt.time())
    return value  # type: ignore[return-value]  # str, int, float, bool, datetime, time
