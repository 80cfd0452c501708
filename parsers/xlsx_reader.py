"""Excel reports (.xlsx, .xlsm): every visible sheet read as a grid of cells, within limits.

Most workbooks are read by calamine (parsers.calamine_reader), five times faster; openpyxl reads
those calamine would read differently: text in a cell whose font is an old Vietnamese one
(".VnTime", "VNI-Times"), converted by that font; error cells ("#DIV/0!"); very large sheets,
streamed within the row limit.
"""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import openpyxl
from lxml import etree
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.reader import excel as openpyxl_excel
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.functions import iterparse

from parsers.calamine_guard import calamine_reads_xlsx
from parsers.calamine_reader import read_workbook
from parsers.core_properties import core_keywords
from parsers.hints import HintFinder
from parsers.legacy_fonts import decode, legacy_font
from parsers.limits import ParseLimits, open_zip
from parsers.report import ParsedReport, ParseError
from parsers.schema import Schema
from parsers.tables import Cell, GridReader, assemble, is_instructions_sheet
from parsers.template_text import marker_in
from parsers.values import CellValue


def read_xlsx(
    data: bytes, schema: Schema, limits: ParseLimits | None = None, *, filename: str = ""
) -> ParsedReport:
    """Read an Excel report: indicator rows on any sheet, the unit and period hints."""
    limits = limits or ParseLimits()
    with open_zip(data, limits) as archive:
        if calamine_reads_xlsx(archive):
            return read_workbook(data, schema, limits, filename, _keywords(archive))
    reader = GridReader(schema.fields, HintFinder())
    sheets, keywords = _sheets(data, limits, reader.warnings)
    reader.hints.template_code = marker_in(keywords)
    grids = [reader.read(rows) for rows in sheets]
    return assemble(filename, grids, [], reader)


def _keywords(archive: zipfile.ZipFile) -> str | None:
    """The workbook's keywords; a damaged core part only means no template code."""
    try:
        return core_keywords(archive)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
        return None


def _sheets(data: bytes, limits: ParseLimits, warnings: list[str]) -> tuple[list[list[list[Cell]]], str | None]:
    """The visible sheets' non-empty rows, cut at the row, column and cell limits; the keywords."""
    try:
        with _sized_from_sheet_head():
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises anything from KeyError to XML errors
        raise _load_error(exc) from None
    # Cells are looked at one by one (for their font) only in a workbook with a legacy font.
    cutter = _RowCutter(limits, warnings, limits.max_cells, _has_legacy_font(workbook))
    try:
        sheets = [
            list(cutter.rows(sheet))
            for sheet in workbook.worksheets
            if sheet.sheet_state == "visible" and not is_instructions_sheet(sheet.title)
        ]
        return sheets, workbook.properties.keywords
    except Exception as exc:  # rows are parsed lazily, so XML errors surface here too
        raise _load_error(exc) from None
    finally:
        workbook.close()


@dataclass
class _RowCutter:
    """Turns sheet rows into cells until a row, column or cell limit is reached."""

    limits: ParseLimits
    warnings: list[str]
    cells_left: int
    legacy_fonts: bool

    def rows(self, sheet: ReadOnlyWorksheet) -> Iterator[list[Cell]]:
        """The sheet's non-empty rows, each as far as its last filled cell."""
        limits = self.limits
        width = min(sheet.max_column or limits.max_columns, limits.max_columns)
        if (sheet.max_column or 0) > limits.max_columns:
            self.warnings.append(f"{sheet.title}: chỉ đọc {limits.max_columns} cột đầu")
        last_row = 0
        rows = sheet.iter_rows(max_row=limits.max_rows, max_col=width, values_only=not self.legacy_fonts)
        for row_number, values in enumerate(rows, start=1):
            last_row = row_number
            if self.legacy_fonts:
                values = tuple(_value(cell) for cell in values)
            filled = [(col, value) for col, value in enumerate(values, start=1) if value not in (None, "")]
            if not filled:
                continue
            self.cells_left -= len(filled)
            if self.cells_left < 0:
                self.warnings.append(f"{sheet.title}: quá nhiều ô, dừng đọc ở dòng {row_number}")
                return
            row = [Cell.of(None, "")] * filled[-1][0]
            for col, value in filled:
                row[col - 1] = Cell.of(value, f"{sheet.title}!{get_column_letter(col)}{row_number}")
            yield row
        if last_row >= limits.max_rows and (sheet.max_row or last_row + 1) > limits.max_rows:
            self.warnings.append(f"{sheet.title}: chỉ đọc {limits.max_rows} dòng đầu")


def _has_legacy_font(workbook: openpyxl.Workbook) -> bool:
    """Whether any font of the workbook's style sheet is a TCVN3 or VNI one."""
    return any(legacy_font(font.name) for font in workbook._fonts)  # no public list of fonts


def _value(cell: ReadOnlyCell) -> CellValue:
    """A cell's value, its text converted when the cell's font draws an old encoding."""
    if isinstance(cell.value, str):
        return decode(cell.value, legacy_font(cell.font.name))
    return cell.value


class _HeadSizedWorksheet(ReadOnlyWorksheet):
    """openpyxl's read-only sheet, looking for <dimension> only before <sheetData>.

    openpyxl looks for it until </sheetData>, so a sheet without one (many tools omit it) is
    parsed whole when the workbook loads: a million-row sheet would defeat the row cap.
    """

    def _get_size(self) -> None:
        with self._get_source() as source:
            for _event, element in iterparse(source, events=("start",)):
                if element.tag == DIMENSION_TAG:
                    boundaries = SheetDimension.from_tree(element).boundaries
                    if boundaries is not None:
                        self._min_column, self._min_row, self._max_column, self._max_row = boundaries
                    return
                if element.tag == DATA_TAG:
                    return


_SWAP_LOCK = threading.Lock()


@contextmanager
def _sized_from_sheet_head() -> Iterator[None]:
    """Have openpyxl build _HeadSizedWorksheet sheets while one workbook loads."""
    with _SWAP_LOCK:
        original = openpyxl_excel.ReadOnlyWorksheet
        openpyxl_excel.ReadOnlyWorksheet = _HeadSizedWorksheet
        try:
            yield
        finally:
            openpyxl_excel.ReadOnlyWorksheet = original


def _load_error(exc: Exception) -> ParseError:
    """The library's exception as a ParseError; openpyxl wraps the XML parser's in a ValueError."""
    cause: BaseException | None = exc
    while cause is not None:
        # defusedxml (used by openpyxl when installed) refuses DTDs and entity declarations.
        if type(cause).__module__.startswith("defusedxml"):
            return ParseError("limits", f"XML with entity declarations ({type(cause).__name__})")
        cause = cause.__cause__ or cause.__context__
    return ParseError("corrupt", f"not a readable Excel workbook ({type(exc).__name__}: {exc})")
