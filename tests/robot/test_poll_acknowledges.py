"""A complete report, as the robot's own template, is filed and acknowledged with its figures."""

from __future__ import annotations

import json

import pytest

from tests.filling import filled_docx, filled_xlsx
from tests.robot.conftest import COMPLETE, COMPLETE_DISTRICT
from tests.robotenv import local, mail, text_of


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_complete_template_is_filed_and_acknowledged(robot_env, mailbox, smtp_server, school, fmt):
    """GIVEN a school's complete report in the template WHEN the robot polls THEN the figures
    are stored and the school gets one acknowledgement listing them, marked on time."""
    schema = robot_env.config.schema()
    fill = filled_xlsx if fmt == "xlsx" else filled_docx
    data = fill(schema, "thpt", COMPLETE, unit_name=school.name, period="Năm 2026")
    subject = f"Báo cáo năm 2026 của {school.name} gửi Sở Giáo dục và Đào tạo"  # long: folded
    mailbox.append(mail(school.emails[0], subject, [(f"bao-cao.{fmt}", data)]),
                   internaldate=local(2026, 11, 20, 9, 30))

    result = robot_env.cli("poll", "--now", "2026-11-20T10:00:00+07:00")
    assert result.exit_code == 0, result.output

    status = json.loads(robot_env.cli("status", "--period", "annual-2026", "--json").stdout)
    row = next(r for r in status if r["unit_code"] == school.code)
    assert row["state"] == "complete"
    assert row["on_time"] is True
    assert row["version"] == 1
    assert row["values"] == COMPLETE
    assert row["missing"] == [] and row["invalid"] == []

    (reply,) = smtp_server.wait_for(1)
    message = reply.parsed
    assert reply.rcpt_tos == [school.emails[0]]
    assert message["X-Report-Robot"] == "ack"
    assert message["Subject"] == f"Đã nhận báo cáo: {subject}"  # every space survives folding
    assert message["Auto-Submitted"] == "auto-replied"
    assert message["In-Reply-To"]
    assert message["Message-ID"].endswith("@moet.edu.vn>")
    body = text_of(message)
    assert "ĐÚNG HẠN" in body
    assert "05 — Số học sinh, sinh viên được tuyên truyền: 1.250" in body
    assert "01 — Đơn vị đã ban hành kế hoạch thực hiện Chương trình phòng, chống mại dâm: Có" in body
    assert "Thiếu tài liệu tuyên truyền" in body


def test_district_report_needs_and_stores_its_school_counts(robot_env, mailbox, smtp_server, district):
    schema = robot_env.config.schema()
    data = filled_xlsx(schema, "phong_gddt", COMPLETE_DISTRICT, unit_name=district.name)
    mailbox.append(mail(district.emails[0], "Báo cáo 6 tháng đầu năm 2026", [("bc.xlsx", data)]),
                   internaldate=local(2026, 5, 25, 8, 0))
    assert robot_env.cli("poll", "--now", "2026-05-25T09:00:00+07:00").exit_code == 0
    status = json.loads(robot_env.cli("status", "--period", "semiannual-2026", "--json").stdout)
    row = next(r for r in status if r["unit_code"] == district.code)
    assert row["state"] == "complete"
    assert row["values"]["so_truong_co_tt"] == 45
    assert smtp_server.wait_for(1)[0].parsed["X-Report-Robot"] == "ack"


def test_late_report_is_acknowledged_as_late(robot_env, mailbox, smtp_server, school):
    """A report received on the due day itself is late: the deadline is "before 1 June"."""
    data = filled_xlsx(robot_env.config.schema(), "thpt", COMPLETE)
    mailbox.append(mail(school.emails[0], "Báo cáo 6 tháng", [("bc.xlsx", data)]),
                   internaldate=local(2026, 6, 1, 7, 0))
    assert robot_env.cli("poll", "--now", "2026-06-01T08:00:00+07:00").exit_code == 0
    status = json.loads(robot_env.cli("status", "--period", "semiannual-2026", "--json").stdout)
    row = next(r for r in status if r["unit_code"] == school.code)
    assert (row["state"], row["on_time"]) == ("complete", False)
    assert "NỘP MUỘN" in text_of(smtp_server.wait_for(1)[0].parsed)


def test_second_poll_sends_nothing_and_mail_stays_unread(robot_env, mailbox, smtp_server, school):
    data = filled_xlsx(robot_env.config.schema(), "thpt", COMPLETE)
    uid = mailbox.append(mail(school.emails[0], "Báo cáo năm 2026", [("bc.xlsx", data)]),
                         internaldate=local(2026, 11, 20, 9, 0))
    assert robot_env.cli("poll").exit_code == 0
    smtp_server.wait_for(1)
    assert robot_env.cli("poll").exit_code == 0
    assert len(smtp_server.messages) == 1
    assert "\\Seen" not in mailbox.flags(uid)
    assert mailbox.uids() == [uid]
