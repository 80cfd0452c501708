"""The plan's targets in the digest, its workbook and the Word draft come from complete reports only.

Issue 10, finding 12: the demo's draft said "số trường … đã tuyên truyền: 129/126 (102,4 %)" and
"8/8 đơn vị" because a Phòng whose report broke the rule so_truong_co_tt <= so_truong_truc_thuoc
was counted; its table wrote "3225/3492" where the text wrote "13.036"; its title read "Kết quả
thực hiện Thực hiện Chương trình…".
"""

from __future__ import annotations

import json
import re
import unicodedata

import docx
import openpyxl
import pytest

from robot.digest.summary_report import draft_title
from robot.digest.words import fraction, number, percent
from tests.filling import filled_xlsx
from tests.robot.conftest import COMPLETE, COMPLETE_DISTRICT
from tests.robotenv import local, mail

DIGEST_NOW = "2025-12-07T08:00:00+07:00"


@pytest.fixture
def digest_files(robot_env, mailbox, tmp_path):
    """GIVEN annual 2025 reports filed through real intake: two complete THPT schools (1.225/1.492 and
    2.000/2.000 students reached), a THPT school whose report lacks a figure (9.000/9.500), a
    complete Phòng (45 of 48 schools) and a Phòng claiming 129 of 126 schools (the rule is broken)
    WHEN the digest is written to a folder."""
    config = robot_env.config
    schema = config.schema()
    thpt = [u for u in config.units if u.type == "thpt"][:3]
    phong = [u for u in config.units if u.type == "phong_gddt"][:2]
    without_sessions = {k: v for k, v in COMPLETE.items() if k != "so_buoi_tt"}
    reports = [
        (thpt[0], COMPLETE | {"so_hssv_duoc_tt": 1225, "tong_so_hssv": 1492}),
        (thpt[1], COMPLETE | {"so_hssv_duoc_tt": 2000, "tong_so_hssv": 2000}),
        (thpt[2], without_sessions | {"so_hssv_duoc_tt": 9000, "tong_so_hssv": 9500}),
        (phong[0], COMPLETE_DISTRICT | {"so_truong_truc_thuoc": 48, "so_truong_co_tt": 45}),
        (phong[1], COMPLETE_DISTRICT | {"so_truong_truc_thuoc": 126, "so_truong_co_tt": 129}),
    ]
    for unit, values in reports:
        data = filled_xlsx(schema, unit.type, values, unit_name=unit.name, period="Năm 2025")
        mailbox.append(mail(unit.emails[0], f"Báo cáo công tác phòng, chống mại dâm năm 2025 - {unit.name}",
                            [("bao-cao-pcmd-2025.xlsx", data)]), internaldate=local(2025, 11, 25, 9, 0))
    assert robot_env.cli("poll", "--now", "2025-12-02T10:00:00+07:00").exit_code == 0
    status = json.loads(robot_env.cli("status", "--period", "annual-2025", "--json", "--now", DIGEST_NOW).stdout)
    states = {row["unit_code"]: row["state"] for row in status}
    assert [states[u.code] for u, _ in reports] == ["complete", "complete", "incomplete", "complete", "incomplete"]
    out = tmp_path / "digest"
    result = robot_env.cli("digest", "--now", DIGEST_NOW, "--out", str(out), "--dry-run")
    assert result.exit_code == 0, result.output
    return out


def _draft(out) -> tuple[list[str], list[list[str]]]:
    document = docx.Document(out / "du-thao-bao-cao-annual-2025.docx")
    rows = [[cell.text for cell in row.cells] for row in document.tables[1].rows]
    return [p.text for p in document.paragraphs], rows


def test_word_draft_counts_complete_reports_only_and_says_so(digest_files):
    """THEN each target figure of the draft sums the complete reports only and names how many."""
    paragraphs, _ = _draft(digest_files)
    text = "\n".join(paragraphs)
    assert ("số trường trực thuộc các Phòng GD&ĐT đã tuyên truyền: 45/48 (93,8 %; trên 1 đơn vị đã nộp đủ)"
            in text)
    assert "129" not in text and "126" not in text
    assert "Đơn vị tổ chức ít nhất 1 hình thức tuyên truyền: 3 đơn vị (trên 3 đơn vị đã nộp đủ)" in text
    assert ("Học sinh, sinh viên được tuyên truyền: 3.225/3.492 (92,4 %; chỉ tiêu 70 %; "
            "trên 2 đơn vị đã nộp đủ)") in text
    assert "an sinh xã hội: 3 đơn vị (trên 3 đơn vị đã nộp đủ)" in text


def test_word_draft_writes_numbers_the_vietnamese_way_everywhere(digest_files):
    """THEN the table writes "3.225/3.492" as the text does, and every percentage has a decimal comma."""
    paragraphs, rows = _draft(digest_files)
    by_label = {row[0]: row for row in rows}
    assert by_label["Trường phổ thông trực thuộc Sở"][5] == "3.225/3.492"
    assert by_label["Tổng cộng"][5] == "3.225/3.492" and by_label["Tổng cộng"][6] == "92,4 %"
    everything = "\n".join(paragraphs + [cell for row in rows for cell in row])
    assert "3225" not in everything and "3492" not in everything
    assert not re.search(r"\d\.\d %", everything), "a decimal point in a percentage"
    assert re.findall(r"\d+,\d %", everything)


def test_word_draft_title_does_not_double_the_verb(digest_files, robot_env):
    """THEN the shipped programme ("Thực hiện Chương trình …") gives "Kết quả thực hiện Chương trình …"."""
    paragraphs, _ = _draft(digest_files)
    title = paragraphs[1]
    assert title.startswith("Kết quả thực hiện Chương trình phòng, chống mại dâm giai đoạn 2021-2025")
    assert title.endswith("— Báo cáo năm 2025")
    assert "thực hiện thực hiện" not in title.lower()
    assert robot_env.config.organisation.programme.startswith("Thực hiện ")


@pytest.mark.parametrize(("programme", "expected"), [
    ("Thực hiện Chương trình phòng, chống mại dâm", "Kết quả thực hiện Chương trình phòng, chống mại dâm"),
    ("Kế hoạch thực hiện Quyết định số 1629/QĐ-TTg", "Kết quả thực hiện Quyết định số 1629/QĐ-TTg"),
    ("KẾ HOẠCH THỰC HIỆN Quyết định số 1629/QĐ-TTg", "Kết quả thực hiện Quyết định số 1629/QĐ-TTg"),
    ("Chương trình phòng, chống ma túy", "Kết quả thực hiện Chương trình phòng, chống ma túy"),
    ("Thực hiện Chương trình", "Kết quả thực hiện Chương trình"),
    ("", "Kết quả thực hiện chương trình"),
])
def test_draft_title(programme, expected):
    assert draft_title(programme, "Báo cáo năm 2025") == f"{expected} — Báo cáo năm 2025"


def test_draft_title_reads_a_programme_typed_in_decomposed_unicode():
    """A config typed with Unikey's "Unicode tổ hợp" (NFD) is read the same."""
    decomposed = unicodedata.normalize("NFD", "Thực hiện Chương trình")
    assert decomposed != "Thực hiện Chương trình"
    assert draft_title(decomposed, "Báo cáo năm 2025") == "Kết quả thực hiện Chương trình — Báo cáo năm 2025"


def test_workbook_summary_counts_complete_reports_only(digest_files):
    """THEN the summary sheet's target columns hold the complete reports' sums and how many they are."""
    book = openpyxl.load_workbook(next(digest_files.glob("tong-hop-*.xlsx")))
    sheet = book["Tổng hợp"]
    headers = [c.value for c in sheet[1]]
    rows = [dict(zip(headers, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    total = next(r for r in rows if r["Kỳ báo cáo"] == "Báo cáo năm 2025" and r["Loại đơn vị"] == "Tổng cộng")
    assert (total["CT1: số trường đã TT"], total["CT1: tổng số trường"], total["CT1: tỷ lệ trường (%)"]) == (45, 48, 93.8)
    assert total["CT1 (trường): trên số đơn vị đã nộp đủ"] == 1
    assert (total["CT2: HSSV được TT"], total["CT2: tổng số HSSV"], total["CT2: trên số đơn vị đã nộp đủ"]) == (
        3225, 3492, 2)
    assert (total["CT1: đơn vị đạt"], total["CT1: trên số đơn vị đã nộp đủ"]) == (3, 3)
    assert (total["Đã nộp đủ"], total["Chưa đủ"]) == (3, 2)
    units = book["annual-2025"]
    headers = [c.value for c in units[1]]
    by_code = {row[0].value: dict(zip(headers, (c.value for c in row))) for row in units.iter_rows(min_row=2)}
    broken = next(code for code, row in by_code.items() if row["15. Số trường đã tổ chức ít nhất một hình thức tuyên truyền"] == 129)
    assert by_code[broken]["Trạng thái"] == "Chưa đủ", "the workbook still shows every unit's figures as read"
    assert by_code[broken]["CT1 đạt (báo cáo đủ)"] is None


def test_mail_html_counts_complete_reports_only(digest_files):
    html = (digest_files / "digest.html").read_text(encoding="utf-8")
    assert "45/48 (93,8 %)<br><small>trên 1 đơn vị đã nộp đủ</small>" in html
    assert "3.225/3.492 (92,4 %)<br><small>trên 2 đơn vị đã nộp đủ</small>" in html
    assert "129/" not in html


def test_vietnamese_number_words():
    assert (number(13036), number(45000), number(7), number(None)) == ("13.036", "45.000", "7", "—")
    assert fraction(3225, 3492) == "3.225/3.492"
    assert (percent(70.46), percent(100.0), percent(None)) == ("70,5 %", "100,0 %", "—")
