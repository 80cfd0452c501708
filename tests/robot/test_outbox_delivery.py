"""Replies wait in the outbox until the SMTP server takes them; failures are retried, then given up."""

from __future__ import annotations

import json

from sqlmodel import select

from robot.outbox import enqueue, flush
from store.db import session
from store.tables import Outbox
from tests.filling import filled_xlsx
from tests.robot.conftest import COMPLETE
from tests.robotenv import local, mail


def _outbox(robot_env) -> list[Outbox]:
    with session(robot_env.engine()) as db:
        return db.exec(select(Outbox)).all()


def _one_report(robot_env, mailbox, school) -> None:
    data = filled_xlsx(robot_env.config.schema(), "thpt", COMPLETE)
    mailbox.append(mail(school.emails[0], "Báo cáo năm 2026", [("bc.xlsx", data)]),
                   internaldate=local(2026, 11, 20, 9, 0))


def test_temporary_failure_is_retried_after_the_backoff(robot_env, mailbox, smtp_server, school):
    _one_report(robot_env, mailbox, school)
    smtp_server.fail_next(1, code=451)
    assert robot_env.cli("poll", "--now", "2026-11-20T10:00:00+07:00").exit_code == 0
    (row,) = _outbox(robot_env)
    assert (row.status, row.attempts) == ("pending", 1)
    assert "451" in row.last_error

    # Not yet due: the retry waits retry_base_seconds (1 s in tests).
    robot_env.cli("poll", "--now", "2026-11-20T10:00:00.5+07:00")
    assert smtp_server.messages == []
    robot_env.cli("poll", "--now", "2026-11-20T10:00:02+07:00")
    (delivered,) = smtp_server.wait_for(1)
    (row,) = _outbox(robot_env)
    assert (row.status, row.attempts) == ("sent", 2)
    assert delivered.raw == row.raw  # the stored bytes, exactly


def test_permanent_failure_is_given_up_and_kept(robot_env, mailbox, smtp_server, school):
    _one_report(robot_env, mailbox, school)
    smtp_server.fail_next(1, code=550, text="No such user")
    assert robot_env.cli("poll", "--now", "2026-11-20T10:00:00+07:00").exit_code == 0
    (row,) = _outbox(robot_env)
    assert row.status == "failed"
    assert "550" in row.last_error
    robot_env.cli("poll", "--now", "2026-11-21T10:00:00+07:00")
    assert smtp_server.messages == []
    # Staff see it against the unit: someone must phone the school.
    rows = json.loads(robot_env.cli("status", "--period", "annual-2026", "--json").stdout)
    (row,) = [r for r in rows if r["unit_code"] == school.code]
    assert [(m["kind"], m["to"]) for m in row["undeliverable"]] == [("ack", school.emails[0])]
    assert "550" in row["undeliverable"][0]["error"]
    assert all("undeliverable" not in r for r in rows if r["unit_code"] != school.code)


def test_smtp_server_down_keeps_replies_for_later(robot_env, mailbox, smtp_server, school):
    _one_report(robot_env, mailbox, school)
    smtp_server.stop()
    assert robot_env.cli("poll", "--now", "2026-11-20T10:00:00+07:00").exit_code == 0
    (row,) = _outbox(robot_env)
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error


def test_flush_sends_everything_due_not_just_one_batch(robot_env, smtp_server):
    config, engine = robot_env.config, robot_env.engine()
    now = local(2026, 11, 20, 9, 0)
    with session(engine) as db:
        for i in range(25):
            enqueue(db, config, kind="reminder", to=[f"unit{i}@school.example"], subject="Nhắc",
                    text="Nhắc nộp báo cáo", now=now, auto_submitted="auto-generated")
        db.commit()
    result = flush(config, engine, now, batch=10)
    assert result.sent == 25
    assert len(smtp_server.wait_for(25)) == 25


def test_the_outbox_files_the_message_id_the_school_will_answer_to(robot_env, mailbox, smtp_server, school):
    """A school's reply names the robot's mail by its Message-ID (In-Reply-To); the outbox row must
    carry exactly the one the mail went out with, or the reply is not seen as in the robot's thread."""
    _one_report(robot_env, mailbox, school)
    assert robot_env.cli("poll", "--now", "2026-11-20T10:00:00+07:00").exit_code == 0
    (row,) = _outbox(robot_env)
    (delivered,) = smtp_server.wait_for(1)
    assert row.message_id == delivered.parsed["Message-ID"] and row.message_id.endswith("@moet.edu.vn>")
