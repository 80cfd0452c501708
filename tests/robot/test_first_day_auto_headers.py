"""A registered unit's genuine report is filed even when it carries auto or list headers.

Issue 10, finding 8: a report with X-Auto-Response-Suppress (which Outlook sets on many ordinary
mails) or relayed through a list was neither filed nor shown to staff, and the unit then got
overdue reminders. Filing and answering are separate decisions: such a report is filed; it is
answered only when it is neither auto-submitted nor list mail.
"""

from __future__ import annotations

import json

from tests.filling import filled_xlsx
from tests.realmail import File, Person, mailman3_relay, outlook
from tests.robot.conftest import COMPLETE
from tests.robotenv import local

RECEIVED = local(2026, 11, 16, 15, 20)
NOW = "2026-11-16T16:00:00+07:00"


def _status_row(robot_env, unit_code: str) -> dict:
    rows = json.loads(robot_env.cli("status", "--period", "annual-2026", "--now", NOW, "--json").stdout)
    return next(row for row in rows if row["unit_code"] == unit_code)


def test_report_with_x_auto_response_suppress_is_filed(robot_env, mailbox, smtp_server, school):
    """GIVEN a robot that has made first contact with the mailbox
    WHEN a registered school's complete report arrives from Outlook with
    "X-Auto-Response-Suppress: All"
    THEN it is filed: complete, version 1, on time, with its figures."""
    report = filled_xlsx(robot_env.config.schema(), "thpt", COMPLETE, unit_name=school.name, period="Năm 2026")
    assert robot_env.cli("poll", "--now", "2026-11-16T08:00:00+07:00").exit_code == 0  # first contact
    mailbox.append(outlook(Person("Nguyễn Thị Lan", school.emails[0]), "Báo cáo năm 2026 - phòng, chống mại dâm",
                           "Kính gửi Sở,\nTrường gửi báo cáo năm 2026.\nTrân trọng.", sent=RECEIVED,
                           files=[File("Bao cao PCMD 2026.xlsx", report)],
                           extra_headers=[("X-Auto-Response-Suppress", "All")]),
                   internaldate=RECEIVED)

    assert robot_env.cli("poll", "--now", NOW).exit_code == 0

    row = _status_row(robot_env, school.code)
    assert (row["state"], row["version"], row["on_time"]) == ("complete", 1, True)
    assert row["values"] == COMPLETE


def test_report_relayed_by_a_list_is_filed_but_not_answered(robot_env, mailbox, smtp_server, school):
    """GIVEN a robot that has made first contact with the mailbox
    WHEN a registered school's complete report reaches the mailbox through the principals' Mailman 3
    list (From kept; List-Id, List-Unsubscribe, Precedence: list)
    THEN it is filed complete, and no reply goes back (it would go to the whole list's thread)."""
    report = filled_xlsx(robot_env.config.schema(), "thpt", COMPLETE, unit_name=school.name, period="Năm 2026")
    assert robot_env.cli("poll", "--now", "2026-11-16T08:00:00+07:00").exit_code == 0  # first contact
    mailbox.append(mailman3_relay("hieutruong@lists.longan.edu.example", Person("Nguyễn Thị Lan", school.emails[0]),
                                  "Báo cáo năm 2026 - phòng, chống mại dâm",
                                  "Kính gửi Sở,\nTrường gửi báo cáo năm 2026.\nTrân trọng.", sent=RECEIVED,
                                  files=[File("Bao cao PCMD 2026.xlsx", report)]),
                   internaldate=RECEIVED)

    assert robot_env.cli("poll", "--now", NOW).exit_code == 0

    row = _status_row(robot_env, school.code)
    assert (row["state"], row["version"], row["on_time"]) == ("complete", 1, True)
    assert [m.rcpt_tos for m in smtp_server.messages] == []
