"""The paper a scan is made of: Word reports as offices write them, printed to PDF by LibreOffice
and rasterised by poppler as a scanner would (`soffice --headless --convert-to pdf`, `pdftoppm`).

Two documents: the robot's own Word template filled in by a school, and a Nghị định 30/2020
report a Phòng GD&ĐT types itself (its own headings and wording, "1.250"-style figures, "Đã ban
hành", a unit column) — the labels are the office's, not the config's aliases.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
import numpy as np
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from PIL import Image

from parsers.schema import Schema
from tests.filling import filled_docx

SCHOOL = "Trường THPT Lê Quý Đôn"
SCHOOL_VALUES = {
    "ke_hoach": True, "ban_chi_dao": True, "so_hinh_thuc_tt": 4, "so_buoi_tt": 12,
    "so_hssv_duoc_tt": 1250, "tong_so_hssv": 1432, "so_cbgv_duoc_tt": 86, "long_ghep": True,
    "so_cb_tap_huan": 7, "so_cuoc_kiem_tra": 2, "so_vu_vi_pham": 0, "so_vu_xu_ly": 0,
    "so_khen_thuong": 3,
}
DISTRICT = "Phòng GD&ĐT huyện Bến Lức"
DISTRICT_VALUES = {
    "ke_hoach": True, "ban_chi_dao": True, "so_hinh_thuc_tt": 6, "so_buoi_tt": 148,
    "so_hssv_duoc_tt": 21870, "tong_so_hssv": 24115, "so_cbgv_duoc_tt": 1536, "long_ghep": True,
    "so_cb_tap_huan": 95, "so_cuoc_kiem_tra": 17, "so_vu_vi_pham": 0, "so_vu_xu_ly": 0,
    "so_khen_thuong": 9, "so_truong_truc_thuoc": 48, "so_truong_co_tt": 45,
}
# How a Phòng GD&ĐT words its own table (section II of its report), and how it writes each
# figure: dotted thousands, "05"-style padding, a verb for yes/no.
DISTRICT_ROWS = (
    ("ke_hoach", "Ban hành kế hoạch thực hiện công tác phòng, chống mại dâm năm học 2025 - 2026",
     "", "Đã ban hành"),
    ("ban_chi_dao", "Củng cố, kiện toàn Ban Chỉ đạo phòng, chống tệ nạn xã hội", "", "Có"),
    ("so_hinh_thuc_tt", "Số hình thức tuyên truyền đã thực hiện (pa nô, áp phích, sinh hoạt dưới cờ, "
     "ngoại khóa)", "hình thức", "06"),
    ("so_buoi_tt", "Số buổi tuyên truyền, ngoại khóa đã tổ chức", "buổi", "148"),
    ("so_hssv_duoc_tt", "Số lượt học sinh được tuyên truyền, giáo dục", "lượt HS", "21.870"),
    ("tong_so_hssv", "Tổng số học sinh toàn huyện", "HS", "24.115"),
    ("so_cbgv_duoc_tt", "Số lượt cán bộ, giáo viên, nhân viên được tuyên truyền", "lượt", "1.536"),
    ("long_ghep", "Lồng ghép với phòng, chống ma túy, mua bán người, HIV/AIDS", "", "Có"),
    ("so_cb_tap_huan", "Số cán bộ quản lý, giáo viên dự tập huấn, bồi dưỡng nghiệp vụ", "người", "95"),
    ("so_cuoc_kiem_tra", "Số cuộc kiểm tra công tác bảo đảm an ninh, trật tự trường học", "cuộc", "17"),
    ("so_vu_vi_pham", "Số vụ việc vi phạm liên quan đến mại dâm phát hiện trong kỳ", "vụ", "0"),
    ("so_vu_xu_ly", "Số vụ việc vi phạm đã xử lý", "vụ", "0"),
    ("so_khen_thuong", "Số tập thể, cá nhân được biểu dương, khen thưởng", "", "09"),
    ("so_truong_truc_thuoc", "Tổng số trường học trực thuộc Phòng", "trường", "48"),
    ("so_truong_co_tt", "Số trường đã tổ chức ít nhất một hình thức tuyên truyền", "trường", "45"),
)
_FONT = "Times New Roman"


def school_template(schema: Schema) -> bytes:
    """The robot's Word template as a THPT school fills it in (the demo's and the tests' filling)."""
    data = filled_docx(schema, "thpt", SCHOOL_VALUES, SCHOOL, "6 tháng đầu năm 2026")
    document = docx.Document(io.BytesIO(data))
    for table in document.tables:
        _grid_as_cells(table)
    return _saved(document)


def district_report() -> bytes:
    """A Phòng GD&ĐT's own report in the Nghị định 30/2020 layout, with its indicator table."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(15)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = _FONT, Pt(13)
    normal.paragraph_format.space_after = Pt(2)
    header = document.add_table(rows=1, cols=2)
    _lines(header.cell(0, 0), [("UBND HUYỆN BẾN LỨC", False), ("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", True),
                               ("Số: 214/BC-PGDĐT", False)])
    _lines(header.cell(0, 1), [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
                               ("Độc lập - Tự do - Hạnh phúc", True),
                               ("Bến Lức, ngày 25 tháng 5 năm 2026", False)])
    _widths(header, (Cm(7.5), Cm(9.0)))
    _centred(document, "BÁO CÁO", bold=True)
    _centred(document, "Kết quả thực hiện công tác phòng, chống mại dâm", bold=True)
    _centred(document, "6 tháng đầu năm 2026", bold=True)
    document.add_paragraph("Thực hiện Kế hoạch của Sở Giáo dục và Đào tạo về thực hiện Chương trình "
                           "phòng, chống mại dâm, Phòng GD&ĐT báo cáo kết quả như sau:")
    document.add_paragraph("I. CÔNG TÁC CHỈ ĐẠO").runs[0].bold = True
    document.add_paragraph("Phòng đã chỉ đạo các trường lồng ghép nội dung phòng, chống tệ nạn xã hội "
                           "vào hoạt động giáo dục ngoài giờ lên lớp.")
    document.add_paragraph("II. KẾT QUẢ CỤ THỂ").runs[0].bold = True
    table = document.add_table(rows=1 + len(DISTRICT_ROWS), cols=5)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    rows = [("TT", "Nội dung", "Đơn vị tính", "Kết quả", "Ghi chú")]
    rows += [(str(n), label, unit, figure, "") for n, (_, label, unit, figure) in enumerate(DISTRICT_ROWS, 1)]
    for row, texts in zip(table.rows, rows):
        for column, (cell, value) in enumerate(zip(row.cells, texts)):
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(value)
            run.bold = row is table.rows[0]
            run.font.size = Pt(12)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if column == 1 and row is not table.rows[0] \
                else WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.space_after = Pt(0)
    _widths(table, (Cm(1.0), Cm(8.6), Cm(2.3), Cm(2.4), Cm(2.2)))
    document.add_paragraph("III. PHƯƠNG HƯỚNG 6 THÁNG CUỐI NĂM").runs[0].bold = True
    document.add_paragraph("Tiếp tục chỉ đạo các trường thực hiện nghiêm kế hoạch đã ban hành.")
    signature = document.add_table(rows=1, cols=2)
    _lines(signature.cell(0, 0), [("Nơi nhận:", True), ("- Sở GD&ĐT (b/c);", False), ("- Lưu: VT.", False)])
    _lines(signature.cell(0, 1), [("TRƯỞNG PHÒNG", True), ("", False), ("", False), ("Nguyễn Văn Hùng", True)])
    return _saved(document)


def district_values() -> dict:
    return dict(DISTRICT_VALUES)


def to_pdf(docx_bytes: bytes, work: Path) -> bytes:
    """The document printed to PDF by LibreOffice, as an office PC prints it before scanning."""
    binary = shutil.which("soffice")
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is needed to print the scan corpus")
    with tempfile.TemporaryDirectory(dir=work) as folder:
        here = Path(folder)
        (here / "report.docx").write_bytes(docx_bytes)
        subprocess.run([binary, f"-env:UserInstallation={(work / 'lo-profile').as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(here), str(here / "report.docx")],
                       check=True, capture_output=True, timeout=180)
        return (here / "report.pdf").read_bytes()


def rasterise(pdf: bytes, dpi: int, work: Path) -> list[np.ndarray]:
    """Each page as an RGB picture at ``dpi``, as a flatbed scanner gives it (poppler's pdftoppm)."""
    binary = shutil.which("pdftoppm")
    if binary is None:
        raise RuntimeError("poppler-utils (pdftoppm) is needed to rasterise the scan corpus")
    with tempfile.TemporaryDirectory(dir=work) as folder:
        here = Path(folder)
        (here / "in.pdf").write_bytes(pdf)
        subprocess.run([binary, "-r", str(dpi), "-png", str(here / "in.pdf"), str(here / "page")],
                       check=True, capture_output=True, timeout=180)
        return [np.asarray(Image.open(path).convert("RGB")) for path in sorted(here.glob("page*.png"))]


def _grid_as_cells(table) -> None:
    """Copy each column's cell width into the table grid: Word lays a table out by its cells'
    widths, LibreOffice by the grid, which python-docx leaves at equal columns."""
    widths = [cell.width for cell in table.rows[0].cells]
    if all(widths):
        _widths(table, widths)


def _widths(table, widths) -> None:
    grid = table._tbl.tblGrid
    for column in list(grid):
        grid.remove(column)
    for width in widths:
        column = OxmlElement("w:gridCol")
        column.set(qn("w:w"), str(int(width.twips)))
        grid.append(column)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def _lines(cell, lines: list[tuple[str, bool]]) -> None:
    for number, (text, bold) in enumerate(lines):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
        run = paragraph.add_run(text)
        run.bold, run.font.size = bold, Pt(12)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)


def _centred(document, text: str, *, bold: bool) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)


def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
