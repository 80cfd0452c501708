"""Generate the OpenDocument, RTF and XLSB reports of tests/parsers/office_files/.

Run `uv run python -m tests.parsers.office_files.make_office_files` to rewrite the files and
expected.json. Each report starts from the robot's own template (or a school's own layout),
edited the way clerks edit: rows moved, labels retyped in the words school reports use, figures
typed as text. LibreOffice headless then saves it as .ods/.odt/.rtf (it needs the Calc and Writer
components: libreoffice-calc-nogui, libreoffice-writer-nogui).

LibreOffice cannot write .xlsb (its "Calc MS Excel 2007 Binary" filter imports only), so the .xlsb
files are LibreOffice's .ods saved again by SheetJS (the `xlsx` npm package, installed by npm in
a temp folder; it needs node and npm). SheetJS writes the "short" cell records that Excel never
writes, so these files also cover the reader's repair of them.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
import openpyxl
from docx.enum.text import WD_ALIGN_PARAGRAPH

from parsers.schema import Schema
from robot.config import load_config
from tests.filling import filled_docx, filled_xlsx
from tests.robotenv import SHIPPED_CONFIG

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected.json"
SHEETJS = "xlsx@0.18.5"

SCHOOL, SCHOOL_CODE = "Trường THPT Lê Quý Đôn", "THPT-LEQUYDON"
DISTRICT, DISTRICT_CODE = "Phòng GD&ĐT thành phố Tân An", "PGD-TANAN"
SCHOOL_FIGURES = {
    "ke_hoach": True, "ban_chi_dao": True, "so_hinh_thuc_tt": 5, "so_buoi_tt": 14,
    "so_hssv_duoc_tt": 1318, "tong_so_hssv": 1406, "so_cbgv_duoc_tt": 92, "long_ghep": True,
    "so_cb_tap_huan": 9, "so_cuoc_kiem_tra": 3, "so_vu_vi_pham": 0, "so_vu_xu_ly": 0,
    "so_khen_thuong": 2, "kho_khan": "Kinh phí tuyên truyền còn hạn chế",
    "kien_nghi": "Đề nghị Sở cấp thêm tài liệu tuyên truyền",
}
DISTRICT_FIGURES = SCHOOL_FIGURES | {
    "so_hssv_duoc_tt": 23_540, "tong_so_hssv": 25_112, "so_cbgv_duoc_tt": 1_874,
    "so_truong_truc_thuoc": 52, "so_truong_co_tt": 50,
}

# Labels as school reports word them when they retype the table (not the config's aliases).
RETYPED = {
    "ke_hoach": "Xây dựng kế hoạch phòng, chống tệ nạn mại dâm của nhà trường",
    "ban_chi_dao": "Kiện toàn Ban chỉ đạo phòng, chống tệ nạn xã hội (AIDS, ma túy, mại dâm)",
    "so_hinh_thuc_tt": "Số hình thức tuyên truyền đã thực hiện",
    "so_buoi_tt": "Số buổi tuyên truyền (dưới cờ, ngoại khóa, sinh hoạt lớp)",
    "so_hssv_duoc_tt": "Số lượt học sinh được tuyên truyền, giáo dục",
    "tong_so_hssv": "Tổng số học sinh toàn trường",
    "so_cbgv_duoc_tt": "Số lượt CB, GV, NV được tuyên truyền",
    "long_ghep": "Lồng ghép nội dung phòng, chống mại dâm với phòng, chống ma túy, mua bán người, HIV/AIDS",
    "so_cb_tap_huan": "Số CBQL, GV tham gia tập huấn, bồi dưỡng",
    "so_cuoc_kiem_tra": "Số lần kiểm tra, giám sát ANTT trường học",
    "so_vu_vi_pham": "Số vụ việc vi phạm liên quan tệ nạn mại dâm phát hiện trong trường",
    "so_vu_xu_ly": "Số vụ việc đã xử lý",
    "so_khen_thuong": "Số tập thể, cá nhân được khen thưởng",
    "so_truong_truc_thuoc": "Tổng số trường MN, TH, THCS trực thuộc",
    "so_truong_co_tt": "Số trường có tổ chức tuyên truyền phòng, chống mại dâm",
    "kho_khan": "Khó khăn, hạn chế",
    "kien_nghi": "Đề xuất, kiến nghị",
}


def typed(value: object) -> object:
    """A figure as a clerk types it in an edited file: "1.318", "14 buổi", "Đã xây dựng"."""
    if isinstance(value, bool):
        return "Đã thực hiện" if value else "Chưa"
    if isinstance(value, int) and value >= 1000:
        return f"{value:,}".replace(",", ".")
    return value


def moved(keys: list[str], seed: int) -> list[str]:
    order = list(keys)
    random.Random(seed).shuffle(order)
    return order


# ---------------------------------------------------------------- sources, edited as clerks do


def template_rows_moved(schema: Schema, unit_type: str, figures: dict, unit: str, period: str) -> bytes:
    """The robot's .xlsx template filled in, its indicator rows cut and pasted into another
    order (codes kept), the labels retyped and the figures typed as text."""
    workbook = openpyxl.load_workbook(io.BytesIO(filled_xlsx(schema, unit_type, {}, unit, period)))
    sheet = workbook.worksheets[0]
    codes = {spec.code: spec.key for spec in schema.fields}
    rows = [row for row in sheet.iter_rows(min_row=1) if row[0].value in codes]
    keys = [codes[row[0].value] for row in rows]
    for row, key in zip(rows, moved(keys, seed=11)):
        spec = next(s for s in schema.fields if s.key == key)
        row[0].value, row[1].value, row[2].value = spec.code, RETYPED[key], typed(figures[key])
        row[3].value = "Theo kế hoạch năm học 2025-2026" if key == "so_buoi_tt" else None
    return _saved_workbook(workbook)


def own_table_workbook(schema: Schema, figures: dict, unit: str, period: str) -> bytes:
    """A district office's own workbook: instructions sheet first, merged title, STT and ĐVT
    columns, no codes, retyped labels, and last year's sheet kept but hidden."""
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "Hướng dẫn"
    notes.append(["Cột Kết quả ghi số tổng hợp của các trường trực thuộc, ví dụ 1.250"])
    sheet = workbook.create_sheet("TH PCMD")
    sheet.append(["UBND THÀNH PHỐ TÂN AN", None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    sheet.append([unit.upper(), None, "Độc lập - Tự do - Hạnh phúc"])
    sheet.append([])
    sheet.append([f"BÁO CÁO TỔNG HỢP CÔNG TÁC PHÒNG, CHỐNG MẠI DÂM {period.upper()}"])
    sheet.merge_cells("A4:E4")
    sheet.append([])
    sheet.append(["STT", "Nội dung", "ĐVT", "Kết quả", "Ghi chú"])
    units = {"so_buoi_tt": "buổi", "so_hssv_duoc_tt": "lượt HS", "so_cbgv_duoc_tt": "lượt",
             "so_truong_truc_thuoc": "trường", "so_truong_co_tt": "trường"}
    for number, key in enumerate(moved([s.key for s in schema.for_unit_type("phong_gddt")], seed=5), start=1):
        sheet.append([number, RETYPED[key], units.get(key, ""), typed(figures[key]), None])
    last_year = workbook.create_sheet("Năm 2025")
    last_year.append(["STT", "Nội dung", "Kết quả"])
    last_year.append([1, RETYPED["so_truong_truc_thuoc"], 49])
    last_year.append([2, RETYPED["so_hssv_duoc_tt"], 21_907])
    last_year.sheet_state = "hidden"
    return _saved_workbook(workbook)


def nd30_prose(figures: dict, unit: str, period: str) -> bytes:
    """A Nghị định 30 Word report with the figures in "- Label: value" lines, retyped labels."""
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    header.cell(0, 0).text = f"SỞ GD&ĐT LONG AN\n{unit.upper()}\nSố: 41/BC-THPTLQĐ"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    document.add_paragraph("Long An, ngày 12 tháng 6 năm 2026").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("BÁO CÁO").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(f"Kết quả công tác phòng, chống tệ nạn mại dâm {period}").alignment = \
        WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("Thực hiện Công văn của Sở GD&ĐT về việc báo cáo công tác phòng, chống mại dâm, "
                           "nhà trường báo cáo như sau:")
    document.add_paragraph("I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO")
    document.add_paragraph("Nhà trường phổ biến kế hoạch đến toàn thể cán bộ, giáo viên ngay từ đầu năm học.")
    document.add_paragraph("II. KẾT QUẢ THỰC HIỆN")
    for key, value in figures.items():
        if key not in ("kho_khan", "kien_nghi"):
            shown = f"{typed(value)} buổi" if key == "so_buoi_tt" else typed(value)
            document.add_paragraph(f"- {RETYPED[key]}: {shown}")
    document.add_paragraph(f"III. {RETYPED['kho_khan'].upper()}: {figures['kho_khan']}")
    document.add_paragraph(f"IV. {RETYPED['kien_nghi'].upper()}: {figures['kien_nghi']}")
    document.add_paragraph("Nơi nhận:\n- Sở GD&ĐT (b/c);\n- Lưu: VT.")
    return _saved_document(document)


def nd30_table_rows_moved(figures: dict, unit: str, period: str) -> bytes:
    """A Nghị định 30 Word report with its own table: STT | Nội dung | Kết quả | Ghi chú."""
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    header.cell(0, 0).text = f"UBND THÀNH PHỐ TÂN AN\n{unit.upper()}\nSố: 215/BC-PGDĐT"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    document.add_paragraph("BÁO CÁO").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(f"Công tác phòng, chống mại dâm {period}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("Phòng GD&ĐT tổng hợp kết quả của các trường trực thuộc như sau:")
    keys = moved(list(figures), seed=23)
    table = document.add_table(rows=len(keys) + 1, cols=4)
    for column, heading in enumerate(["STT", "Nội dung", "Kết quả", "Ghi chú"]):
        table.cell(0, column).text = heading
    for number, key in enumerate(keys, start=1):
        table.cell(number, 0).text = str(number)
        table.cell(number, 1).text = RETYPED[key]
        table.cell(number, 2).text = str(typed(figures[key]))
    document.add_paragraph("Trên đây là báo cáo của Phòng GD&ĐT thành phố Tân An.")
    return _saved_document(document)


def _saved_workbook(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _saved_document(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- converters


def libreoffice(sources: dict[str, bytes], target: str) -> dict[str, bytes]:
    """Each source file (name -> bytes) saved by LibreOffice headless as ``target`` (ods, odt, rtf)."""
    binary = shutil.which("soffice")
    if binary is None:
        raise SystemExit("soffice (LibreOffice) is needed to make these files")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for name, data in sources.items():
            (work / name).write_bytes(data)
        subprocess.run([binary, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                        "--convert-to", target, "--outdir", str(work / "out"), *map(str, map(work.joinpath, sources))],
                       check=True, capture_output=True, timeout=300)
        return {name: (work / "out" / Path(name).with_suffix(f".{target}").name).read_bytes() for name in sources}


def sheetjs_xlsb(sources: dict[str, bytes], shared_strings: bool) -> dict[str, bytes]:
    """Each .ods saved as .xlsb by SheetJS (npm package installed in a temp folder)."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        raise SystemExit("node and npm are needed to make the .xlsb files")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", SHEETJS], cwd=work,
                       check=True, capture_output=True, timeout=300)
        for name, data in sources.items():
            (work / name).write_bytes(data)
        script = ("const X = require('xlsx'); for (const name of process.argv.slice(1)) {"
                  " X.writeFile(X.readFile(name), name.replace(/\\.ods$/, '.xlsb'),"
                  f" {{bookType: 'xlsb', bookSST: {str(shared_strings).lower()}}}); }}")
        subprocess.run(["node", "-e", script, *sources], cwd=work, check=True, capture_output=True, timeout=120)
        return {name: (work / Path(name).with_suffix(".xlsb")).read_bytes() for name in sources}


# ---------------------------------------------------------------- the set


def main() -> None:
    schema = load_config(SHIPPED_CONFIG).schema()
    school = {s.key: SCHOOL_FIGURES[s.key] for s in schema.for_unit_type("thpt")}
    district = {s.key: DISTRICT_FIGURES[s.key] for s in schema.for_unit_type("phong_gddt")}
    semi, annual = ["semiannual", 2026], [None, 2026]
    expected: dict[str, dict] = {}

    def add(name: str, data: bytes, figures: dict, unit: str, period: list) -> None:
        (HERE / name).write_bytes(data)
        expected[name] = {"values": figures, "unit": unit, "period": period}

    workbooks = {
        "ods-template-thpt.xlsx": filled_xlsx(schema, "thpt", school, SCHOOL, "6 tháng đầu năm 2026"),
        "ods-rows-moved-retyped.xlsx": template_rows_moved(schema, "thpt", school, SCHOOL, "Năm 2026"),
        "ods-own-table-pgd.xlsx": own_table_workbook(schema, district, DISTRICT, "6 tháng đầu năm 2026"),
        "xlsb-template-pgd.xlsx": filled_xlsx(schema, "phong_gddt", district, DISTRICT, "Năm 2026"),
    }
    sheets = libreoffice(workbooks, "ods")
    add("ods-template-thpt.ods", sheets["ods-template-thpt.xlsx"], school, SCHOOL_CODE, semi)
    add("ods-rows-moved-retyped.ods", sheets["ods-rows-moved-retyped.xlsx"], school, SCHOOL_CODE, annual)
    add("ods-own-table-pgd.ods", sheets["ods-own-table-pgd.xlsx"], district, DISTRICT_CODE, semi)
    shared = sheetjs_xlsb({"xlsb-template-pgd.ods": sheets["xlsb-template-pgd.xlsx"]}, shared_strings=True)
    add("xlsb-template-pgd.xlsb", shared["xlsb-template-pgd.ods"], district, DISTRICT_CODE, annual)
    inline = sheetjs_xlsb({"xlsb-rows-moved-retyped.ods": sheets["ods-rows-moved-retyped.xlsx"]},
                          shared_strings=False)
    add("xlsb-rows-moved-retyped.xlsb", inline["xlsb-rows-moved-retyped.ods"], school, SCHOOL_CODE, annual)

    documents = libreoffice({
        "odt-template-thpt.docx": filled_docx(schema, "thpt", school, SCHOOL, "6 tháng đầu năm 2026"),
        "odt-nd30-prose.docx": nd30_prose(school, SCHOOL, "năm 2026"),
    }, "odt")
    add("odt-template-thpt.odt", documents["odt-template-thpt.docx"], school, SCHOOL_CODE, semi)
    add("odt-nd30-prose.odt", documents["odt-nd30-prose.docx"], school, SCHOOL_CODE, annual)
    rich = libreoffice({
        "rtf-template-pgd.docx": filled_docx(schema, "phong_gddt", district, DISTRICT, "Năm 2026"),
        "rtf-table-rows-moved.docx": nd30_table_rows_moved(district, DISTRICT, "6 tháng đầu năm 2026"),
    }, "rtf")
    add("rtf-template-pgd.rtf", rich["rtf-template-pgd.docx"], district, DISTRICT_CODE, annual)
    add("rtf-table-rows-moved.rtf", rich["rtf-table-rows-moved.docx"], district, DISTRICT_CODE, semi)

    EXPECTED.write_text(json.dumps(expected, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(expected)} files in {HERE}")


if __name__ == "__main__":
    main()
