"""kill -9 at any point of a poll loses no report and sends no second reply (but the one in flight)."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import select

from robot.outbox import SENDING_LEASE
from store.db import session
from store.tables import Message, Submission
from tests.filling import filled_xlsx
from tests.robot.conftest import COMPLETE
from tests.robotenv import REPO, local, mail

RUNNER = Path(__file__).with_name("crash_runner.py")


def _fill_mailbox(robot_env, mailbox, count: int) -> list[str]:
    config = robot_env.config
    schools = [u for u in config.units if u.type == "thpt"][:count]
    data = filled_xlsx(config.schema(), "thpt", COMPLETE)
    for school in schools:
        mailbox.append(mail(school.emails[0], "Báo cáo công tác phòng, chống mại dâm năm 2026", [("bc.xlsx", data)]),
                       internaldate=local(2026, 11, 20, 9, 0))
    return [s.code for s in schools]


@pytest.mark.parametrize(("point", "nth", "in_flight"), [
    ("after-archive", 2, 0),
    ("before-commit", 2, 0),
    ("after-commit", 3, 0),
    ("before-send", 2, 0),
    ("after-send", 2, 1),
])
def test_kill_then_poll_again_loses_and_duplicates_nothing(robot_env, mailbox, smtp_server, point, nth, in_flight):
    units = _fill_mailbox(robot_env, mailbox, 4)
    crashed = subprocess.run(
        [sys.executable, str(RUNNER), point, str(nth), "--", "--config", str(robot_env.path), "poll"],
        cwd=REPO, capture_output=True, timeout=120,
    )
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr.decode()

    # A mail a killed flush had taken stays taken for its lease (two flushes never send it
    # both); the next poll after the lease sends it.
    after_lease = dt.datetime.now(dt.timezone.utc) + SENDING_LEASE + dt.timedelta(minutes=1)
    again = robot_env.cli("poll", "--now", after_lease.isoformat())
    assert again.exit_code == 0, again.output

    with session(robot_env.engine()) as db:
        messages = db.exec(select(Message)).all()
        submissions = db.exec(select(Submission)).all()
    assert sorted(m.uid for m in messages) == [1, 2, 3, 4]
    assert all(m.outcome == "accepted" for m in messages)
    assert sorted(s.unit_code for s in submissions) == sorted(units)
    assert all(s.version == 1 and s.is_current for s in submissions)

    replies = Counter(r.parsed["In-Reply-To"] for r in smtp_server.messages)
    assert len(replies) == 4, "every report is acknowledged"
    assert sum(replies.values()) - 4 == in_flight
