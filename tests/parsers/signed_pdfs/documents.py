"""Word reports and the PDFs LibreOffice prints from them, made once per test session.

Two kinds of report a school turns into a PDF before signing it: the robot's own .docx
template filled in, and the school's own Word report in the Nghị định 30 layout (header block,
prose, then a ruled "Table Grid" table of its own with section rows, an ĐVT column, retyped
labels and figures typed as clerks type them, and the difficulties written as prose below).
LibreOffice headless prints them (one run for all, a few seconds).
"""

from __future__ import annotations

import functools
import io

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH

from parsers.office_convert import converter
from parsers.schema import Schema
from robot.config import load_config
from tests.filling import filled_docx
from tests.parsers.office_files.make_office_files import RETYPED, libreoffice
from tests.robotenv import SHIPPED_CONFIG

SCHOOL = "Trường THPT Lê Quý Đôn"
PERIOD = "6 tháng đầu năm 2026"
FIGURES = {
    "ke_hoach": True, "ban_chi_dao": True, "so_hinh_thuc_tt": 4, "so_buoi_tt": 14,
    "so_hssv_duoc_tt": 1250, "tong_so_hssv": 1406, "so_cbgv_duoc_tt": 92, "long_ghep": True,
    "so_cb_tap_huan": 9, "so_cuoc_kiem_tra": 3, "so_vu_vi_pham": 0, "so_vu_xu_ly": 0,
    "so_khen_thuong": 2, "kho_khan": "Kinh phí tuyên truyền còn hạn chế",
    "kien_nghi": "Đề nghị Sở cấp thêm tài liệu tuyên truyền",
}
# The school's own table: sections of its own, the indicators under them, an ĐVT per row.
_SECTIONS = {
    "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO": ["ke_hoach", "ban_chi_dao", "long_ghep"],
    "II. CÔNG TÁC TUYÊN TRUYỀN, GIÁO DỤC": ["so_hinh_thuc_tt", "so_buoi_tt", "so_hssv_duoc_tt",
                                           "tong_so_hssv", "so_cbgv_duoc_tt", "so_cb_tap_huan"],
    "III. KIỂM TRA, XỬ LÝ VI PHẠM, KHEN THƯỞNG": ["so_cuoc_kiem_tra", "so_vu_vi_pham", "so_vu_xu_ly",
                                                 "so_khen_thuong"],
}
# RETYPED's "Xây dựng kế hoạch …" is not recognised yet; this school words it as many do.
_LABELS = RETYPED | {"ke_hoach": "Ban hành kế hoạch thực hiện công tác phòng, chống mại dâm năm học 2025-2026"}
_UNITS = {"so_hinh_thuc_tt": "hình thức", "so_buoi_tt": "buổi", "so_hssv_duoc_tt": "lượt HS",
          "tong_so_hssv": "HS", "so_cbgv_duoc_tt": "lượt", "so_cb_tap_huan": "người", "so_cuoc_kiem_tra": "cuộc",
          "so_vu_vi_pham": "vụ", "so_vu_xu_ly": "vụ", "so_khen_thuong": "tập thể, cá nhân"}


@functools.cache
def schema() -> Schema:
    return load_config(SHIPPED_CONFIG).schema()


def _typed(value: object) -> str:
    """A figure as the clerk typed it into the school's own table."""
    if isinstance(value, bool):
        return "Đã thực hiện" if value else "Chưa thực hiện"
    if isinstance(value, int) and value >= 1000:
        return f"{value:,}".replace(",", ".")
    return str(value)


def school_report_docx(figures: dict = FIGURES) -> bytes:
    """The school's own Nghị định 30 Word report with a ruled table of its own."""
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    header.cell(0, 0).text = f"SỞ GD&ĐT LONG AN\n{SCHOOL.upper()}\nSố: 58/BC-THPTLQĐ"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    document.add_paragraph("Tân An, ngày 20 tháng 5 năm 2026").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("BÁO CÁO").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(f"Kết quả thực hiện công tác phòng, chống tệ nạn mại dâm {PERIOD}").alignment = \
        WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("Thực hiện Kế hoạch số 2175/KH-SGDĐT của Sở GD&ĐT Long An về thực hiện Chương trình "
                           "phòng, chống mại dâm giai đoạn 2021-2025, Trường THPT Lê Quý Đôn báo cáo kết quả "
                           "như sau:")
    document.add_paragraph("Nhà trường quán triệt kế hoạch đến toàn thể cán bộ, giáo viên, nhân viên ngay từ đầu "
                           "năm học; phân công thành viên Ban Chỉ đạo phụ trách từng khối lớp.")
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, ["STT", "Nội dung", "ĐVT", "Kết quả", "Ghi chú"]):
        cell.text = heading
    for section, keys in _SECTIONS.items():
        heading = table.add_row().cells
        heading[0].merge(heading[4]).text = section
        for number, key in enumerate(keys, start=1):
            row = table.add_row().cells
            row[0].text, row[1].text = f"{number}.", _LABELS[key]
            row[2].text, row[3].text = _UNITS.get(key, ""), _typed(figures[key])
            if key == "so_buoi_tt":
                row[4].text = "Dưới cờ, sinh hoạt lớp, ngoại khóa"
    document.add_paragraph(f"- {RETYPED['kho_khan']}: {figures['kho_khan']}.")
    document.add_paragraph(f"- {RETYPED['kien_nghi']}: {figures['kien_nghi']}.")
    document.add_paragraph("Trên đây là báo cáo kết quả thực hiện công tác phòng, chống tệ nạn mại dâm của "
                           "Trường THPT Lê Quý Đôn.")
    document.add_paragraph("Nơi nhận:\n- Sở GD&ĐT (b/c);\n- Lưu: VT.")
    document.add_paragraph("HIỆU TRƯỞNG\n\n\nNguyễn Thị Thu Hà").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def template_docx() -> bytes:
    """The robot's own .docx template, filled in by the school."""
    return filled_docx(schema(), "thpt", FIGURES, SCHOOL, PERIOD)


SOURCES = {"template-thpt.docx": template_docx, "school-report.docx": school_report_docx}


@functools.cache
def word_files() -> dict[str, bytes]:
    """Each Word report by name."""
    return {name: make() for name, make in SOURCES.items()}


@functools.cache
def printed_pdfs() -> dict[str, bytes]:
    """Each Word report printed to PDF by LibreOffice, by the Word file's name."""
    if converter() is None:
        raise RuntimeError("LibreOffice (soffice) is needed to print the reports to PDF")
    return libreoffice(word_files(), "pdf")
