"""A flood of mail — a loop, a broken client, forged senders — gets a bounded number of replies."""

from __future__ import annotations

from collections import Counter

import yaml
from sqlmodel import select

from store.db import session
from store.tables import Message, Outbox
from tests.robotenv import RobotEnv, local, mail


def _flood(mailbox, sender: str, count: int) -> None:
    for i in range(count):
        mailbox.append(mail(sender, f"Báo cáo {i}", []), internaldate=local(2026, 11, 20, 9, 0))


def _outbox_statuses(env) -> Counter:
    with session(env.engine()) as db:
        return Counter(row.status for row in db.exec(select(Outbox)))


def test_fifty_mails_from_one_unit_get_three_replies(robot_env, mailbox, smtp_server, school):
    _flood(mailbox, school.emails[0], 50)
    assert robot_env.cli("poll", "--now", "2026-11-20T10:00:00+07:00").exit_code == 0
    assert len(smtp_server.messages) == 3
    assert _outbox_statuses(robot_env) == Counter(sent=3, suppressed=47)
    with session(robot_env.engine()) as db:
        assert len(db.exec(select(Message)).all()) == 50  # every mail is still recorded
    # The next day the unit can be answered again.
    _flood(mailbox, school.emails[0], 1)
    assert robot_env.cli("poll", "--now", "2026-11-21T10:30:00+07:00").exit_code == 0
    assert len(smtp_server.messages) == 4


def test_fifty_mails_from_a_stranger_get_one_reply(robot_env, mailbox, smtp_server):
    _flood(mailbox, "spoofed@elsewhere.example", 50)
    assert robot_env.cli("poll", "--now", "2026-11-20T10:00:00+07:00").exit_code == 0
    assert len(smtp_server.messages) == 1


def test_global_hourly_cap(robot_env, mailbox, smtp_server):
    data = yaml.safe_load(robot_env.path.read_text(encoding="utf-8"))
    data["replies"]["per_hour"] = 5
    robot_env.path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    env = RobotEnv(robot_env.path)
    for unit in env.config.units[:8]:
        _flood(mailbox, unit.emails[0], 1)
    assert env.cli("poll", "--now", "2026-11-20T10:00:00+07:00").exit_code == 0
    assert len(smtp_server.messages) == 5
    assert _outbox_statuses(env)["suppressed"] == 3
