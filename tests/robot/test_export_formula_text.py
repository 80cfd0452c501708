"""Formula-like sender text stays inert in every workbook the robot writes, also after an edit in Excel.

Issue 10, finding 11: exported and digest workbooks kept `=HYPERLINK(…)` as a string cell but
without the quote prefix, so editing the cell in Excel turned it into a live formula. Each file
is read back with openpyxl (and the digest's own writer also with calamine, a second reader).
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from robot.digest.xlsx import Sheet, workbook_bytes
from tests.filling import filled_docx
from tests.robot.conftest import COMPLETE
from tests.robotenv import local, mail

HYPERLINK = '=HYPERLINK("http://x","y")'
DDE = '@SUM(1+1)*cmd|" /C calc"!A0'  # the classic CSV/DDE injection, typed into "Khó khăn"
NOW = "2025-12-07T08:00:00+07:00"


@pytest.fixture
def hostile_report(robot_env, mailbox):
    """GIVEN a school's Word report whose text answers are formula-like, filed through real intake."""
    school = next(u for u in robot_env.config.units if u.type == "thpt")
    values = COMPLETE | {"kien_nghi": HYPERLINK, "kho_khan": DDE}
    data = filled_docx(robot_env.config.schema(), school.type, values, unit_name=school.name, period="Năm 2025")
    mailbox.append(mail(school.emails[0], "Báo cáo công tác phòng, chống mại dâm năm 2025",
                        [("bao-cao-2025.docx", data)]), internaldate=local(2025, 11, 25, 9, 0))
    assert robot_env.cli("poll", "--now", "2025-12-02T10:00:00+07:00").exit_code == 0
    return school


def _unit_row(sheet, code_column: str, code: str) -> dict:
    """The unit's row as {header: cell}."""
    headers = [cell.value for cell in sheet[1]]
    return next(dict(zip(headers, row)) for row in sheet.iter_rows(min_row=2)
                if row[headers.index(code_column)].value == code)


def _assert_inert(cell, text: str) -> None:
    assert cell.value == text
    assert cell.data_type == "s", "a string, not a formula"
    assert cell.quotePrefix, "Excel keeps it text when someone edits the cell"


def test_digest_workbook_keeps_formula_like_sender_text_inert(robot_env, hostile_report, tmp_path):
    """WHEN the digest is written THEN both answers are string cells with the quote prefix; plain text is not."""
    out = tmp_path / "digest"
    assert robot_env.cli("digest", "--now", NOW, "--out", str(out), "--dry-run").exit_code == 0
    book = openpyxl.load_workbook(next(out.glob("tong-hop-*.xlsx")))
    row = _unit_row(book["annual-2025"], "Mã", hostile_report.code)
    _assert_inert(row["17. Đề xuất, kiến nghị"], HYPERLINK)
    _assert_inert(row["16. Khó khăn, vướng mắc"], DDE)
    assert row["Đơn vị"].value == hostile_report.name and not row["Đơn vị"].quotePrefix


def test_export_xlsx_keeps_formula_like_sender_text_inert(robot_env, hostile_report, tmp_path):
    """WHEN `robot export --format xlsx` writes the period THEN the same holds in the export."""
    out = tmp_path / "export.xlsx"
    result = robot_env.cli("export", "--period", "annual-2025", "--format", "xlsx", "--out", str(out), "--now", NOW)
    assert result.exit_code == 0, result.output
    row = _unit_row(openpyxl.load_workbook(out).active, "unit_code", hostile_report.code)
    _assert_inert(row["kien_nghi"], HYPERLINK)
    _assert_inert(row["kho_khan"], DDE)
    assert not row["unit_name"].quotePrefix


FORMULA_LIKE = [HYPERLINK, "  =1+1", "\t@SUM(A1)", "+84 912 345 678", "-5", "\u00a0=A1"]
PLAIN = ["Thiếu tài liệu tuyên truyền", "a=b", "Số 1+1", "_x0041_ giữ nguyên", "chuông\x07ở giữa", "<b>&amp;</b>", " "]


def test_digest_writer_marks_every_formula_like_text_and_keeps_all_text_as_written():
    """GIVEN texts a spreadsheet would read as formulas (= + - @, also after blanks) and texts it would not
    WHEN the digest's writer puts them in a sheet THEN only the first carry the quote prefix, and every
    text reads back as written (XML-special characters, a literal "_x0041_"); a control character is
    stored as Excel's own _x0007_ escape, which calamine (as Excel) decodes and openpyxl shows as is."""
    texts = FORMULA_LIKE + PLAIN
    data = workbook_bytes([Sheet("Kiểm tra", [("Nội dung", 30), ("Số", 8)], [texts, list(range(len(texts)))])])
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Kiểm tra"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.quotePrefix for c in cells] == [True] * len(FORMULA_LIKE) + [False] * len(PLAIN)
    assert all(c.data_type == "s" for c in cells)
    assert [c.value for c in cells] == [text.replace("\x07", "_x0007_") for text in texts]
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == list(range(len(texts)))
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Kiểm tra").to_python()
    assert [row[0] for row in calamine[1:]] == texts
