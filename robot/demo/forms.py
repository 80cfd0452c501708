"""Report files as school clerks produce them, made from the robot's own templates and indicator set.

The template as issued and filled in (.xlsx, .docx), the same saved as an old .xls, the template
after someone retyped it, and a Word report in the administrative layout with the figures in prose.
"""

from __future__ import annotations

import io

import docx
import openpyxl
import xlwt

from parsers import template_text as text
from parsers.schema import FieldSpec, Schema
from parsers.template_docx import write_docx_template
from parsers.template_xlsx import write_xlsx_template

Values = dict[str, object]


def as_written(value: object) -> object:
    """How a person types a value into the form: yes/no as the Vietnamese words."""
    if isinstance(value, bool):
        return text.YES if value else text.NO
    return value


def as_typed_loosely(spec: FieldSpec, value: object) -> str:
    """A value the way people type it in their own files: "1.250", "05 buổi", "x"."""
    if isinstance(value, bool):
        return "x" if value else "Chưa"
    if isinstance(value, int):
        if value >= 1000:
            return f"{value:,}".replace(",", ".")
        if spec.key.startswith("so_buoi"):
            return f"{value:02d} buổi"
        return str(value)
    return str(value)


def fill_xlsx(data: bytes, schema: Schema, values: Values, unit: str = "", period: str = "") -> bytes:
    """The .xlsx template ``data`` with the header lines and ``values`` ({key: value}) typed in."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    codes = {spec.code: spec.key for spec in schema.fields}
    for row in sheet.iter_rows():
        first = row[0].value
        if first == text.UNIT_LABEL and unit:
            row[1].value = unit
        elif first == text.PERIOD_LABEL and period:
            row[1].value = period
        elif first in codes and codes[first] in values:
            row[2].value = as_written(values[codes[first]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def fill_docx(data: bytes, schema: Schema, values: Values, unit: str = "", period: str = "") -> bytes:
    """The .docx template ``data`` with the header lines and ``values`` typed into its table."""
    document = docx.Document(io.BytesIO(data))
    for paragraph in document.paragraphs:
        if paragraph.text.startswith(text.UNIT_LABEL) and unit:
            paragraph.text = f"{text.UNIT_LABEL} {unit}"
        elif paragraph.text.startswith(text.PERIOD_LABEL) and period:
            paragraph.text = f"{text.PERIOD_LABEL} {period}"
    codes = {spec.code: spec.key for spec in schema.fields}
    indicator_table = document.tables[1]
    for row in indicator_table.rows[1:]:
        key = codes[row.cells[1].text]
        if key in values:
            row.cells[3].text = str(as_written(values[key]))
    return _saved(document)


def filled_xlsx(schema: Schema, unit_type: str, values: Values, unit_name: str = "", period: str = "") -> bytes:
    """The blank .xlsx template for ``unit_type``, filled in."""
    return fill_xlsx(write_xlsx_template(schema, unit_type), schema, values, unit_name, period)


def filled_docx(schema: Schema, unit_type: str, values: Values, unit_name: str = "", period: str = "") -> bytes:
    """The blank .docx template for ``unit_type``, filled in."""
    return fill_docx(write_docx_template(schema, unit_type), schema, values, unit_name, period)


def as_xls(xlsx: bytes) -> bytes:
    """An .xlsx report saved again as Excel 97-2003 (.xls), as old office PCs still do."""
    source = openpyxl.load_workbook(io.BytesIO(xlsx)).worksheets[0]
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(source.title)
    for row in source.iter_rows():
        for cell in row:
            if cell.value is not None:
                sheet.write(cell.row - 1, cell.column - 1, cell.value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def edited_xlsx(schema: Schema, unit_type: str, values: Values, unit_name: str, period: str) -> bytes:
    """The template as a clerk retyped it: own header, "1." numbering, short labels, a blank row,
    an extra column, and values written as text ("1.250", "05 buổi", "x")."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "BC"
    sheet.append([unit_name.upper()])
    sheet.append([f"BÁO CÁO KẾT QUẢ CÔNG TÁC PHÒNG, CHỐNG MẠI DÂM — {period.upper()}"])
    sheet.append([])
    sheet.append(["STT", "Nội dung", "Ghi chú", "Kết quả"])
    for number, spec in enumerate(schema.for_unit_type(unit_type), start=1):
        if spec.key not in values:
            continue
        label = spec.aliases[0] if spec.aliases else spec.label
        sheet.append([f"{number}.", label, "", as_typed_loosely(spec, values[spec.key])])
        if number == 4:
            sheet.append([])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def prose_docx(schema: Schema, unit_type: str, values: Values, unit_name: str, period: str,
               issuer: str) -> bytes:
    """A Word report in the Nghị định 30 layout, the figures written as "- Label: value" lines."""
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    header.cell(0, 0).text = f"{issuer}\n{unit_name.upper()}\nSố: 87/BC-{unit_name.split()[-1].upper()}"
    header.cell(0, 1).text = f"{text.NATION}\n{text.MOTTO}\n{schema.place or '…'}, ngày 18 tháng 11"
    document.add_paragraph(text.DOCUMENT_TYPE)
    document.add_paragraph(f"Kết quả thực hiện công tác phòng, chống mại dâm — {period}")
    document.add_paragraph("I. ĐẶC ĐIỂM TÌNH HÌNH")
    document.add_paragraph("Đơn vị triển khai kế hoạch ngay từ đầu năm học, phân công thành viên phụ trách.")
    document.add_paragraph("II. KẾT QUẢ THỰC HIỆN")
    for spec in schema.for_unit_type(unit_type):
        if spec.key in values:
            document.add_paragraph(f"- {spec.label}: {as_typed_loosely(spec, values[spec.key])}")
    document.add_paragraph("III. PHƯƠNG HƯỚNG THỜI GIAN TỚI")
    document.add_paragraph("Tiếp tục lồng ghép nội dung tuyên truyền vào các tiết sinh hoạt dưới cờ.")
    return _saved(document)


def _saved(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
