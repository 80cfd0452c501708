"""Large sheets are read only as far as the limits allow; the report above them still counts."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl

from parsers.limits import ParseLimits
from parsers.registry import parse_attachment


def workbook_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Báo cáo")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_rows():
    yield ["Mã số", "Chỉ tiêu", "Số liệu"]
    yield ["03", "Số hình thức tuyên truyền về phòng, chống mại dâm đã tổ chức", 4]
    yield ["04", "Số buổi (hoạt động) tuyên truyền, giáo dục đã tổ chức", 11]


def with_extra_rows(data: bytes, rows: int, last_row: str) -> bytes:
    """The workbook with ``rows`` numeric rows and then ``last_row`` appended to its sheet XML
    (written directly: openpyxl takes seconds to write 200,000 rows)."""
    sheet_path = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {item.filename: source.read(item.filename) for item in source.infolist()}
    xml = parts[sheet_path].decode()
    first = xml.count("<row ") + 1
    extra = "".join(
        f'<row r="{r}"><c r="B{r}"><v>{r}</v></c><c r="C{r}"><v>{r}</v></c></row>'
        for r in range(first, first + rows)
    )
    end = first + rows
    extra += f'<row r="{end}">{last_row.replace("ROW", str(end))}</row>'
    xml = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="A1:C{end}"', xml)
    parts[sheet_path] = xml.replace("</sheetData>", extra + "</sheetData>").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, payload in parts.items():
            target.writestr(name, payload)
    return buffer.getvalue()


def test_report_above_200000_rows_is_read_and_the_rest_skipped(schema):
    """GIVEN a report table followed by 200,000 rows of data WHEN parsed THEN the table's values
    come back, the rows past the cap are not read (a late row is not seen) and a warning says so."""
    late_row = (
        '<c r="A_ROW" t="inlineStr"><is><t>09</t></is></c>'
        '<c r="B_ROW" t="inlineStr"><is><t>Số cán bộ tham dự tập huấn</t></is></c><c r="C_ROW"><v>7</v></c>'
    ).replace("_", "")
    data = with_extra_rows(workbook_bytes(report_rows()), 200_000, late_row)

    [report] = parse_attachment("bao-cao.xlsx", data, schema)

    assert {key: found.value for key, found in report.values.items()} == {
        "so_hinh_thuc_tt": 4,
        "so_buoi_tt": 11,
    }
    assert any("5000 dòng" in warning for warning in report.warnings)
    # The same late row within reach is read: it is the cap, not the row, that hides it.
    [near] = parse_attachment(
        "bao-cao.xlsx", with_extra_rows(workbook_bytes(report_rows()), 100, late_row), schema
    )
    assert near.values["so_cb_tap_huan"].value == 7


def test_row_cap_is_configurable(schema):
    data = workbook_bytes([*report_rows(), *([[""]] * 20), ["09", "Số cán bộ tham dự tập huấn", 7]])
    [short] = parse_attachment("bao-cao.xlsx", data, schema, ParseLimits(max_rows=10))
    [full] = parse_attachment("bao-cao.xlsx", data, schema)
    assert "so_cb_tap_huan" not in short.values
    assert full.values["so_cb_tap_huan"].value == 7


def test_cell_budget_stops_reading(schema):
    wide = [[f"ô {row}-{col}" for col in range(50)] for row in range(30)]
    data = workbook_bytes([*wide, *report_rows()])
    [report] = parse_attachment("bao-cao.xlsx", data, schema, ParseLimits(max_cells=1000))
    assert report.values == {}
    assert any("quá nhiều ô" in warning for warning in report.warnings)


def test_columns_past_the_cap_are_not_read(schema):
    data = workbook_bytes([["Số buổi tuyên truyền", *([None] * 70), 5], ["Số hình thức tuyên truyền", 2]])
    [report] = parse_attachment("bao-cao.xlsx", data, schema)
    assert {key: found.value for key, found in report.values.items()} == {"so_hinh_thuc_tt": 2}
