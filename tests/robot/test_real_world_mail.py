"""Mail as schools really send it, through `robot poll` on Dovecot: zips, old formats, PDFs,
reports in the mail body, a Word report beside its signed scan, several units' files at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from parsers.doc_reader import converter, read_doc
from parsers.report import ParseError
from robot.wording import file_problem
from store.db import session
from store.tables import Message
from tests.robotenv import local, mail, parsed, text_of

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "files"
MAY = ("2026-05-20T10:00:00+07:00", local(2026, 5, 20, 9, 0))
NOVEMBER = ("2026-11-20T10:00:00+07:00", local(2026, 11, 20, 9, 0))


def _unit(robot_env, code: str):
    return next(u for u in robot_env.config.units if u.code == code)


def _status(robot_env, period: str, now: str) -> dict[str, dict]:
    rows = json.loads(robot_env.cli("status", "--period", period, "--now", now, "--json").stdout)
    return {row["unit_code"]: row for row in rows}


def _poll(robot_env, now: str) -> None:
    assert robot_env.cli("poll", "--now", now).exit_code == 0


@pytest.mark.parametrize(("filename", "unit_code", "when", "period"), [
    ("30-old-excel.xls", "THPT-LEQUYDON", MAY, "semiannual-2026"),
    ("34-old-word-template.doc", "PGD-TANAN", NOVEMBER, "annual-2026"),
    ("40-printed-table.pdf", "THPT-LEQUYDON", MAY, "semiannual-2026"),
    ("44-zipped-report.zip", "THPT-LEQUYDON", NOVEMBER, "semiannual-2026"),
])
def test_each_format_is_filed_for_the_period_it_names(robot_env, mailbox, smtp_server, filename,
                                                       unit_code, when, period):
    """GIVEN a report in an old or packed format WHEN polled THEN it is acknowledged and filed
    complete for the period its title names (a November mail naming the 6-month report is late)."""
    if filename.endswith(".doc") and converter() is None:
        pytest.skip("LibreOffice is not installed")
    now, received = when
    unit = _unit(robot_env, unit_code)
    mailbox.append(mail(unit.emails[0], "Gửi báo cáo", [(filename, (CORPUS / filename).read_bytes())]),
                   internaldate=received)
    _poll(robot_env, now)
    reply = smtp_server.wait_for(1)[0].parsed
    assert reply["X-Report-Robot"] == "ack", text_of(reply)
    row = _status(robot_env, period, now)[unit_code]
    assert row["state"] == "complete"
    assert row["values"]["so_buoi_tt"] == 12


def test_word_report_beside_its_signed_scan_is_filed_without_complaint(robot_env, mailbox, smtp_server):
    unit = _unit(robot_env, "THPT-LEQUYDON")
    files = [(name, (CORPUS / name).read_bytes()) for name in ("22-nd30-table-after-prose.docx", "42-signed-scan.pdf")]
    mailbox.append(mail(unit.emails[0], "Báo cáo 6 tháng", files), internaldate=MAY[1])
    _poll(robot_env, MAY[0])
    reply = smtp_server.wait_for(1)[0].parsed
    assert reply["X-Report-Robot"] == "ack"
    assert "42-signed-scan.pdf" not in text_of(reply)
    with session(robot_env.engine()) as db:
        [message] = db.exec(select(Message)).all()
    assert "42-signed-scan.pdf: archived scan" in message.detail
    assert Path(message.archive_path).exists()  # the scan stays in the archived mail


@pytest.mark.parametrize("corpus_file", ["46-mail-body.txt", "47-mail-body.html"])
def test_report_typed_into_the_mail_body_is_filed(robot_env, mailbox, smtp_server, corpus_file):
    unit = _unit(robot_env, "THPT-LEQUYDON")
    raw = mail(unit.emails[0], "Báo cáo", [], body="placeholder")
    body = (CORPUS / corpus_file).read_text(encoding="utf-8")
    message = parsed(raw)
    message.set_content(body, subtype="html" if corpus_file.endswith(".html") else "plain")
    mailbox.append(message.as_bytes(), internaldate=MAY[1])
    _poll(robot_env, MAY[0])
    reply = smtp_server.wait_for(1)[0].parsed
    assert reply["X-Report-Robot"] == "ack", text_of(reply)
    assert "nội dung thư" in text_of(reply)
    assert _status(robot_env, "semiannual-2026", MAY[0])["THPT-LEQUYDON"]["values"]["so_hssv_duoc_tt"] == 1250


def test_cover_letter_without_figures_is_not_a_report(robot_env, mailbox, smtp_server):
    """GIVEN a cover letter naming the programme, without the file WHEN polled THEN the unit is
    told the file is missing."""
    unit = _unit(robot_env, "THPT-LEQUYDON")
    mailbox.append(mail(unit.emails[0], "Báo cáo công tác phòng, chống mại dâm", [],
                        body="Kính gửi Sở,\nTrường xin gửi báo cáo.\n"), internaldate=MAY[1])
    _poll(robot_env, MAY[0])
    assert smtp_server.wait_for(1)[0].parsed["X-Report-Robot"] == "no-attachment"


def test_a_bare_report_word_names_no_programme(robot_env, mailbox, smtp_server):
    """GIVEN a cover letter titled only "Báo cáo" (any of the department's programmes) WHEN polled
    THEN it is left for staff, unanswered: the robot cannot tell it is about its report."""
    unit = _unit(robot_env, "THPT-LEQUYDON")
    mailbox.append(mail(unit.emails[0], "Báo cáo", [], body="Kính gửi Sở,\nTrường xin gửi báo cáo.\n"),
                   internaldate=MAY[1])
    _poll(robot_env, MAY[0])
    with session(robot_env.engine()) as db:
        (message,) = db.exec(select(Message)).all()
    assert message.outcome == "not-for-robot"
    assert smtp_server.messages == []


def test_another_units_report_in_the_mail_is_kept_unverified_for_it(robot_env, mailbox, smtp_server):
    """GIVEN a school's mail with its own report and the district office's report WHEN polled THEN
    the school's is filed, the district's is kept as unverified for the district, and the school is
    told why."""
    unit = _unit(robot_env, "THPT-LEQUYDON")
    files = [(name, (CORPUS / name).read_bytes())
             for name in ("22-nd30-table-after-prose.docx", "16-unit-column-pgd.xlsx")]
    mailbox.append(mail(unit.emails[0], "Báo cáo 6 tháng đầu năm 2026", files), internaldate=MAY[1])
    _poll(robot_env, MAY[0])
    reply = smtp_server.wait_for(1)[0].parsed
    assert reply["X-Report-Robot"] == "ack"
    assert "“16-unit-column-pgd.xlsx” là báo cáo của Phòng GD&ĐT thành phố Tân An" in text_of(reply)
    rows = _status(robot_env, "semiannual-2026", MAY[0])
    assert rows["THPT-LEQUYDON"]["state"] == "complete"
    assert rows["PGD-TANAN"]["state"] == "unverified"


def test_doc_without_libreoffice_asks_for_docx(monkeypatch, tmp_path):
    """GIVEN no LibreOffice WHEN a .doc is read THEN the reason is 'old_word', whose advice asks
    for the file saved as .docx."""
    monkeypatch.setattr("parsers.doc_reader.converter", lambda: None)
    with pytest.raises(ParseError) as caught:
        read_doc((CORPUS / "33-old-word.doc").read_bytes(), None, filename="bc.doc")
    assert caught.value.reason == "old_word"
    assert "Word Document (.docx)" in file_problem("old_word")[1]
