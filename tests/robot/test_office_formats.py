"""OpenDocument, RTF and XLSB reports through `robot poll` on Dovecot: a registered unit's file,
as its mail client attaches it, is filed and acknowledged with its figures."""

from __future__ import annotations

import json

import pytest

from parsers.office_convert import converter
from tests.parsers.office_files.reading import EXPECTED, FILES
from tests.robotenv import local, mail, parsed, text_of

MAY = ("2026-05-20T10:00:00+07:00", local(2026, 5, 20, 9, 0))
NOVEMBER = ("2026-11-20T10:00:00+07:00", local(2026, 11, 20, 9, 0))
# The types Thunderbird and Gmail give these files.
ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"
ODT_TYPE = "application/vnd.oasis.opendocument.text"
XLSB_TYPE = "application/vnd.ms-excel.sheet.binary.macroEnabled.12"
RTF_TYPE = "application/rtf"


def office_mail(sender: str, subject: str, filename: str, content_type: str) -> bytes:
    """A mail with one office file attached under its real MIME type."""
    message = parsed(mail(sender, subject, [], body="Kính gửi Sở,\nĐơn vị gửi báo cáo đính kèm.\nTrân trọng."))
    maintype, subtype = content_type.split("/")
    message.add_attachment((FILES / filename).read_bytes(), maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


@pytest.mark.parametrize(("filename", "content_type", "when", "period", "figure_line"), [
    ("ods-rows-moved-retyped.ods", ODS_TYPE, NOVEMBER, "annual-2026",
     "05 — Số học sinh, sinh viên được tuyên truyền: 1.318"),
    ("xlsb-template-pgd.xlsb", XLSB_TYPE, NOVEMBER, "annual-2026", "14 — Tổng số trường học trực thuộc: 52"),
    ("xlsb-rows-moved-retyped.xlsb", XLSB_TYPE, NOVEMBER, "annual-2026", "06 — Tổng số học sinh, sinh viên của đơn vị: 1.406"),
    ("odt-template-thpt.odt", ODT_TYPE, MAY, "semiannual-2026", "04 — Số buổi (hoạt động) tuyên truyền, giáo dục đã tổ chức: 14"),
    ("rtf-template-pgd.rtf", RTF_TYPE, NOVEMBER, "annual-2026", "15 — Số trường đã tổ chức ít nhất một hình thức tuyên truyền: 50"),
])
def test_office_format_report_is_filed_and_acknowledged(robot_env, mailbox, smtp_server, filename, content_type,
                                                        when, period, figure_line):
    """GIVEN a unit's report as .ods, .xlsb, .odt or .rtf, from its registered address WHEN polled
    THEN one acknowledgement listing the figures, and the report filed complete with every figure
    the clerk typed."""
    if filename.endswith((".odt", ".rtf")) and converter() is None:
        pytest.skip("LibreOffice is not installed")
    case = EXPECTED[filename]
    unit = next(u for u in robot_env.config.units if u.code == case["unit"])
    now, received = when
    mailbox.append(office_mail(unit.emails[0], "Gửi báo cáo công tác phòng, chống mại dâm", filename, content_type),
                   internaldate=received)

    assert robot_env.cli("poll", "--now", now).exit_code == 0

    (reply,) = smtp_server.wait_for(1)
    assert reply.rcpt_tos == [unit.emails[0]]
    assert reply.parsed["X-Report-Robot"] == "ack", text_of(reply.parsed)
    assert figure_line in text_of(reply.parsed)
    rows = json.loads(robot_env.cli("status", "--period", period, "--now", now, "--json").stdout)
    row = next(r for r in rows if r["unit_code"] == unit.code)
    assert row["state"] == "complete"
    assert row["values"] == case["values"]
