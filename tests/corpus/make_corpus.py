"""Generate the report corpus: files as schools really send them, each with its expected values.

Run `uv run python -m tests.corpus.make_corpus` to rewrite tests/corpus/files/ and
tests/corpus/expected.json. The .doc files need LibreOffice (soffice) to be made; the PDFs need
the DejaVu font (fonts-dejavu-core). Each case is one function of the layout people use.
"""

from __future__ import annotations

import io
import json
import random
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import xlwt
from docx.enum.text import WD_ALIGN_PARAGRAPH
from fpdf import FPDF
from PIL import Image

from parsers.schema import Schema
from robot.config import load_config
from tests.filling import filled_docx, filled_xlsx
from tests.robotenv import SHIPPED_CONFIG

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
EXPECTED = HERE / "expected.json"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

SCHOOL = "Trường THPT Lê Quý Đôn"
SCHOOL_CODE = "THPT-LEQUYDON"
DISTRICT = "Phòng GD&ĐT thành phố Tân An"
DISTRICT_CODE = "PGD-TANAN"

BASE = {
    "ke_hoach": True, "ban_chi_dao": True, "so_hinh_thuc_tt": 4, "so_buoi_tt": 12,
    "so_hssv_duoc_tt": 1250, "tong_so_hssv": 1432, "so_cbgv_duoc_tt": 86, "long_ghep": True,
    "so_cb_tap_huan": 7, "so_cuoc_kiem_tra": 2, "so_vu_vi_pham": 0, "so_vu_xu_ly": 0,
    "so_khen_thuong": 3, "kho_khan": "Thiếu tài liệu tuyên truyền", "kien_nghi": "Tổ chức tập huấn",
}
DISTRICT_BASE = BASE | {"so_hssv_duoc_tt": 21_870, "tong_so_hssv": 24_115, "so_truong_truc_thuoc": 48,
                        "so_truong_co_tt": 45}

# Labels as people retype them: no diacritics, abbreviated, shortened.
PLAIN_LABELS = {
    "ke_hoach": "Don vi da ban hanh ke hoach thuc hien Chuong trinh phong, chong mai dam",
    "ban_chi_dao": "Da cung co, kien toan Ban Chi dao phong, chong AIDS, ma tuy, mai dam",
    "so_hinh_thuc_tt": "So hinh thuc tuyen truyen ve phong, chong mai dam",
    "so_buoi_tt": "So buoi tuyen truyen, giao duc da to chuc",
    "so_hssv_duoc_tt": "So hoc sinh, sinh vien duoc tuyen truyen",
    "tong_so_hssv": "Tong so hoc sinh, sinh vien cua don vi",
    "so_cbgv_duoc_tt": "So luot can bo, cong chuc, vien chuc, nhan vien duoc tuyen truyen",
    "long_ghep": "Co long ghep voi cac chuong trinh phong, chong ma tuy, mua ban nguoi, HIV/AIDS",
    "so_cb_tap_huan": "So can bo, cong chuc, vien chuc tham du tap huan, boi duong",
    "so_cuoc_kiem_tra": "So cuoc kiem tra, giam sat ve an ninh, trat tu truong hoc",
    "so_vu_vi_pham": "So vu viec vi pham lien quan den mai dam duoc phat hien",
    "so_vu_xu_ly": "So vu viec vi pham da duoc xu ly",
    "so_khen_thuong": "So tap the, ca nhan duoc bieu duong, khen thuong",
    "so_truong_truc_thuoc": "Tong so truong hoc truc thuoc",
    "so_truong_co_tt": "So truong da to chuc it nhat mot hinh thuc tuyen truyen",
    "kho_khan": "Kho khan, vuong mac",
    "kien_nghi": "De xuat, kien nghi",
}
SHORT_LABELS = {
    "ke_hoach": "Ban hành kế hoạch PCMD",
    "ban_chi_dao": "Kiện toàn BCĐ",
    "so_hinh_thuc_tt": "Số hình thức TT",
    "so_buoi_tt": "Số buổi TT",
    "so_hssv_duoc_tt": "Số HS, SV được tuyên truyền",
    "tong_so_hssv": "Tổng số HS, SV",
    "so_cbgv_duoc_tt": "Số lượt CB, GV, NV được tuyên truyền",
    "long_ghep": "Lồng ghép với các chương trình",
    "so_cb_tap_huan": "Số CB, CC, VC tham dự tập huấn",
    "so_cuoc_kiem_tra": "Số cuộc kiểm tra, giám sát",
    "so_vu_vi_pham": "Số vụ vi phạm được phát hiện",
    "so_vu_xu_ly": "Số vụ đã xử lý",
    "so_khen_thuong": "Số tập thể, cá nhân được khen thưởng",
    "so_truong_truc_thuoc": "Tổng số trường trực thuộc",
    "so_truong_co_tt": "Số trường đã tổ chức tuyên truyền",
    "kho_khan": "Khó khăn",
    "kien_nghi": "Kiến nghị",
}


class Corpus:
    """The files being written and what each should read as."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.expected: dict[str, dict] = {}
        self.labels = {spec.key: spec.label for spec in schema.fields}
        self.codes = {spec.key: spec.code for spec in schema.fields}

    def add(self, name: str, data: bytes, values: dict | None, *, unit: str | None = None,
            period: list | None = None, error: str | None = None, stretch: bool = False,
            needs: str | None = None) -> None:
        (FILES / name).write_bytes(data)
        self.expected[name] = {
            "values": _jsonable(values or {}), "unit": unit, "period": period, "error": error,
            "stretch": stretch, "needs": needs,
        }

    def keys(self, unit_type: str) -> list[str]:
        return [spec.key for spec in self.schema.for_unit_type(unit_type)]


def _jsonable(values: dict) -> dict:
    return {key: value for key, value in values.items()}


def written(value: object, style: str = "plain") -> object:
    """A value as a clerk types it, in one of several habits."""
    if isinstance(value, bool):
        return {"plain": "Có" if value else "Không", "x": "x" if value else "",
                "verb": "Đã ban hành" if value else "Chưa"}.get(style, "Có" if value else "Không")
    if isinstance(value, int):
        if style == "dots":
            return f"{value:,}".replace(",", ".")
        if style == "spaces":
            return f"{value:,}".replace(",", " ")
        if style == "padded":
            return f"{value:02d}"
        if style == "unit":
            return f"{value:02d} buổi" if value < 100 else f"{value:,} em".replace(",", ".")
        return value
    return value


# ---------------------------------------------------------------- xlsx


def sheet_rows(corpus: Corpus, values: dict, *, labels: dict | None = None, style: str = "plain",
               codes: bool = True, numbering: Callable[[int], str] | None = None,
               note: bool = False, order: list[str] | None = None) -> list[list]:
    """Header and indicator rows of a report table."""
    heading = (["Mã số"] if codes else ["STT"]) + ["Chỉ tiêu", "Số liệu"] + (["Ghi chú"] if note else [])
    rows = [heading]
    for number, key in enumerate(order or list(values), start=1):
        label = (labels or corpus.labels)[key]
        if numbering:
            label = f"{numbering(number)} {label}"
        first = corpus.codes[key] if codes else str(number)
        row = [first, label, written(values[key], style)]
        if note:
            row.append("Theo kế hoạch của trường" if number % 3 == 0 else None)
        rows.append(row)
    return rows


def workbook(sheets: list[tuple[str, list[list]]], merges: dict[str, list[str]] | None = None) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for merged in (merges or {}).get(title, []):
            sheet.merge_cells(merged)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def header_rows(unit: str, period: str) -> list[list]:
    return [["SỞ GD&ĐT LONG AN", None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
            [unit.upper(), None, "Độc lập - Tự do - Hạnh phúc"], [],
            [f"BÁO CÁO CÔNG TÁC PHÒNG, CHỐNG MẠI DÂM {period.upper()}"], [],
            ["Tên đơn vị:", unit], ["Kỳ báo cáo:", period], []]


def with_formulas(data: bytes, cells: dict[str, tuple[str, int]]) -> bytes:
    """The workbook with some cells turned into formulas that keep a cached value, as Excel saves."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {item.filename: source.read(item.filename) for item in source.infolist()}
    path = "xl/worksheets/sheet1.xml"
    xml = parts[path].decode()
    for ref, (formula, value) in cells.items():
        xml, count = re.subn(rf'<c r="{ref}"( s="\d+")?( t="n")?><v>[^<]*</v></c>',
                             rf'<c r="{ref}"\1><f>{formula}</f><v>{value}</v></c>', xml)
        assert count == 1, ref
    parts[path] = xml.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, payload in parts.items():
            target.writestr(name, payload)
    return buffer.getvalue()


def make_xlsx(corpus: Corpus) -> None:
    s, thpt, pgd = corpus.schema, corpus.keys("thpt"), corpus.keys("phong_gddt")
    school = {k: BASE[k] for k in thpt if k in BASE}
    district = {k: DISTRICT_BASE[k] for k in pgd}
    semi, annual = ["semiannual", 2026], [None, 2026]
    corpus.add("01-template-thpt.xlsx", filled_xlsx(s, "thpt", school, SCHOOL, "6 tháng đầu năm 2026"),
               school, unit=SCHOOL_CODE, period=semi)
    corpus.add("02-template-pgd.xlsx", filled_xlsx(s, "phong_gddt", district, DISTRICT, "Năm 2026"),
               district, unit=DISTRICT_CODE, period=annual)
    shuffled = list(school)
    random.Random(3).shuffle(shuffled)
    corpus.add("03-rows-moved-no-code.xlsx",
               workbook([("Sheet1", header_rows(SCHOOL, "6 tháng đầu năm 2026")
                          + sheet_rows(corpus, school, codes=False, order=shuffled))]),
               school, unit=SCHOOL_CODE, period=semi)
    rows = sheet_rows(corpus, school, note=True)
    spaced = [row for pair in zip(rows, [[]] * len(rows)) for row in pair]
    corpus.add("04-blank-rows-note-column.xlsx", workbook([("BC", header_rows(SCHOOL, "năm 2026") + spaced)]),
               school, unit=SCHOOL_CODE, period=annual)
    merged_rows = [["Mã số", "Chỉ tiêu", None, "Số liệu"]] + [
        [corpus.codes[k], corpus.labels[k], None, written(v)] for k, v in school.items()]
    merges = [f"B{r}:C{r}" for r in range(1, len(merged_rows) + 1)]
    corpus.add("05-merged-label-cells.xlsx", workbook([("Báo cáo", merged_rows)], {"Báo cáo": merges}),
               school)
    corpus.add("06-labels-without-diacritics.xlsx",
               workbook([("Sheet1", sheet_rows(corpus, school, labels=PLAIN_LABELS, codes=False))]), school)
    corpus.add("07-abbreviated-labels.xlsx",
               workbook([("Sheet1", sheet_rows(corpus, school, labels=SHORT_LABELS, codes=False))]), school)
    corpus.add("08-numbering-prefixes.xlsx",
               workbook([("Sheet1", sheet_rows(corpus, school, codes=False,
                                               numbering=lambda n: f"{n}."))]), school)
    corpus.add("09-letter-numbering.xlsx",
               workbook([("Sheet1", sheet_rows(corpus, school, codes=False,
                                               numbering=lambda n: f"{'abcdeghiklmnopqrs'[n - 1]})"))]),
               school)
    corpus.add("10-dash-numbering.xlsx",
               workbook([("Sheet1", sheet_rows(corpus, school, labels=SHORT_LABELS, codes=False,
                                               numbering=lambda n: "-"))]), school)
    for style in ("dots", "spaces", "padded", "unit"):
        corpus.add(f"11-values-{style}.xlsx",
                   workbook([("Sheet1", [[r[0], r[1], str(r[2]) if isinstance(r[2], int) else r[2]]
                                         for r in sheet_rows(corpus, school, style=style)])]), school)
    corpus.add("12-yes-no-x.xlsx", workbook([("Sheet1", sheet_rows(corpus, school, style="x"))]), school)
    no_plan = school | {"ke_hoach": False, "long_ghep": False}
    corpus.add("13-yes-no-verbs.xlsx", workbook([("Sheet1", sheet_rows(corpus, no_plan, style="verb"))]),
               no_plan)
    formula_rows = sheet_rows(corpus, school)
    data = workbook([("Sheet1", formula_rows)])
    row_of = {row[0]: index for index, row in enumerate(formula_rows, start=1)}
    data = with_formulas(data, {f"C{row_of['05']}": ("SUM(E2:E9)", 1250),
                                f"C{row_of['04']}": ("3+4+5", 12)})
    corpus.add("14-formulas-cached.xlsx", data, school)
    corpus.add("15-data-on-second-sheet.xlsx",
               workbook([("Hướng dẫn", [["Hướng dẫn điền báo cáo"], ["Số buổi tuyên truyền: ghi số buổi, ví dụ 5"],
                                       ["Số học sinh được tuyên truyền: 1.250"]]),
                         ("Số liệu", header_rows(SCHOOL, "6 tháng đầu năm 2026") + sheet_rows(corpus, school))]),
               school, unit=SCHOOL_CODE, period=semi)
    extra = [["STT", "Nội dung", "ĐVT", "Kết quả", "Ghi chú"]] + [
        [n, corpus.labels[k], "buổi" if k == "so_buoi_tt" else "", written(v, "dots"), ""]
        for n, (k, v) in enumerate(district.items(), start=1)]
    corpus.add("16-unit-column-pgd.xlsx", workbook([("Tổng hợp", header_rows(DISTRICT, "6 tháng đầu năm 2026") + extra)]),
               district, unit=DISTRICT_CODE, period=semi)
    corpus.add("17-macro-enabled.xlsm", filled_xlsx(s, "thpt", school, SCHOOL, "Năm 2026"),
               school, unit=SCHOOL_CODE, period=annual)
    partial = {k: v for k, v in school.items() if k not in ("so_cuoc_kiem_tra", "kien_nghi", "so_khen_thuong")}
    corpus.add("18-partly-filled.xlsx", filled_xlsx(s, "thpt", partial, SCHOOL), partial, unit=SCHOOL_CODE)


# ---------------------------------------------------------------- docx


def nd30_document(unit: str, title: str, number: str = "Số: 15/BC-THPT") -> docx.document.Document:
    """A Word document opened the Nghị định 30/2020 way: header table, place-date, title."""
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    header.cell(0, 0).text = f"SỞ GD&ĐT LONG AN\n{unit.upper()}\n{number}"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    document.add_paragraph("Long An, ngày 20 tháng 5 năm 2026").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("BÁO CÁO").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(title).alignment = WD_ALIGN_PARAGRAPH.CENTER
    return document


def prose_sections(document: docx.document.Document) -> None:
    document.add_paragraph("Thực hiện Kế hoạch của Sở GD&ĐT về thực hiện Chương trình phòng, chống mại dâm, "
                           "đơn vị báo cáo kết quả như sau:")
    document.add_paragraph("I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI")
    document.add_paragraph("Nhà trường đã xây dựng kế hoạch, phân công thành viên phụ trách; tổ chức tuyên "
                           "truyền dưới cờ, sinh hoạt lớp và ngoại khóa cho học sinh năm học 2025-2026.")
    document.add_paragraph("II. KẾT QUẢ THỰC HIỆN")


def indicator_table(document: docx.document.Document, rows: list[list], merge_first_column: bool = False) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = "" if value is None else str(value)
    if merge_first_column:
        table.cell(1, 0).merge(table.cell(3, 0))
        table.cell(1, 0).text = "I"


def save(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def prose_report(unit: str, title: str, values: dict, labels: dict, style: str = "plain") -> docx.document.Document:
    document = nd30_document(unit, title)
    prose_sections(document)
    for key, value in values.items():
        document.add_paragraph(f"- {labels[key]}: {written(value, style)}")
    document.add_paragraph("III. ĐỀ XUẤT, KIẾN NGHỊ: không.")
    document.add_paragraph("Nơi nhận:\n- Sở GD&ĐT (b/c);\n- Lưu: VT.")
    return document


def make_docx(corpus: Corpus) -> None:
    s, thpt, pgd = corpus.schema, corpus.keys("thpt"), corpus.keys("phong_gddt")
    school = {k: BASE[k] for k in thpt}
    district = {k: DISTRICT_BASE[k] for k in pgd}
    semi, annual = ["semiannual", 2026], [None, 2026]
    corpus.add("20-template-thpt.docx", filled_docx(s, "thpt", school, SCHOOL, "6 tháng đầu năm 2026"),
               school, unit=SCHOOL_CODE, period=semi)
    corpus.add("21-template-pgd.docx", filled_docx(s, "phong_gddt", district, DISTRICT, "Năm 2026"),
               district, unit=DISTRICT_CODE, period=annual)
    document = nd30_document(SCHOOL, "Kết quả thực hiện Chương trình phòng, chống mại dâm 6 tháng đầu năm 2026")
    prose_sections(document)
    indicator_table(document, sheet_rows(corpus, school, codes=False, note=True))
    document.add_paragraph("Trên đây là báo cáo của đơn vị.")
    corpus.add("22-nd30-table-after-prose.docx", save(document), school, unit=SCHOOL_CODE, period=semi)
    corpus.add("23-nd30-prose-figures.docx",
               save(prose_report(SCHOOL, "Công tác phòng, chống mại dâm năm 2026", school, SHORT_LABELS, "unit")),
               school, unit=SCHOOL_CODE, period=annual)
    corpus.add("24-prose-plain-labels.docx",
               save(prose_report(DISTRICT, "Kết quả 6 tháng đầu năm 2026", district, PLAIN_LABELS, "dots")),
               district, unit=DISTRICT_CODE, period=semi)
    document = nd30_document(SCHOOL, "Năm 2026")
    indicator_table(document, sheet_rows(corpus, school, labels=SHORT_LABELS, style="verb"), merge_first_column=False)
    corpus.add("25-short-labels-verbs.docx", save(document), school, unit=SCHOOL_CODE, period=annual)
    document = nd30_document(DISTRICT, "6 tháng đầu năm 2026", "Số: 102/BC-PGDĐT")
    prose_sections(document)
    indicator_table(document, [["STT", "Nội dung", "Số liệu", "Ghi chú"]] + [
        ["1" if n == 0 else None, corpus.labels[k], written(v, "spaces"), None]
        for n, (k, v) in enumerate(district.items())], merge_first_column=True)
    corpus.add("26-merged-cells-pgd.docx", save(document), district, unit=DISTRICT_CODE, period=semi)
    document = nd30_document(SCHOOL, "năm 2026")
    indicator_table(document, sheet_rows(corpus, school, codes=False, numbering=lambda n: f"{n}.", style="x"))
    corpus.add("27-numbered-x-marks.docx", save(document), school, unit=SCHOOL_CODE, period=annual)
    document = docx.Document()
    document.add_paragraph("Tên đơn vị: " + SCHOOL)
    document.add_paragraph("Kỳ báo cáo: 6 tháng đầu năm 2026")
    half = dict(list(school.items())[:8])
    indicator_table(document, sheet_rows(corpus, half))
    for key, value in list(school.items())[8:]:
        document.add_paragraph(f"{corpus.labels[key]}: {written(value, 'padded')}")
    corpus.add("28-table-then-lines.docx", save(document), school, unit=SCHOOL_CODE, period=semi)
    # Stretch: the figures laid out across, one column per indicator.
    document = docx.Document()
    keys = ["so_hinh_thuc_tt", "so_buoi_tt", "so_hssv_duoc_tt", "tong_so_hssv"]
    indicator_table(document, [[SHORT_LABELS[k] for k in keys], [str(school[k]) for k in keys]])
    corpus.add("29-stretch-transposed.docx", save(document), {k: school[k] for k in keys}, stretch=True)


# ---------------------------------------------------------------- xls, doc


def xls_bytes(rows: list[list], sheets_before: list[str] = ()) -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    for title in sheets_before:
        book.add_sheet(title).write(0, 0, "Hướng dẫn: ghi số nguyên vào cột Số liệu")
    sheet = book.add_sheet("Bao cao")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def make_old_office(corpus: Corpus) -> None:
    thpt, pgd = corpus.keys("thpt"), corpus.keys("phong_gddt")
    school = {k: BASE[k] for k in thpt}
    district = {k: DISTRICT_BASE[k] for k in pgd}
    corpus.add("30-old-excel.xls", xls_bytes(header_rows(SCHOOL, "6 tháng đầu năm 2026") + sheet_rows(corpus, school)),
               school, unit=SCHOOL_CODE, period=["semiannual", 2026])
    corpus.add("31-old-excel-text-values.xls",
               xls_bytes(sheet_rows(corpus, district, labels=SHORT_LABELS, style="dots", codes=False),
                         ["Hướng dẫn"]), district)
    corpus.add("32-old-excel-plain-labels.xls",
               xls_bytes(header_rows(DISTRICT, "năm 2026") + sheet_rows(corpus, district, labels=PLAIN_LABELS)),
               district, unit=DISTRICT_CODE, period=[None, 2026])
    binary = shutil.which("soffice")
    if binary is None:
        print("soffice not found: .doc cases not written")
        return
    for name, document, values, unit, period in (
        ("33-old-word.doc", prose_report(SCHOOL, "6 tháng đầu năm 2026", school, SHORT_LABELS), school,
         SCHOOL_CODE, ["semiannual", 2026]),
        ("34-old-word-template.doc", filled_docx(corpus.schema, "phong_gddt", district, DISTRICT, "Năm 2026"),
         district, DISTRICT_CODE, [None, 2026]),
    ):
        data = document if isinstance(document, bytes) else save(document)
        corpus.add(name, to_doc(binary, data), values, unit=unit, period=period, needs="soffice")


def to_doc(binary: str, data: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "r.docx").write_bytes(data)
        subprocess.run([binary, f"-env:UserInstallation={(work / 'p').as_uri()}", "--headless",
                        "--convert-to", "doc:MS Word 97", "--outdir", str(work), str(work / "r.docx")],
                       check=True, capture_output=True, timeout=120)
        return (work / "r.doc").read_bytes()


# ---------------------------------------------------------------- pdf, pictures, zip, mail body


def pdf_bytes(lines: list[list[str]], widths: tuple[int, ...] = (18, 130, 30)) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=8)
    for line in lines:
        if len(line) == 1:
            pdf.cell(0, 6, line[0], new_x="LMARGIN", new_y="NEXT")
            continue
        for width, text in zip(widths, line):
            pdf.cell(width, 6, text, border=1)
        pdf.ln()
    return bytes(pdf.output())


def scan_bytes(kind: str) -> bytes:
    picture = Image.new("L", (400, 560), 235)
    for y in range(60, 520, 24):
        picture.paste(40, (50, y, 350, y + 6))
    buffer = io.BytesIO()
    picture.save(buffer, format=kind)
    return buffer.getvalue()


def make_pdf_zip_body(corpus: Corpus) -> None:
    thpt = corpus.keys("thpt")
    school = {k: BASE[k] for k in thpt}
    table = [[corpus.codes[k], SHORT_LABELS[k], str(written(v, "dots"))] for k, v in school.items()]
    if FONT.exists():
        corpus.add("40-printed-table.pdf",
                   pdf_bytes([[f"Tên đơn vị: {SCHOOL}"], ["BÁO CÁO 6 THÁNG ĐẦU NĂM 2026"],
                              ["Mã số", "Chỉ tiêu", "Số liệu"], *table]),
                   school, unit=SCHOOL_CODE, period=["semiannual", 2026])
        corpus.add("41-printed-lines.pdf",
                   pdf_bytes([[f"{SCHOOL.upper()}"], ["Kỳ báo cáo: năm 2026"]]
                             + [[f"- {SHORT_LABELS[k]}: {written(v, 'unit')}"] for k, v in school.items()]),
                   school, period=[None, 2026])
    corpus.add("42-signed-scan.pdf", scan_bytes("PDF"), None, error="scanned")
    corpus.add("43-photo.jpg", scan_bytes("JPEG"), None, error="scanned")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Bao cao PCMD.docx", (FILES / "22-nd30-table-after-prose.docx").read_bytes())
        archive.writestr("scan ky ten.jpg", scan_bytes("JPEG"))
        archive.writestr("__MACOSX/._Bao cao PCMD.docx", b"\x00\x05\x16\x07")
    corpus.add("44-zipped-report.zip", buffer.getvalue(), school, unit=SCHOOL_CODE, period=["semiannual", 2026])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("Báo cáo năm 2026.xlsx".encode("utf-8").decode("cp437"))
        archive.writestr(info, (FILES / "04-blank-rows-note-column.xlsx").read_bytes())
    corpus.add("45-zip-windows-names.zip", buffer.getvalue(), school, unit=SCHOOL_CODE, period=[None, 2026])
    body = ["Kính gửi Phòng Giáo dục Trung học,", f"{SCHOOL} báo cáo 6 tháng đầu năm 2026 như sau:", ""]
    body += [f"{n}. {SHORT_LABELS[k]}: {written(v, 'padded')}" for n, (k, v) in enumerate(school.items(), 1)]
    body += ["", "Trân trọng."]
    # The unit is only in prose here: the sender's address names it.
    corpus.add("46-mail-body.txt", "\n".join(body).encode(), school, period=["semiannual", 2026])
    cells = "".join(f"<tr><td>{corpus.codes[k]}</td><td>{corpus.labels[k]}</td><td>{written(v, 'dots')}</td></tr>"
                    for k, v in school.items())
    html = (f"<html><body><p>Kính gửi Sở,</p><p>Tên đơn vị: {SCHOOL}</p><p>Kỳ báo cáo: năm 2026</p>"
            f"<table><tr><th>Mã số</th><th>Chỉ tiêu</th><th>Số liệu</th></tr>{cells}</table>"
            "<p>Trân trọng.</p></body></html>")
    corpus.add("47-mail-body.html", html.encode(), school, unit=SCHOOL_CODE, period=[None, 2026])


def main() -> None:
    config = load_config(SHIPPED_CONFIG)
    if FILES.exists():
        shutil.rmtree(FILES)
    FILES.mkdir(parents=True)
    corpus = Corpus(config.schema())
    make_xlsx(corpus)
    make_docx(corpus)
    make_old_office(corpus)
    make_pdf_zip_body(corpus)
    EXPECTED.write_text(json.dumps(corpus.expected, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                        encoding="utf-8")
    print(f"{len(corpus.expected)} files in {FILES}")


if __name__ == "__main__":
    main()
