"""Word reports as people really send them: the administrative layout, prose and odd tables."""

from __future__ import annotations

import io
import struct
import zlib

import docx
import pytest

from parsers.docx_reader import read_docx
from parsers.report import ParseError


def save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def values(report) -> dict[str, object]:
    return {key: found.value for key, found in report.values.items()}


def administrative_header(document, left: list[str]) -> None:
    """A Nghị định 30 header table: issuer and unit left, national name right."""
    header = document.add_table(rows=1, cols=2)
    header.cell(0, 0).text = "\n".join(left)
    header.cell(
        0, 1
    ).text = (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nĐức Hòa, ngày 20 tháng 5 năm 2026"
    )


def test_school_report_with_prose_and_an_edited_table(schema):
    """GIVEN a school's own Word report: header block, title, prose lines "- Label: value" and a
    table with no code column, an extra column, merged cells and labels without diacritics
    WHEN parsed THEN table and prose values are read, the header block gives the unit."""
    document = docx.Document()
    administrative_header(document, ["SỞ GD&ĐT LONG AN", "TRƯỜNG THPT ĐỨC HÒA", "Số: 45/BC-THPTĐH"])
    document.add_paragraph("BÁO CÁO")
    document.add_paragraph("Kết quả thực hiện công tác phòng, chống mại dâm 6 tháng đầu năm 2026")
    document.add_paragraph("I. Kết quả thực hiện")
    document.add_paragraph(
        "1. Đơn vị đã ban hành kế hoạch thực hiện Chương trình phòng, chống mại dâm: Đã ban hành (KH số 12/KH-THPT)"
    )
    document.add_paragraph("- Số học sinh, sinh viên được tuyên truyền: 1.180 em")
    document.add_paragraph("Công tác tuyên truyền được thực hiện thường xuyên, đa dạng.")
    table = document.add_table(rows=5, cols=4)
    rows = [
        ["TT", "Nội dung", "Kết quả", "Ghi chú"],
        ["1", "Tong so hoc sinh, sinh vien cua don vi", "1 250", "toàn trường"],
        ["2", "So buoi tuyen truyen", "", ""],
        ["3", "Số lượt CB-GV-NV được tuyên truyền", "86 lượt", ""],
        ["4", "Khó khăn, vướng mắc", "Không có", ""],
    ]
    for row, texts in zip(table.rows, rows):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    merged = table.cell(2, 2).merge(table.cell(2, 3))  # value spread over two cells
    merged.text = "04"
    document.add_paragraph("- Số buổi (hoạt động) tuyên truyền, giáo dục đã tổ chức: 9")  # the table wins

    report = read_docx(save(document), schema)

    assert values(report) == {
        "ke_hoach": True,
        "so_hssv_duoc_tt": 1180,
        "tong_so_hssv": 1250,
        "so_buoi_tt": 4,
        "so_cbgv_duoc_tt": 86,
        "kho_khan": "Không có",
    }
    assert report.values["tong_so_hssv"].source == "bảng 2, dòng 2"
    assert report.values["so_hssv_duoc_tt"].source == "đoạn 5"
    assert any("so_buoi_tt" in warning for warning in report.warnings)
    assert report.unit_hint == "TRƯỜNG THPT ĐỨC HÒA"
    assert report.period_hint == "Kết quả thực hiện công tác phòng, chống mại dâm 6 tháng đầu năm 2026"


def test_indicator_table_nested_in_a_layout_table(schema):
    document = docx.Document()
    document.add_paragraph("Tên đơn vị: ……Phòng GD&ĐT Bến Lức……")
    document.add_paragraph("Kỳ báo cáo: cả năm 2026")
    outer = document.add_table(rows=1, cols=1)
    inner = outer.cell(0, 0).add_table(rows=3, cols=3)
    for row, texts in zip(
        inner.rows,
        [
            ["Mã số", "Chỉ tiêu", "Số liệu"],
            ["14", "Tổng số trường", "32"],
            ["15", "Số trường có tuyên truyền", "30"],
        ],
    ):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    report = read_docx(save(document), schema)
    assert values(report) == {"so_truong_truc_thuoc": 32, "so_truong_co_tt": 30}
    assert report.values["so_truong_co_tt"].source == "bảng 2, dòng 3"
    assert report.unit_hint == "Phòng GD&ĐT Bến Lức"
    assert report.period_hint == "cả năm 2026"


def test_vertically_merged_value_is_not_repeated(schema):
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "Số vụ việc vi phạm liên quan đến mại dâm được phát hiện"
    table.cell(1, 0).text = "Số vụ việc vi phạm đã được xử lý"
    table.cell(2, 0).text = "Số tập thể, cá nhân được biểu dương, khen thưởng"
    table.cell(0, 1).merge(table.cell(1, 1)).text = "0"
    table.cell(2, 1).text = "3"
    report = read_docx(save(document), schema)
    assert values(report) == {"so_vu_vi_pham": 0, "so_khen_thuong": 3}


def test_header_placeholder_is_no_unit(schema):
    document = docx.Document()
    administrative_header(document, ["SỞ GIÁO DỤC VÀ ĐÀO TẠO", "TÊN ĐƠN VỊ: ……", "Số: …/BC-…"])
    report = read_docx(save(document), schema)
    assert report.unit_hint is None
    assert report.period_hint is None  # the place-date line names a day, not a period
    assert report.values == {}


def one_pixel_png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def test_word_file_holding_only_a_scan_is_scanned(schema):
    document = docx.Document()
    document.add_picture(io.BytesIO(one_pixel_png()))
    with pytest.raises(ParseError) as caught:
        read_docx(save(document), schema)
    assert caught.value.reason == "scanned"


def test_paragraph_limit_cuts_reading_short(schema):
    from parsers.limits import ParseLimits

    document = docx.Document()
    for _ in range(20):
        document.add_paragraph("Nội dung khác.")
    document.add_paragraph("Số buổi tuyên truyền: 5")
    report = read_docx(save(document), schema, ParseLimits(max_paragraphs=10))
    assert report.values == {}
    assert any("10 đoạn" in warning for warning in report.warnings)
