"""The blank Excel template issued to units: the schema's fields written out for filling in."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from parsers import template_text as text
from parsers.schema import Schema

SHEET_TITLE = "Báo cáo"
INSTRUCTIONS_SHEET_TITLE = "Hướng dẫn"
_FONT = "Times New Roman"
_WIDTHS = {"A": 10, "B": 70, "C": 18, "D": 30}
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def write_xlsx_template(
    schema: Schema,
    unit_type: str | None = None,
    *,
    report_title: str = "",
    unit_name: str = "",
) -> bytes:
    """An .xlsx report form for one unit type: header, one row per field, instructions sheet.

    The workbook's keywords carry the template code of the schema's programme (``template_marker``).
    """
    workbook = Workbook()
    workbook.properties.keywords = text.template_marker(schema.programme)
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    row = _write_header(sheet, schema, report_title, unit_name)
    row = _write_fields(sheet, schema, unit_type, row + 1)
    _write_signature(sheet, row + 2)
    for column, width in _WIDTHS.items():
        sheet.column_dimensions[column].width = width
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    _write_instructions(workbook.create_sheet(INSTRUCTIONS_SHEET_TITLE))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _put(
    sheet: Worksheet,
    ref: str,
    value: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: int = 12,
    merge_to: str | None = None,
    align: Alignment = _CENTER,
) -> None:
    cell = sheet[ref]
    cell.value = value
    cell.font = Font(name=_FONT, size=size, bold=bold, italic=italic)
    cell.alignment = align
    if merge_to:
        sheet.merge_cells(f"{ref}:{merge_to}")


def _write_header(sheet: Worksheet, schema: Schema, report_title: str, unit_name: str) -> int:
    """Nghị định 30 header, title and the "Tên đơn vị" / "Kỳ báo cáo" lines; returns the last row."""
    _put(sheet, "A1", text.issuer(schema).upper(), merge_to="B1")
    _put(sheet, "A2", unit_name.upper() or text.UNIT_PLACEHOLDER, bold=True, merge_to="B2")
    _put(sheet, "A3", text.DOCUMENT_NUMBER, merge_to="B3")
    _put(sheet, "C1", text.NATION, bold=True, merge_to="D1")
    _put(sheet, "C2", text.MOTTO, bold=True, merge_to="D2")
    _put(sheet, "C3", text.place_date(schema), italic=True, merge_to="D3")
    row = 4
    for number, line in enumerate(text.title_lines(schema, report_title)):
        row += 1
        _put(sheet, f"A{row}", line, bold=number < 2, size=14 if number == 0 else 12, merge_to=f"D{row}")
    for label, value in ((text.UNIT_LABEL, unit_name), (text.PERIOD_LABEL, "")):
        row += 1
        _put(sheet, f"A{row}", label, bold=True, align=Alignment(vertical="center"))
        _put(sheet, f"B{row}", value, merge_to=f"D{row}", align=_WRAP)
    return row


def _write_fields(sheet: Worksheet, schema: Schema, unit_type: str | None, row: int) -> int:
    """The header row and one row per applicable field; returns the last row."""
    row += 1
    headings = (text.CODE_HEADING, text.LABEL_HEADING, text.VALUE_HEADING, text.NOTE_HEADING)
    for column, heading in zip("ABCD", headings):
        _put(sheet, f"{column}{row}", heading, bold=True)
        sheet[f"{column}{row}"].border = _BOX
    yes_no = DataValidation(
        type="list",
        formula1=f'"{text.YES},{text.NO}"',
        allow_blank=True,
        errorTitle="Giá trị không hợp lệ",
        error=f"Chọn “{text.YES}” hoặc “{text.NO}”.",
    )
    count = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        errorStyle="warning",
        errorTitle="Cần ghi số",
        error="Ghi một số nguyên không âm, ví dụ 1250.",
    )
    for spec in schema.for_unit_type(unit_type):
        row += 1
        _put(sheet, f"A{row}", spec.code)
        _put(sheet, f"B{row}", text.printed_label(spec), align=_WRAP)
        for column in "ABCD":
            sheet[f"{column}{row}"].border = _BOX
        value = sheet[f"C{row}"]
        value.alignment = _WRAP if spec.type == "text" else _CENTER
        value.font = Font(name=_FONT, size=12)
        sheet[f"D{row}"].alignment = _WRAP
        if spec.type == "bool":
            yes_no.add(value)
        elif spec.type == "int":
            count.add(value)
            value.number_format = "#,##0"
    sheet.add_data_validation(yes_no)
    sheet.add_data_validation(count)
    return row


def _write_signature(sheet: Worksheet, row: int) -> None:
    _put(sheet, f"C{row}", text.SIGNER, bold=True, merge_to=f"D{row}")
    _put(sheet, f"C{row + 1}", text.SIGNATURE_NOTE, italic=True, merge_to=f"D{row + 1}")


def _write_instructions(sheet: Worksheet) -> None:
    _put(sheet, "A1", text.INSTRUCTIONS_TITLE, bold=True, size=13, align=Alignment())
    for row, line in enumerate(text.INSTRUCTIONS, start=3):
        _put(sheet, f"A{row}", line, align=Alignment(wrap_text=True))
    sheet.column_dimensions["A"].width = 100
