"""A unit that sends its report again gets a new version that supersedes the last one."""

from __future__ import annotations

import json

from sqlmodel import select

from store.db import session
from store.tables import Submission
from tests.filling import filled_xlsx
from tests.robot.conftest import COMPLETE
from tests.robotenv import local, mail, text_of


def test_resubmission_becomes_version_two_and_keeps_history(robot_env, mailbox, smtp_server, school):
    schema = robot_env.config.schema()
    first = filled_xlsx(schema, "thpt", {k: v for k, v in COMPLETE.items() if k != "so_buoi_tt"})
    second = filled_xlsx(schema, "thpt", COMPLETE | {"so_buoi_tt": 20})
    mailbox.append(mail(school.emails[0], "Báo cáo năm 2026", [("bc.xlsx", first)]),
                   internaldate=local(2026, 11, 20, 9, 0))
    assert robot_env.cli("poll", "--now", "2026-11-20T10:00:00+07:00").exit_code == 0
    mailbox.append(mail(school.emails[0], "Re: Báo cáo năm 2026 (bổ sung)", [("bc-sua.xlsx", second)]),
                   internaldate=local(2026, 11, 21, 9, 0))
    assert robot_env.cli("poll", "--now", "2026-11-21T10:00:00+07:00").exit_code == 0

    replies = smtp_server.wait_for(2)
    assert [r.parsed["X-Report-Robot"] for r in replies] == ["incomplete", "ack"]
    assert "lần gửi thứ 2" in text_of(replies[1].parsed)

    rows = json.loads(robot_env.cli("status", "--period", "annual-2026", "--json").stdout)
    row = next(r for r in rows if r["unit_code"] == school.code)
    assert (row["state"], row["version"], row["values"]["so_buoi_tt"]) == ("complete", 2, 20)

    with session(robot_env.engine()) as db:
        history = db.exec(select(Submission).where(Submission.unit_code == school.code)
                          .order_by(Submission.version)).all()
    assert [(s.version, s.state, s.is_current) for s in history] == [
        (1, "incomplete", False), (2, "complete", True)]
