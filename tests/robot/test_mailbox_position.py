"""Polling remembers where it stopped; a new UIDVALIDITY re-reads without answering twice."""

from __future__ import annotations

import yaml
from sqlmodel import select

from store.db import session
from store.tables import Message, PollState
from tests.filling import filled_xlsx
from tests.robot.conftest import COMPLETE
from tests.robotenv import RobotEnv, local, mail


def _report(robot_env, school) -> bytes:
    return mail(school.emails[0], "Báo cáo năm 2026",
                [("bc.xlsx", filled_xlsx(robot_env.config.schema(), "thpt", COMPLETE))])


def test_new_uidvalidity_rereads_but_answers_nothing_twice(robot_env, mailbox, smtp_server, school):
    mailbox.append(_report(robot_env, school), internaldate=local(2026, 11, 20, 9, 0))
    assert robot_env.cli("poll").exit_code == 0
    smtp_server.wait_for(1)

    mailbox.set_uidvalidity(4242)  # as after a server migration: every UID is new
    assert robot_env.cli("poll").exit_code == 0
    assert len(smtp_server.messages) == 1
    with session(robot_env.engine()) as db:
        outcomes = [m.outcome for m in db.exec(select(Message).order_by(Message.id))]
        state = db.exec(select(PollState)).one()
    assert outcomes == ["accepted", "duplicate"]
    assert (state.uidvalidity, state.last_uid) == (4242, 1)


def test_keyword_post_action_marks_processed_mail_after_the_commit(robot_env, mailbox, smtp_server, school):
    data = yaml.safe_load(robot_env.path.read_text(encoding="utf-8"))
    data["mailbox"]["imap"]["post_action"] = {"kind": "keyword", "value": "RobotProcessed"}
    robot_env.path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    env = RobotEnv(robot_env.path)
    uid = mailbox.append(_report(env, school), internaldate=local(2026, 11, 20, 9, 0))
    assert env.cli("poll").exit_code == 0
    flags = mailbox.flags(uid)
    assert "RobotProcessed" in flags
    assert "\\Seen" not in flags and "\\Deleted" not in flags


def test_unreachable_mailbox_exits_non_zero_and_is_recorded(robot_env, mailbox):
    data = yaml.safe_load(robot_env.path.read_text(encoding="utf-8"))
    data["mailbox"]["imap"]["port"] = 1  # nothing listens there
    robot_env.path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = robot_env.cli("poll")
    assert result.exit_code == 1
    assert "Không kết nối được hộp thư" in result.stderr
    with session(robot_env.engine()) as db:
        state = db.exec(select(PollState)).one()
    assert state.last_error
