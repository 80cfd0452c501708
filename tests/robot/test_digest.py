"""The weekly digest: figures equal the stored values, chart inline by Content-ID, workbook, Word draft.

The plan's targets are summed over complete reports only (the incomplete college's students are
not counted); the counts of units by state cover every expected unit.
"""

from __future__ import annotations

import io
import json

import docx
import openpyxl
import pytest

from tests.filling import filled_docx, filled_xlsx
from tests.robot.conftest import COMPLETE, COMPLETE_DISTRICT
from tests.robotenv import local, mail

STUDENT_TYPES = ("thpt", "dai_hoc", "cao_dang_su_pham")
HOSTILE = "=HYPERLINK(\"http://evil.example\",\"bấm\")"


def _units(config, unit_type: str, count: int) -> list:
    return [u for u in config.units if u.type == unit_type][:count]


@pytest.fixture
def filed(robot_env, mailbox):
    """Annual 2025 reports (in the past: Dovecot clamps a future INTERNALDATE to now) filed through real intake: on time, late, incomplete, and an unknown sender."""
    config = robot_env.config
    schema = config.schema()
    on_time, late = local(2025, 11, 25, 9, 0), local(2025, 12, 2, 9, 0)
    reports = [
        (_units(config, "thpt", 3)[0], COMPLETE | {"so_hssv_duoc_tt": 900, "tong_so_hssv": 1000}, on_time),
        (_units(config, "thpt", 3)[1], COMPLETE | {"so_hssv_duoc_tt": 300, "tong_so_hssv": 1200,
                                                   "kien_nghi": HOSTILE}, on_time),
        (_units(config, "thpt", 3)[2], COMPLETE | {"so_hssv_duoc_tt": 700, "long_ghep": False}, late),
        (_units(config, "dai_hoc", 1)[0], COMPLETE | {"so_hssv_duoc_tt": 5000, "tong_so_hssv": 8000}, on_time),
        (_units(config, "phong_gddt", 1)[0], COMPLETE_DISTRICT | {"so_hinh_thuc_tt": 0}, on_time),
        (_units(config, "cao_dang_su_pham", 1)[0],
         {k: v for k, v in COMPLETE.items() if k != "so_buoi_tt"} | {"tong_so_hssv": 2000, "so_hssv_duoc_tt": 1500},
         on_time),
    ]
    for unit, values, when in reports:
        # Word carries the formula-like text as typed (an xlsx would hold it as a formula).
        kind, fill = ("docx", filled_docx) if values.get("kien_nghi") == HOSTILE else ("xlsx", filled_xlsx)
        data = fill(schema, unit.type, values)
        mailbox.append(mail(unit.emails[0], "Báo cáo năm 2025", [(f"bc.{kind}", data)]), internaldate=when)
    mailbox.append(mail("la@unknown.example", "<script>alert(1)</script> báo cáo"), internaldate=late)
    assert robot_env.cli("poll", "--now", "2025-12-02T10:00:00+07:00").exit_code == 0
    return reports


def _status(robot_env) -> list[dict]:
    result = robot_env.cli("status", "--period", "annual-2025", "--json", "--now", "2025-12-07T08:00:00+07:00")
    return json.loads(result.stdout)


def _sum(rows: list[dict], key: str) -> int:
    return sum(r["values"][key] for r in rows if isinstance(r["values"].get(key), int))


def _by_header(sheet) -> list[dict]:
    headers = [c.value for c in sheet[1]]
    return [dict(zip(headers, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]


def test_digest_files_and_mail_hold_the_stored_figures(robot_env, smtp_server, filed, tmp_path):
    config = robot_env.config
    smtp_server.clear()
    status = _status(robot_env)
    types = {u.code: u.type for u in config.units}
    complete = [r for r in status if r["state"] == "complete"]
    on_time = [r for r in complete if r["on_time"]]
    students = [r for r in complete if types[r["unit_code"]] in STUDENT_TYPES
                and isinstance(r["values"].get("so_hssv_duoc_tt"), int) and isinstance(r["values"].get("tong_so_hssv"), int)]
    reached, total = _sum(students, "so_hssv_duoc_tt"), _sum(students, "tong_so_hssv")
    # The college's report lacks so_buoi_tt: incomplete, so its 1,500 students are not counted.
    assert (len(complete), len(on_time), reached) == (5, 4, 900 + 300 + 700 + 5000)

    out = tmp_path / "digest"
    result = robot_env.cli("digest", "--now", "2025-12-07T08:00:00+07:00", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} >= {
        "digest.html", "bieu-do-annual-2025.png", "tong-hop-2025-12-07.xlsx", "du-thao-bao-cao-annual-2025.docx"}

    book = openpyxl.load_workbook(out / "tong-hop-2025-12-07.xlsx")
    summary = _by_header(book["Tổng hợp"])
    total_row = next(r for r in summary if r["Kỳ báo cáo"] == "Báo cáo năm 2025" and r["Loại đơn vị"] == "Tổng cộng")
    assert total_row["Phải nộp"] == len(status)
    assert total_row["Đã nộp đủ"] == len(complete) and total_row["Nộp đủ đúng hạn"] == len(on_time)
    assert total_row["Tỷ lệ đầy đủ (%)"] == round(100 * len(complete) / len(status), 1)
    assert total_row["Tỷ lệ đúng hạn (%)"] == round(100 * len(on_time) / len(status), 1)
    assert (total_row["CT2: HSSV được TT"], total_row["CT2: tổng số HSSV"]) == (reached, total)
    assert total_row["CT2: trên số đơn vị đã nộp đủ"] == len(students)
    assert total_row["CT1: đơn vị đạt"] == sum(1 for r in complete if r["values"]["so_hinh_thuc_tt"] >= 1)
    assert total_row["CT1: trên số đơn vị đã nộp đủ"] == len(complete)
    assert total_row["CT1: số trường đã TT"] == _sum(complete, "so_truong_co_tt")
    assert total_row["CT3: đơn vị có lồng ghép"] == sum(1 for r in complete if r["values"].get("long_ghep") is True)
    assert total_row["CT3: trên số đơn vị đã nộp đủ"] == len(complete)
    thpt_row = next(r for r in summary if r["Kỳ báo cáo"] == "Báo cáo năm 2025"
                    and r["Loại đơn vị"] == config.unit_types["thpt"])
    thpt = [r for r in students if types[r["unit_code"]] == "thpt"]  # complete ones
    assert thpt_row["CT2: HSSV được TT"] == _sum(thpt, "so_hssv_duoc_tt")

    sheet = book["annual-2025"]
    rows = _by_header(sheet)
    assert len(rows) == len(status)
    assert sum(r["06. Tổng số học sinh, sinh viên của đơn vị"] or 0 for r in rows) == _sum(status, "tong_so_hssv")
    assert sheet.freeze_panes == "C2" and sheet.auto_filter.ref
    hostile_cell = next(c for c in sheet["A"] if c.value == filed[1][0].code).row
    kien_nghi = next(c for c in sheet[1] if str(c.value).startswith("17."))
    cell = sheet.cell(hostile_cell, kien_nghi.column)
    assert cell.value == HOSTILE and cell.data_type == "s" and cell.quotePrefix, "text, and stays text once edited"
    colours = {r[0].value: r[0].fill.fgColor.rgb for r in sheet.iter_rows(min_row=2)}
    assert colours[filed[2][0].code].endswith("FFE5B4"), "late is orange"
    missing = next(r["unit_code"] for r in status if r["state"] == "missing")
    assert colours[missing].endswith("F8D7DA"), "missing is red"

    draft = docx.Document(out / "du-thao-bao-cao-annual-2025.docx")
    text = "\n".join(p.text for p in draft.paragraphs)
    cells = "\n".join(c.text for t in draft.tables for row in t.rows for c in row.cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells and "/BC-SGDĐT" in cells
    vietnamese = f"{reached:,}/{total:,}".replace(",", ".")
    assert f"{vietnamese} (" in text and f"trên {len(students)} đơn vị đã nộp đủ" in text
    assert vietnamese in cells, "the table by unit type holds the same totals, written the same way"
    assert next(u.name for u in config.units if u.code == missing) in text

    (sent,) = smtp_server.wait_for(1)
    message = sent.parsed
    assert sorted(sent.rcpt_tos) == sorted(config.digest.recipients)
    assert (message["X-Report-Robot"], message["Auto-Submitted"]) == ("digest", "auto-generated")
    html = message.get_body(("html",)).get_content()
    images = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 2, "one chart per period: annual-2025 and the open semiannual-2026"
    for image in images:
        assert image.get_content().startswith(b"\x89PNG\r\n\x1a\n")
        assert f'src="cid:{image["Content-ID"].strip("<>")}"' in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    attached = {p.get_filename() for p in message.iter_attachments()}
    assert {"tong-hop-2025-12-07.xlsx", "du-thao-bao-cao-annual-2025.docx"} <= attached
    assert docx.Document(io.BytesIO(next(p for p in message.iter_attachments()
                                          if p.get_filename().endswith(".docx")).get_content()))


def test_dry_run_sends_nothing(robot_env, smtp_server, filed):
    smtp_server.clear()
    result = robot_env.cli("digest", "--now", "2025-12-07T08:00:00+07:00", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Báo cáo năm 2025: phải nộp 45, đã nộp đủ 5" in result.output
    assert smtp_server.messages == []
