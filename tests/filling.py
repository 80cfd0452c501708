"""Fill the robot's own blank templates the way a school clerk does: type into the value cells."""

from __future__ import annotations

import io

import docx
import openpyxl

from parsers.schema import Schema
from parsers.template_docx import write_docx_template
from parsers.template_xlsx import write_xlsx_template


def as_written(value: object) -> object:
    """How a person types a value into the form: yes/no as the Vietnamese words."""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return value


def fill_xlsx(data: bytes, schema: Schema, values: dict[str, object], unit: str = "",
              period: str = "") -> bytes:
    """The xlsx template ``data`` with the header lines and ``values`` ({key: value}) typed in."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["Báo cáo"]
    codes = {spec.code: spec.key for spec in schema.fields}
    for row in sheet.iter_rows():
        first = row[0].value
        if first == "Tên đơn vị:" and unit:
            row[1].value = unit
        elif first == "Kỳ báo cáo:" and period:
            row[1].value = period
        elif first in codes and codes[first] in values:
            row[2].value = as_written(values[codes[first]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def fill_docx(data: bytes, schema: Schema, values: dict[str, object], unit: str = "",
              period: str = "") -> bytes:
    """The docx template ``data`` with the header lines and ``values`` typed into its table."""
    document = docx.Document(io.BytesIO(data))
    for paragraph in document.paragraphs:
        if paragraph.text.startswith("Tên đơn vị:") and unit:
            paragraph.text = f"Tên đơn vị: {unit}"
        elif paragraph.text.startswith("Kỳ báo cáo:") and period:
            paragraph.text = f"Kỳ báo cáo: {period}"
    codes = {spec.code: spec.key for spec in schema.fields}
    indicator_table = document.tables[1]
    for row in indicator_table.rows[1:]:
        key = codes[row.cells[1].text]
        if key in values:
            row.cells[3].text = str(as_written(values[key]))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def filled_xlsx(schema: Schema, unit_type: str, values: dict, unit_name: str = "",
                period: str = "") -> bytes:
    """The blank xlsx template for ``unit_type``, filled in."""
    return fill_xlsx(write_xlsx_template(schema, unit_type), schema, values, unit_name, period)


def filled_docx(schema: Schema, unit_type: str, values: dict, unit_name: str = "",
                period: str = "") -> bytes:
    """The blank docx template for ``unit_type``, filled in."""
    return fill_docx(write_docx_template(schema, unit_type), schema, values, unit_name, period)
