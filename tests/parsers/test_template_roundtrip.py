"""The templates the robot issues are read back exactly by the parsers, for every unit type."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from default_indicators import UNIT_TYPES

from parsers.registry import parse_attachment
from parsers.schema import Schema
from parsers.template_docx import write_docx_template
from parsers.template_xlsx import write_xlsx_template
from tests.filling import as_written, fill_docx, fill_xlsx

TITLE = "Kết quả thực hiện 6 tháng đầu năm 2026"


WRITERS = {"xlsx": (write_xlsx_template, fill_xlsx), "docx": (write_docx_template, fill_docx)}


@pytest.mark.parametrize("kind", WRITERS)
@pytest.mark.parametrize("unit_type", list(UNIT_TYPES))
def test_filled_template_reads_back_exactly(schema, values_for, kind, unit_type):
    """GIVEN the template for a unit type, filled in WHEN parsed THEN every value comes back."""
    write, fill = WRITERS[kind]
    expected = values_for(unit_type)
    blank = write(schema, unit_type, report_title=TITLE)
    filled = fill(blank, schema, expected, "Trường THPT Tân An", "6 tháng đầu năm 2026")

    [report] = parse_attachment(f"bao-cao.{kind}", filled, schema)

    assert {key: found.value for key, found in report.values.items()} == expected
    assert all(found.error is None for found in report.values.values())
    assert report.warnings == []
    assert report.unit_hint == "Trường THPT Tân An"
    assert report.period_hint == "6 tháng đầu năm 2026"


@pytest.mark.parametrize("kind", WRITERS)
def test_blank_template_has_no_values_but_the_title_period(schema, kind):
    write, _ = WRITERS[kind]
    [report] = parse_attachment(f"mau.{kind}", write(schema, "thpt", report_title=TITLE), schema)
    assert report.values == {}
    assert not report.is_report
    assert report.unit_hint is None
    assert report.period_hint == TITLE


@pytest.mark.parametrize("kind", WRITERS)
def test_unit_name_given_to_the_template_is_read_as_the_unit_hint(schema, kind):
    write, _ = WRITERS[kind]
    data = write(schema, "phong_gddt", unit_name="Phòng GD&ĐT huyện Đức Hòa")
    [report] = parse_attachment(f"mau.{kind}", data, schema)
    assert report.unit_hint == "Phòng GD&ĐT huyện Đức Hòa"
    assert report.period_hint is None


def test_xlsx_template_layout(schema):
    """The Excel form: data sheet first, Vietnamese headings, yes/no list, instructions sheet."""
    workbook = openpyxl.load_workbook(io.BytesIO(write_xlsx_template(schema, "thpt", report_title=TITLE)))
    assert workbook.sheetnames == ["Báo cáo", "Hướng dẫn"]
    sheet = workbook["Báo cáo"]
    cells = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells and "Độc lập - Tự do - Hạnh phúc" in cells
    header = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "Mã số")
    assert header == ("Mã số", "Chỉ tiêu", "Số liệu", "Ghi chú")
    codes = [row[0] for row in sheet.iter_rows(values_only=True) if row[0] and row[0].isdigit()]
    assert codes == [spec.code for spec in schema.for_unit_type("thpt")]
    assert "14" not in codes
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert lists[0].formula1 == '"Có,Không"'
    assert len(str(lists[0].sqref).split()) == 3  # the three yes/no fields
    assert sheet.column_dimensions["B"].width == 70
    assert "HƯỚNG DẪN" in workbook["Hướng dẫn"]["A1"].value


def test_docx_template_layout(schema):
    """The Word form: Nghị định 30 header, title, indicator table with the five columns."""
    document = docx.Document(io.BytesIO(write_docx_template(schema, "phong_gddt", report_title=TITLE)))
    header, indicators, signature = document.tables
    assert header.cell(0, 0).text.splitlines() == ["SỞ GIÁO DỤC VÀ ĐÀO TẠO", "TÊN ĐƠN VỊ: ……"]
    assert header.cell(0, 1).text.splitlines() == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert header.cell(1, 0).text == "Số: …/BC-…"
    assert header.cell(1, 1).text == "Long An, ngày … tháng … năm 20…"
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[:3] == ["BÁO CÁO", TITLE, schema.subtitle]
    assert [c.text for c in indicators.rows[0].cells] == ["STT", "Mã số", "Chỉ tiêu", "Số liệu", "Ghi chú"]
    assert len(indicators.rows) == 1 + 17
    assert indicators.rows[1].cells[2].text.endswith("(Có/Không)")
    assert "THỦ TRƯỞNG ĐƠN VỊ" in signature.cell(0, 1).text
    assert signature.cell(0, 0).text.startswith("Nơi nhận:")
