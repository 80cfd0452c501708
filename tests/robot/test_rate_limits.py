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
        mailbox.append(mail(sender, f"Báo cáo PCMD {i}", []), internaldate=local(2026, 11, 20, 9, 0))


def _outbox_statuses(env) -> Counter:
    with session(env.engine()) as db:
        return Counter(row.status for row in db.exec(select(Outbox)))


def test_fifty_mails_from_one_unit_get_three_replies(robot_env, mailbox, smtp_server, school):
    """GIVEN a unit's client looping 50 mails WHEN polled THEN 3 answers go out, the newest
    held-back one waits for the next day (the 46 older ones it replaces are superseded)."""
    _flood(mailbox, school.emails[0], 50)
    assert robot_env.cli("poll", "--now", "2026-11-20T10:00:00+07:00").exit_code == 0
    assert len(smtp_server.messages) == 3
    assert _outbox_statuses(robot_env) == Counter(sent=3, deferred=1, superseded=46)
    with session(robot_env.engine()) as db:
        assert len(db.exec(select(Message)).all()) == 50  # every mail is still recorded
    # The next day the held-back answer and the answer to a new mail go out.
    _flood(mailbox, school.emails[0], 1)
    assert robot_env.cli("poll", "--now", "2026-11-21T10:30:00+07:00").exit_code == 0
    assert len(smtp_server.messages) == 5
    assert _outbox_statuses(robot_env) == Counter(sent=5, superseded=46)


def test_fifty_mails_from_a_stranger_get_one_reply(robot_env, mailbox, smtp_server):
    _flood(mailbox, "spoofed@elsewhere.example", 50)
    assert robot_env.cli("poll", "--now", "2026-11-20T10:00:00+07:00").exit_code == 0
    assert len(smtp_server.messages) == 1


def _hourly_cap(robot_env, per_hour: int) -> RobotEnv:
    data = yaml.safe_load(robot_env.path.read_text(encoding="utf-8"))
    data["replies"]["per_hour"] = per_hour
    robot_env.path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return RobotEnv(robot_env.path)


def test_global_hourly_cap_defers_answers_to_strangers(robot_env, mailbox, smtp_server):
    """GIVEN 8 unregistered senders and a cap of 5 replies an hour WHEN polled THEN 5 answers go
    out and 3 wait; an hour later they are sent, never dropped."""
    env = _hourly_cap(robot_env, 5)
    for i in range(8):
        _flood(mailbox, f"clerk{i}@gmail.example", 1)
    assert env.cli("poll", "--now", "2026-11-20T10:00:00+07:00").exit_code == 0
    assert len(smtp_server.messages) == 5
    assert _outbox_statuses(env) == Counter(sent=5, deferred=3)
    assert env.cli("poll", "--now", "2026-11-20T11:01:00+07:00").exit_code == 0
    assert len(smtp_server.messages) == 8
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == [f"clerk{i}@gmail.example" for i in range(8)]


def test_global_hourly_cap_never_holds_back_registered_units(robot_env, mailbox, smtp_server):
    """GIVEN 8 registered units' mail and a cap of 5 replies an hour WHEN polled THEN each unit
    is answered at once: the hourly cap guards against floods to strangers only."""
    env = _hourly_cap(robot_env, 5)
    for unit in env.config.units[:8]:
        _flood(mailbox, unit.emails[0], 1)
    assert env.cli("poll", "--now", "2026-11-20T10:00:00+07:00").exit_code == 0
    assert len(smtp_server.messages) == 8
    assert _outbox_statuses(env) == Counter(sent=8)
