"""The blank Word template issued to units, in the Nghị định 30/2020 administrative layout."""

from __future__ import annotations

import io

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from parsers import template_text as text
from parsers.schema import Schema

_FONT = "Times New Roman"
# STT, Mã số, Chỉ tiêu, Số liệu, Ghi chú: 16.5 cm, the text width of A4 with 3 cm / 1.5 cm margins.
_COLUMN_WIDTHS = (Cm(1.2), Cm(1.6), Cm(8.5), Cm(2.7), Cm(2.5))
_HALF = Cm(8.25)


def write_docx_template(
    schema: Schema,
    unit_type: str | None = None,
    *,
    report_title: str = "",
    unit_name: str = "",
) -> bytes:
    """A .docx report form for one unit type: administrative header, indicator table, signature.

    The document's keywords carry the template code of the schema's programme (``template_marker``).
    """
    document = docx.Document()
    document.core_properties.keywords = text.template_marker(schema.programme)
    _set_page(document)
    _write_header(document, schema, unit_name)
    for number, line in enumerate(text.title_lines(schema, report_title)):
        _paragraph(
            document, line, bold=number < 2, size=14 if number == 0 else 13, align=WD_ALIGN_PARAGRAPH.CENTER
        )
    _paragraph(document, f"{text.UNIT_LABEL} {unit_name or text.BLANK}")
    _paragraph(document, f"{text.PERIOD_LABEL} {text.BLANK}")
    _write_fields(document, schema, unit_type)
    _write_signature(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_page(document: docx.document.Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name = _FONT
    style.font.size = Pt(13)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), _FONT)


def _paragraph(
    container,
    line: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: int = 13,
    align: WD_ALIGN_PARAGRAPH | None = None,
    first: bool = False,
) -> Paragraph:
    """Add one line of text; ``first`` reuses a table cell's initial empty paragraph."""
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    run = paragraph.add_run(line)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


def _fill(cell: _Cell, lines: list[tuple[str, dict]]) -> None:
    for number, (line, style) in enumerate(lines):
        _paragraph(cell, line, first=number == 0, align=WD_ALIGN_PARAGRAPH.CENTER, **style)


def _borderless(document: docx.document.Document, rows: int) -> Table:
    table = document.add_table(rows=rows, cols=2)  # the default table style has no borders
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in table.rows:
        for cell in row.cells:
            cell.width = _HALF
    return table


def _write_header(document: docx.document.Document, schema: Schema, unit_name: str) -> None:
    """Left: issuing body, unit, number; right: national name, motto, place and date."""
    table = _borderless(document, rows=2)
    unit_line = unit_name.upper() or f"{text.UNIT_PLACEHOLDER}: ……"
    _fill(
        table.cell(0, 0),
        [(text.issuer(schema).upper(), {"size": 12}), (unit_line, {"bold": True, "size": 12})],
    )
    _fill(table.cell(0, 1), [(text.NATION, {"bold": True, "size": 12}), (text.MOTTO, {"bold": True})])
    _fill(table.cell(1, 0), [(text.DOCUMENT_NUMBER, {})])
    _fill(table.cell(1, 1), [(text.place_date(schema), {"italic": True})])
    document.add_paragraph()


def _write_fields(document: docx.document.Document, schema: Schema, unit_type: str | None) -> None:
    """The indicator table: STT, Mã số, Chỉ tiêu, Số liệu, Ghi chú; one row per field."""
    fields = schema.for_unit_type(unit_type)
    table = document.add_table(rows=1 + len(fields), cols=len(_COLUMN_WIDTHS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    headings = (
        text.ORDER_HEADING,
        text.CODE_HEADING,
        text.LABEL_HEADING,
        text.VALUE_HEADING,
        text.NOTE_HEADING,
    )
    rows = [[(heading, {"bold": True}) for heading in headings]]
    rows += [
        [(str(number), {}), (spec.code, {}), (text.printed_label(spec), {}), ("", {}), ("", {})]
        for number, spec in enumerate(fields, start=1)
    ]
    for row, cells in zip(table.rows, rows):
        for column, (cell, (line, style)) in enumerate(zip(row.cells, cells)):
            cell.width = _COLUMN_WIDTHS[column]
            align = WD_ALIGN_PARAGRAPH.LEFT if column == 2 and style == {} else WD_ALIGN_PARAGRAPH.CENTER
            _paragraph(cell, line, first=True, align=align, **style)
    document.add_paragraph()


def _write_signature(document: docx.document.Document) -> None:
    """ "Nơi nhận" on the left, the head of the unit's signature on the right."""
    table = _borderless(document, rows=1)
    recipients = table.cell(0, 0)
    _paragraph(recipients, text.RECIPIENTS[0], bold=True, italic=True, size=12, first=True)
    for line in text.RECIPIENTS[1:]:
        _paragraph(recipients, line, size=11)
    _fill(table.cell(0, 1), [(text.SIGNER, {"bold": True}), (text.SIGNATURE_NOTE, {"italic": True})])
