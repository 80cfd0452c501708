"""What a document says about itself, so the robot can tell this report from a document that is not:
its title as written, the robot's template code, how each value was found, and no figures from prose."""

from __future__ import annotations

import dataclasses

import io
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest

from parsers.docx_reader import read_docx
from parsers.registry import parse_attachment
from parsers.template_docx import write_docx_template
from parsers.template_text import template_marker
from parsers.template_xlsx import write_xlsx_template
from parsers.text_reader import numbered_lines, read_text
from parsers.xlsx_reader import read_xlsx
from tests.filling import fill_docx, fill_xlsx

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "files"
WRITERS = {"xlsx": (write_xlsx_template, fill_xlsx), "docx": (write_docx_template, fill_docx)}


def save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def nd30_document(left: list[str], lines: list[str]) -> bytes:
    """A Word document in the Nghị định 30 layout: header table, then the given paragraphs."""
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    header.cell(0, 0).text = "\n".join(left)
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nĐức Hòa, ngày 12 tháng 5 năm 2026"
    for line in lines:
        document.add_paragraph(line)
    return save(document)


SCHOOL = ["SỞ GD&ĐT LONG AN", "TRƯỜNG THPT ĐỨC HÒA"]


@pytest.mark.parametrize(
    ("left", "lines", "title"),
    [
        (   # another programme's report, with rows in common with ours
            [*SCHOOL, "Số: 45/BC-THPTĐH"],
            ["BÁO CÁO", "Kết quả thực hiện công tác phòng, chống ma túy", "năm học 2025-2026",
             "Kính gửi: Sở Giáo dục và Đào tạo Long An", "Thực hiện Kế hoạch số 12/KH-SGDĐT, trường báo cáo như sau:",
             "- Số buổi tuyên truyền: 6"],
            "BÁO CÁO Kết quả thực hiện công tác phòng, chống ma túy năm học 2025-2026",
        ),
        (   # an invitation
            [*SCHOOL, "Số: 17/GM-THPTĐH"],
            ["GIẤY MỜI", "Dự Hội nghị tổng kết năm học 2025-2026", "Trân trọng kính mời: Đại diện lãnh đạo Sở"],
            "GIẤY MỜI Dự Hội nghị tổng kết năm học 2025-2026",
        ),
        (   # type and summary on one line, then the first section
            [*SCHOOL, "Số: 30/KH-THPTĐH"],
            ["KẾ HOẠCH TỔ CHỨC HỘI THI AN TOÀN GIAO THÔNG NĂM 2026", "I. MỤC ĐÍCH, YÊU CẦU",
             "1. Nâng cao nhận thức của học sinh."],
            "KẾ HOẠCH TỔ CHỨC HỘI THI AN TOÀN GIAO THÔNG NĂM 2026",
        ),
        (   # an official letter: its subject line is its title
            [*SCHOOL, "Số: 112/THPTĐH", "V/v đăng ký tham gia Hội khỏe Phù Đổng"],
            ["Kính gửi: Sở Giáo dục và Đào tạo Long An", "Trường THPT Đức Hòa xin đăng ký danh sách vận động viên."],
            "V/v đăng ký tham gia Hội khỏe Phù Đổng",
        ),
        (   # a sentence that begins with "Báo cáo" is no title
            SCHOOL,
            ["Báo cáo này được gửi kèm theo công văn số 12.", "Trân trọng."],
            None,
        ),
    ],
    ids=["other-report", "invitation", "one-line-plan", "official-letter", "prose"],
)
def test_word_documents_give_their_title_as_written(schema, left, lines, title):
    report = read_docx(nd30_document(left, lines), schema)
    assert report.title == title


@pytest.mark.parametrize(
    ("rows", "title"),
    [
        ([["TRƯỜNG THPT CẦN GIUỘC"], ["DANH SÁCH HỌC SINH ĐẠT GIẢI HỌC SINH GIỎI CẤP TỈNH"], [],
          ["STT", "Họ và tên", "Lớp", "Giải"], [1, "Nguyễn Văn An", "12A1", "Nhì"]],
         "DANH SÁCH HỌC SINH ĐẠT GIẢI HỌC SINH GIỎI CẤP TỈNH"),
        ([["KẾT QUẢ KIỂM TRA SỨC KHỎE HỌC SINH NĂM HỌC 2025-2026"], ["STT", "Lớp", "Sĩ số", "Đạt"],
          [1, "10A1", 42, 40]],
         "KẾT QUẢ KIỂM TRA SỨC KHỎE HỌC SINH NĂM HỌC 2025-2026"),
        ([["PHÒNG GD&ĐT HUYỆN CẦN GIUỘC"], ["STT", "Trường", "Số học sinh"], [1, "THCS Long Hậu", 612]], None),
    ],
    ids=["list", "heading", "no-heading"],
)
def test_sheets_give_the_heading_above_their_table(schema, rows, title):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    assert read_xlsx(save(workbook), schema).title == title


@pytest.mark.parametrize("kind", WRITERS)
def test_the_robots_templates_carry_their_code_and_title(schema, values_for, kind):
    """GIVEN a template written for a programme, then filled in and saved by the school
    THEN the reader returns the template code and the title block as printed."""
    write, fill = WRITERS[kind]
    blank = write(dataclasses.replace(schema, programme="pcmd"), "thpt", report_title="Báo cáo 6 tháng đầu năm")
    filled = fill(blank, schema, values_for("thpt"), "Trường THPT Tân An", "6 tháng đầu năm 2026")
    [report] = parse_attachment(f"bc.{kind}", filled, schema)
    assert report.template_code == template_marker("pcmd") == "report-robot:pcmd"
    assert report.title == ("BÁO CÁO Báo cáo 6 tháng đầu năm "
                            "Thực hiện Chương trình phòng, chống mại dâm giai đoạn 2021-2025")
    [default] = parse_attachment(f"mau.{kind}", write(schema, "thpt"), schema)
    assert default.template_code == "report-robot:default"


def test_the_template_code_is_found_among_the_senders_own_keywords(schema):
    document = docx.Document(io.BytesIO(write_docx_template(schema, "thpt")))
    document.core_properties.keywords = "báo cáo; report-robot:default; PCMD 2026"
    assert read_docx(save(document), schema).template_code == "report-robot:default"


def test_documents_that_are_not_the_robots_template_have_no_code(schema):
    document = docx.Document()
    document.core_properties.keywords = "báo cáo, mại dâm"
    document.add_paragraph("BÁO CÁO")
    assert read_docx(save(document), schema).template_code is None
    assert read_xlsx(save(openpyxl.Workbook()), schema).template_code is None


def test_a_template_printed_to_pdf_keeps_its_code(schema):
    """GIVEN a text PDF whose document information carries the template's keywords."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(CORPUS / "40-printed-table.pdf"))
    writer.add_metadata({"/Keywords": "report-robot:default"})
    buffer = io.BytesIO()
    writer.write(buffer)
    [report] = parse_attachment("bc.pdf", buffer.getvalue(), schema)
    assert report.template_code == "report-robot:default"
    [plain] = parse_attachment("bc.pdf", (CORPUS / "40-printed-table.pdf").read_bytes(), schema)
    assert plain.template_code is None


def test_each_value_says_how_it_was_found(schema):
    """GIVEN a table with a code column, a table with labels only and prose lines
    THEN values are found "code", "label" and "body"; a label beats a code that contradicts it."""
    document = docx.Document()
    coded = document.add_table(rows=3, cols=3)
    for row, texts in zip(coded.rows, [["Mã số", "Chỉ tiêu", "Số liệu"], ["05", "Số HS, SV được tuyên truyền", "1.180"],
                                       ["06", "Số buổi tuyên truyền", "9"]]):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    document.add_paragraph("")
    labelled = document.add_table(rows=2, cols=2)
    for row, texts in zip(labelled.rows, [["Nội dung", "Kết quả"], ["Tổng số học sinh, sinh viên của đơn vị", "1.250"]]):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    document.add_paragraph("- Số vụ việc vi phạm được phát hiện: không")

    report = read_docx(save(document), schema)

    assert {key: found.via for key, found in report.values.items()} == {
        "so_hssv_duoc_tt": "code", "so_buoi_tt": "label", "tong_so_hssv": "label", "so_vu_vi_pham": "body",
    }


ENGLISH_PAPER = [
    "Course Handbook 2025-2026",
    "Assessment and Submission",
    "Students have to submit their coursework to the office before the deadline.",
    "Long: to have a title page and a word count",
    "So long:  have fun with the project",
    "Note: late work will have marks deducted.",
]


def test_an_english_paper_gives_no_values(schema):
    """GIVEN an English paper whose words fold to Vietnamese syllables ("long", "to", "the")
    THEN nothing is read from it: no label, no value, no title."""
    document = docx.Document()
    for line in ENGLISH_PAPER:
        document.add_paragraph(line)
    table = document.add_table(rows=4, cols=2)
    for row, texts in zip(table.rows, [["Item", "Notes"], ["Long", "to"], ["The ban", "have"], ["Can do", "to have"]]):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    report = read_docx(save(document), schema)
    assert report.values == {}
    assert report.title is None

    layout = "\n".join(ENGLISH_PAPER + ["Students  have  to  submit", "Long    to    have", "The long  run"])
    assert read_text(numbered_lines(layout, "trang 1"), schema).values == {}


def test_prose_words_beside_a_label_are_not_values(schema):
    """GIVEN a Vietnamese label followed by words that are no answer, outside a value column
    THEN no value is taken; under a "Số liệu" heading the words are kept as an invalid answer."""
    loose = read_text(numbered_lines("- Số buổi tuyên truyền: theo kế hoạch của Sở\n", "thân thư"), schema)
    assert loose.values == {}
    workbook = openpyxl.Workbook()
    workbook.active.append(["Chỉ tiêu", "Số liệu"])
    workbook.active.append(["Số buổi tuyên truyền", "theo kế hoạch của Sở"])
    found = read_xlsx(save(workbook), schema).values["so_buoi_tt"]
    assert (found.value, found.raw) == (None, "theo kế hoạch của Sở")
    assert found.error is not None
