"""A unit answers the robot's notice with just the figures it asked for ("05: 755"), as the notice says it may."""

from __future__ import annotations

import json

from tests.filling import filled_xlsx
from tests.realmail import File, Original, Person, gmail_reply, outlook, outlook_reply
from tests.robot.conftest import COMPLETE
from tests.robotenv import local, text_of

REPORT_RECEIVED = local(2026, 11, 20, 9, 30)
FIRST_POLL = "2026-11-20T10:00:00+07:00"
ANSWER_RECEIVED = local(2026, 11, 20, 10, 20)
SECOND_POLL = "2026-11-20T10:30:00+07:00"


def _status_row(robot_env, unit_code: str) -> dict:
    rows = json.loads(robot_env.cli("status", "--period", "annual-2026", "--now", SECOND_POLL, "--json").stdout)
    return next(row for row in rows if row["unit_code"] == unit_code)


def _incomplete_report(robot_env, mailbox, smtp_server, school) -> tuple[Person, Original]:
    """The school's report without 05 and 08: filed incomplete, the notice as the school received it."""
    assert robot_env.cli("poll", "--now", "2026-11-20T08:00:00+07:00").exit_code == 0  # first contact
    values = {key: value for key, value in COMPLETE.items() if key not in ("so_hssv_duoc_tt", "long_ghep")}
    data = filled_xlsx(robot_env.config.schema(), "thpt", values, unit_name=school.name, period="Năm 2026")
    clerk = Person(f"Văn thư {school.name}", school.emails[0])
    mailbox.append(outlook(clerk, f"Báo cáo PCMD năm 2026 - {school.name}", "Kính gửi Sở,\nTrường gửi báo cáo.",
                           sent=REPORT_RECEIVED, files=[File("BC PCMD 2026.xlsx", data)]),
                   internaldate=REPORT_RECEIVED)
    assert robot_env.cli("poll", "--now", FIRST_POLL).exit_code == 0
    (notice,) = smtp_server.wait_for(1)
    assert notice.parsed["X-Report-Robot"] == "incomplete"
    assert notice.parsed["X-Report-Robot-Fields"] == "so_hssv_duoc_tt,long_ghep"
    assert "“mã số: số liệu” (ví dụ “05: 755”)" in text_of(notice.parsed)  # the notice says it may
    return clerk, Original.of(notice.parsed)


def test_an_outlook_reply_with_the_missing_lines_completes_the_report(robot_env, mailbox, smtp_server, school):
    """GIVEN a notice naming 05 and 08 as missing
    WHEN the school replies in Outlook with "05: 755" and "08 - Có lồng ghép: Có" above the quoted notice
    THEN the report is filed as version 2 with the earlier figures and the answered ones, complete,
    and the school gets one acknowledgement."""
    clerk, notice = _incomplete_report(robot_env, mailbox, smtp_server, school)
    text = "Dạ, trường bổ sung:\n05: 755\n08 - Có lồng ghép: Có\n\nTrân trọng."
    mailbox.append(outlook_reply(clerk, text, notice, sent=ANSWER_RECEIVED), internaldate=ANSWER_RECEIVED)
    assert robot_env.cli("poll", "--now", SECOND_POLL).exit_code == 0

    _, answer = smtp_server.wait_for(2)
    assert answer.parsed["X-Report-Robot"] == "ack"
    row = _status_row(robot_env, school.code)
    assert (row["state"], row["version"]) == ("complete", 2)
    assert row["values"]["so_hssv_duoc_tt"] == 755 and row["values"]["long_ghep"] is True
    assert row["values"]["tong_so_hssv"] == COMPLETE["tong_so_hssv"]  # kept from version 1


def test_a_partial_answer_gets_a_notice_naming_what_is_still_missing(robot_env, mailbox, smtp_server, school):
    clerk, notice = _incomplete_report(robot_env, mailbox, smtp_server, school)
    mailbox.append(gmail_reply(clerk, "05: 755", notice, sent=ANSWER_RECEIVED), internaldate=ANSWER_RECEIVED)
    assert robot_env.cli("poll", "--now", SECOND_POLL).exit_code == 0

    _, answer = smtp_server.wait_for(2)
    assert answer.parsed["X-Report-Robot"] == "incomplete"
    assert answer.parsed["X-Report-Robot-Fields"] == "long_ghep"
    row = _status_row(robot_env, school.code)
    assert (row["state"], row["version"], row["missing"]) == ("incomplete", 2, ["long_ghep"])


def test_numbered_lines_outside_the_robots_thread_are_not_figures(robot_env, mailbox, smtp_server, school):
    """GIVEN a mail that is no reply to the robot, with numbered lines WHEN polled THEN nothing is filed."""
    clerk, _ = _incomplete_report(robot_env, mailbox, smtp_server, school)
    mailbox.append(outlook(clerk, "Góp ý dự thảo kế hoạch", "Ý kiến của trường:\n05: đề nghị bổ sung kinh phí",
                           sent=ANSWER_RECEIVED), internaldate=ANSWER_RECEIVED)
    assert robot_env.cli("poll", "--now", SECOND_POLL).exit_code == 0
    assert len(smtp_server.messages) == 1
    assert _status_row(robot_env, school.code)["version"] == 1
