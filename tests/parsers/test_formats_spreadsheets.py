""".ods and .xlsb reading with calamine: which sheets are read, where each figure came from, the
row/column/cell limits, and small hostile files refused before calamine builds its grids."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from parsers.calamine_reader import read_ods, read_xlsb
from parsers.limits import ParseLimits
from parsers.registry import parse_attachment
from parsers.report import ParseError
from tests.parsers.office_files.reading import FILES

ODS = (FILES / "ods-template-thpt.ods").read_bytes()
OWN_TABLE_ODS = (FILES / "ods-own-table-pgd.ods").read_bytes()
XLSB = (FILES / "xlsb-rows-moved-retyped.xlsb").read_bytes()
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def ods_with_rows(rows_xml: str) -> bytes:
    """A minimal OpenDocument spreadsheet with one sheet of the given <table:table-row>s."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        f'xmlns:table="{TABLE}" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1">'
        f"{rows_xml}</table:table></office:spreadsheet></office:body></office:document-content>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                         'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                         '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                         '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                         'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    return buffer.getvalue()


TEXT_CELL = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'


def record(kind: int, payload: bytes) -> bytes:
    """One BIFF12 record of an .xlsb sheet stream (type < 128, size < 128)."""
    return bytes([kind, len(payload)]) + payload


def xlsb_with_sheet_tail(tail: bytes) -> bytes:
    """The .xlsb fixture with records appended to its first sheet's stream."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(XLSB)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            payload = source.read(item)
            target.writestr(item.filename, payload + tail if item.filename == "xl/worksheets/sheet1.bin" else payload)
    return buffer.getvalue()


def test_figures_keep_the_cell_they_came_from(schema):
    """GIVEN the robot's template saved by LibreOffice as .ods THEN each figure names its cell as
    the clerk sees it in Calc ("Báo cáo!C15")."""
    report = read_ods(ODS, schema)
    assert report.values["so_hssv_duoc_tt"].value == 1318
    assert report.values["so_hssv_duoc_tt"].source == "Báo cáo!C15"


def test_instructions_and_hidden_sheets_are_not_read_as_data(schema):
    """GIVEN a district's own workbook whose first sheet is "Hướng dẫn" (with an example figure)
    and whose last year's sheet is hidden THEN every figure comes from the data sheet."""
    report = read_ods(OWN_TABLE_ODS, schema)
    assert report.values and all(f.source.startswith("TH PCMD!") for f in report.values.values())
    assert not any("Năm 2025" in warning or "Hướng dẫn" in warning for warning in report.warnings)


def test_xlsb_short_cell_records_are_read(schema):
    """GIVEN an .xlsb whose rows are written with SheetJS's short cell records (every cell after
    the first of a row has no column of its own) THEN labels and figures right of column A are read."""
    report = read_xlsb(XLSB, schema)
    assert report.values["tong_so_hssv"].value == 1406
    assert report.values["tong_so_hssv"].source.startswith("Báo cáo!C")


@pytest.mark.parametrize(("data", "limits", "warning"), [
    (ODS, ParseLimits(max_rows=15), "chỉ đọc 15 dòng đầu"),
    (ODS, ParseLimits(max_columns=2), "chỉ đọc 2 cột đầu"),
    (XLSB, ParseLimits(max_rows=15), "chỉ đọc 15 dòng đầu"),
])
def test_rows_and_columns_past_the_limits_are_cut_with_a_warning(schema, data, limits, warning):
    [full] = parse_attachment("bao-cao", data, schema)
    [cut] = parse_attachment("bao-cao", data, schema, limits)
    assert len(cut.values) < len(full.values)
    assert any(warning in text for text in cut.warnings)


def test_more_cells_than_the_limit_stops_reading_with_a_warning(schema):
    [report] = parse_attachment("bao-cao.ods", ODS, schema, ParseLimits(max_cells=30))
    assert any("quá nhiều ô" in text for text in report.warnings)


@pytest.mark.parametrize("rows_xml", [
    # A filled cell repeated 1,000 times across, 100,000 times down: 100 million cells from 1 KB.
    '<table:table-row table:number-rows-repeated="100000"><table:table-cell office:value-type="string" '
    'table:number-columns-repeated="1000"><text:p>x</text:p></table:table-cell></table:table-row>',
    # Two cells a million rows and a thousand columns apart: one dense grid of a billion cells.
    f'<table:table-row>{TEXT_CELL}</table:table-row><table:table-row table:number-rows-repeated="1000000">'
    f'<table:table-cell/></table:table-row><table:table-row><table:table-cell '
    f'table:number-columns-repeated="1000"/>{TEXT_CELL}</table:table-row>',
])
def test_small_ods_that_expands_past_the_limits_is_refused(schema, rows_xml):
    data = ods_with_rows(rows_xml)
    assert len(data) < 2000
    with pytest.raises(ParseError) as caught:
        parse_attachment("bao-cao.ods", data, schema)
    assert caught.value.reason == "limits"


def test_empty_rows_repeated_as_libreoffice_writes_them_are_fine(schema):
    """GIVEN a sheet ending with a million formatted empty rows (LibreOffice's way) THEN read."""
    data = ods_with_rows(
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Số buổi tuyên truyền</text:p>'
        '</table:table-cell><table:table-cell office:value-type="float" office:value="14"><text:p>14</text:p>'
        '</table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048574">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
    [report] = parse_attachment("bao-cao.ods", data, schema)
    assert report.values["so_buoi_tt"].value == 14


def test_xlsb_cells_far_apart_are_refused(schema):
    """GIVEN an .xlsb sheet with one more cell at row 1,000,000, column 1,000 THEN 'limits'."""
    far_row = record(0x00, struct.pack("<i", 1_000_000) + bytes(13))
    far_cell = record(0x02, struct.pack("<iiI", 1000, 0, 0x2))  # BrtCellRk: column, style, value
    with pytest.raises(ParseError) as caught:
        parse_attachment("bao-cao.xlsb", xlsb_with_sheet_tail(far_row + far_cell), schema)
    assert caught.value.reason == "limits"


def test_xlsb_sheet_cut_inside_a_record_is_corrupt(schema):
    with pytest.raises(ParseError) as caught:
        parse_attachment("bao-cao.xlsb", xlsb_with_sheet_tail(bytes([0x02, 0x40, 0x01])), schema)
    assert caught.value.reason == "corrupt"
