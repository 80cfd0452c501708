"""Schools answer the robot's acknowledgement: a thank-you is not a report, a corrected report is.

Issue 10, finding 2: an Outlook "Cảm ơn Sở" reply, with the acknowledgement quoted under it, was
read for figures, filed as version 2 (late) and acknowledged again.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlmodel import select

from store.db import session
from store.tables import Message
from tests.filling import filled_xlsx
from tests.realmail import File, Original, Person, gmail_reply, outlook, outlook_reply
from tests.robot.conftest import COMPLETE
from tests.robotenv import local

REPORT_RECEIVED = local(2026, 11, 20, 9, 30)
FIRST_POLL = "2026-11-20T10:00:00+07:00"
REPLY_RECEIVED = local(2026, 11, 20, 10, 20)
SECOND_POLL = "2026-11-20T10:30:00+07:00"

THANKS = "Dạ, trường đã nhận được. Cảm ơn Sở.\n\nTrân trọng,\nNguyễn Thị Lan\nVăn thư"
# Each as the client writes it: (client, HTML or plain-text mode).
THANK_YOU_REPLIES = {
    "outlook-html": lambda who, ack: outlook_reply(who, THANKS, ack, sent=REPLY_RECEIVED),
    "outlook-plain": lambda who, ack: outlook_reply(who, THANKS, ack, sent=REPLY_RECEIVED, html_body=False),
    "gmail-html": lambda who, ack: gmail_reply(who, THANKS, ack, sent=REPLY_RECEIVED),
    "gmail-plain": lambda who, ack: gmail_reply(who, THANKS, ack, sent=REPLY_RECEIVED, html_body=False),
}


def _clerk(school) -> Person:
    return Person(f"Văn thư {school.name}", school.emails[0])


def _status_row(robot_env, unit_code: str) -> dict:
    rows = json.loads(robot_env.cli("status", "--period", "annual-2026", "--now", SECOND_POLL, "--json").stdout)
    return next(row for row in rows if row["unit_code"] == unit_code)


def _acknowledged_report(robot_env, mailbox, smtp_server, school) -> Original:
    """The school's report filed and acknowledged (version 1, on time); the acknowledgement as received."""
    assert robot_env.cli("poll", "--now", "2026-11-20T08:00:00+07:00").exit_code == 0  # first contact
    data = filled_xlsx(robot_env.config.schema(), "thpt", COMPLETE, unit_name=school.name, period="Năm 2026")
    mailbox.append(outlook(_clerk(school), f"Báo cáo năm 2026 - {school.name}",
                           "Kính gửi Phòng Giáo dục Trung học,\nTrường gửi báo cáo công tác phòng, chống "
                           "mại dâm năm 2026.\nTrân trọng.",
                           sent=REPORT_RECEIVED, files=[File("BC PCMD nam 2026.xlsx", data)]),
                   internaldate=REPORT_RECEIVED)
    assert robot_env.cli("poll", "--now", FIRST_POLL).exit_code == 0
    (ack,) = smtp_server.wait_for(1)
    assert ack.parsed["X-Report-Robot"] == "ack"
    row = _status_row(robot_env, school.code)
    assert (row["state"], row["version"], row["on_time"]) == ("complete", 1, True)
    return Original.of(ack.parsed)


@pytest.mark.parametrize("client", THANK_YOU_REPLIES)
def test_thank_you_reply_quoting_the_acknowledgement_is_not_filed_or_answered(
        robot_env, mailbox, smtp_server, school, client):
    """GIVEN a school's report acknowledged as version 1, on time
    WHEN the school answers the acknowledgement "Cảm ơn Sở" with its client's usual quote of it
    (Outlook's separator + Từ/Đã gửi block and divRplyFwdMsg; Gmail's "Vào … đã viết:" and
    gmail_quote; HTML and plain-text modes), naming the acknowledgement in In-Reply-To/References
    THEN nothing is sent, the report stays version 1 on time with its figures, and the reply is
    recorded as a reply to the robot."""
    ack = _acknowledged_report(robot_env, mailbox, smtp_server, school)
    mailbox.append(THANK_YOU_REPLIES[client](_clerk(school), ack), internaldate=REPLY_RECEIVED)

    assert robot_env.cli("poll", "--now", SECOND_POLL).exit_code == 0

    sent = [m.parsed["Subject"] for m in smtp_server.messages]
    assert len(sent) == 1, sent
    row = _status_row(robot_env, school.code)
    assert (row["state"], row["version"], row["on_time"]) == ("complete", 1, True)
    assert row["values"] == COMPLETE
    with session(robot_env.engine()) as db:
        reply = db.exec(select(Message).where(Message.subject.startswith("R"))).one()  # RE:/Re:
    assert reply.outcome == "reply-to-robot", reply.detail


def test_reply_carrying_a_corrected_report_is_version_two(robot_env, mailbox, smtp_server, school):
    """GIVEN a school's report acknowledged as version 1
    WHEN the school answers the acknowledgement from Outlook with the corrected workbook attached
    (figure 05 changed) above the quoted acknowledgement
    THEN the corrected report is filed as version 2 with the new figure and acknowledged once."""
    ack = _acknowledged_report(robot_env, mailbox, smtp_server, school)
    corrected = filled_xlsx(robot_env.config.schema(), "thpt", COMPLETE | {"so_hssv_duoc_tt": 1300},
                            unit_name=school.name, period="Năm 2026")
    text = ("Kính gửi Sở,\nTrường xin gửi lại báo cáo đã sửa số học sinh được tuyên truyền (mã số 05).\n"
            "Trân trọng.")
    mailbox.append(outlook_reply(_clerk(school), text, ack, sent=REPLY_RECEIVED,
                                 files=[File("BC PCMD nam 2026 (sua lai).xlsx", corrected)]),
                   internaldate=REPLY_RECEIVED)

    assert robot_env.cli("poll", "--now", SECOND_POLL).exit_code == 0

    first, second = smtp_server.wait_for(2)
    sent = [m.parsed["Subject"] for m in smtp_server.messages]
    assert len(sent) == 2, sent
    assert second.parsed["X-Report-Robot"] == "ack"
    assert second.rcpt_tos == [school.emails[0]]
    row = _status_row(robot_env, school.code)
    assert (row["state"], row["version"], row["on_time"]) == ("complete", 2, True)
    assert row["values"]["so_hssv_duoc_tt"] == 1300
    assert dt.datetime.fromisoformat(row["received_at"]) == REPLY_RECEIVED
