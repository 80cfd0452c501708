"""Staff accept an unverified report on the record; old raw mail is purged, figures stay."""

from __future__ import annotations

import json

from sqlmodel import select

from store.db import session
from store.tables import Message, Submission
from tests.filling import filled_xlsx
from tests.robot.conftest import COMPLETE
from tests.robotenv import local, mail, parsed


def _row(env, unit_code: str) -> dict:
    rows = json.loads(env.cli("status", "--period", "annual-2026", "--json").stdout)
    return next(r for r in rows if r["unit_code"] == unit_code)


def test_accepting_an_unverified_report_files_it_with_who_and_when(robot_env, mailbox, smtp_server, school):
    data = filled_xlsx(robot_env.config.schema(), "thpt", COMPLETE, unit_name=school.name)
    raw = mail("clerk.home@gmail.example", "Báo cáo năm 2026", [("bc.xlsx", data)])
    mailbox.append(raw, internaldate=local(2026, 11, 20, 9, 0))
    assert robot_env.cli("poll", "--now", "2026-11-20T10:00:00+07:00").exit_code == 0
    assert _row(robot_env, school.code)["state"] == "unverified"

    message_id = parsed(raw)["Message-ID"]
    result = robot_env.cli("accept", message_id, "--by", "nguyenvana", "--now", "2026-11-21T08:00:00+07:00")
    assert result.exit_code == 0, result.output
    row = _row(robot_env, school.code)
    assert (row["state"], row["version"], row["on_time"]) == ("complete", 1, True)
    assert row["values"] == COMPLETE
    with session(robot_env.engine()) as db:
        current = db.exec(select(Submission).where(Submission.is_current == True)).one()  # noqa: E712
    assert current.accepted_by == "nguyenvana"
    assert current.accepted_at.isoformat().startswith("2026-11-21T01:00")

    again = robot_env.cli("accept", "<nope@example.org>")
    assert again.exit_code == 1


def test_purge_removes_old_raw_mail_and_keeps_the_figures(robot_env, mailbox, smtp_server, school):
    data = filled_xlsx(robot_env.config.schema(), "thpt", COMPLETE)
    mailbox.append(mail(school.emails[0], "Báo cáo 6 tháng", [("bc.xlsx", data)]),
                   internaldate=local(2026, 5, 20, 9, 0))
    mailbox.append(mail(school.emails[0], "Báo cáo năm 2026", [("bc.xlsx", data)]),
                   internaldate=local(2026, 11, 20, 9, 0))
    assert robot_env.cli("poll", "--now", "2026-11-20T10:00:00+07:00").exit_code == 0
    with session(robot_env.engine()) as db:
        old, new = db.exec(select(Message).order_by(Message.received_at)).all()

    assert robot_env.cli("purge", "--before", "2026-07-01").exit_code == 0
    with session(robot_env.engine()) as db:
        purged, kept = db.exec(select(Message).order_by(Message.received_at)).all()
    assert purged.archive_path == "" and not (robot_env.path.parent / old.archive_path).exists()
    assert kept.archive_path == new.archive_path and (robot_env.path.parent / new.archive_path).exists()
    rows = json.loads(robot_env.cli("status", "--period", "semiannual-2026", "--json").stdout)
    assert next(r for r in rows if r["unit_code"] == school.code)["values"] == COMPLETE
