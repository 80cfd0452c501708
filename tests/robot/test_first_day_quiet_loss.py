"""No quiet loss: a message the server cannot hand over, or the database cannot take, waits and is
taken in later — never skipped, never left as an error.

Issue 10, findings 9 and 13: a UID that could not be fetched was logged and skipped while the poll
position moved past it; a message whose intake failed because the database was locked for 45 s
was recorded `error` and never tried again — never filed, never answered.
"""

from __future__ import annotations

import email
import email.policy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from store.db import session
from store.tables import Message, PollState
from tests.filling import filled_xlsx
from tests.postgres import TEST_DB
from tests.realmail import File, Person, outlook
from tests.robot.conftest import COMPLETE
from tests.robotenv import local

RECEIVED = local(2026, 11, 17, 9, 0)
NOW = "2026-11-17T09:30:00+07:00"
LATER = "2026-11-17T09:35:00+07:00"
AN_HOUR_LATER = "2026-11-17T10:45:00+07:00"
AFTER_REPAIR = "2026-11-17T10:50:00+07:00"
LOCK_SECONDS = 45  # longer than the robot's SQLite busy timeout (30 s)

# Another program holding a write transaction on the robot's SQLite file (a backup tool, a
# database browser left open on a staff PC) for a while, then letting go.
_HOLD_WRITE_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=5)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("ROLLBACK")
"""


def _report_mail(robot_env, unit, received=RECEIVED) -> bytes:
    data = filled_xlsx(robot_env.config.schema(), "thpt", COMPLETE, unit_name=unit.name, period="Năm 2026")
    return outlook(Person("Văn thư", unit.emails[0]), f"Báo cáo PCMD cả năm 2026 - {unit.name}",
                   "Kính gửi Sở,\nTrường gửi báo cáo.\nTrân trọng.", sent=received,
                   files=[File("BC PCMD 2026.xlsx", data)])


def _states(robot_env, now: str) -> dict[str, dict]:
    rows = json.loads(robot_env.cli("status", "--period", "annual-2026", "--now", now, "--json").stdout)
    return {row["unit_code"]: row for row in rows}


def _maildir_file(mailbox, raw: bytes) -> Path:
    """The file Dovecot stores a message in, found by its Message-ID."""
    message_id = str(email.message_from_bytes(raw, policy=email.policy.default)["Message-ID"]).encode()
    maildir = mailbox.root / "mail" / mailbox.user / "Maildir"
    return next(path for folder in ("new", "cur") for path in (maildir / folder).iterdir()
                if message_id in path.read_bytes())


def test_message_the_server_cannot_hand_over_stops_the_poll_at_its_uid(robot_env, mailbox, smtp_server):
    """GIVEN three schools' reports in the mailbox, the middle one's stored file unreadable by the
    IMAP server (its FETCH ends in Dovecot's "Internal error occurred", as with a damaged or
    wrongly owned message file)
    WHEN the robot polls
    THEN the first report is taken in, and the poll stops at the unreadable one: it is not
    recorded as processed, the third is not taken in yet, and the poll position stays before it;
    WHEN it still cannot be fetched more than an hour later
    THEN staff (the digest recipients) are alerted;
    WHEN the file is readable again and the robot polls
    THEN the second and third reports are filed and each school has exactly one acknowledgement."""
    first, second, third = [u for u in robot_env.config.units if u.type == "thpt"][:3]
    assert robot_env.cli("poll", "--now", "2026-11-17T08:00:00+07:00").exit_code == 0  # first contact
    raws = {unit.code: _report_mail(robot_env, unit) for unit in (first, second, third)}
    uids = {code: mailbox.append(raw, internaldate=RECEIVED) for code, raw in raws.items()}
    damaged = _maildir_file(mailbox, raws[second.code])
    damaged.chmod(0)
    try:
        robot_env.cli("poll", "--now", NOW)  # exit code not specified for a mailbox fault

        assert [m.rcpt_tos for m in smtp_server.messages] == [[first.emails[0]]]
        with session(robot_env.engine()) as db:
            recorded = {m.uid: m.outcome for m in db.exec(select(Message))}
            (state,) = db.exec(select(PollState)).all()
        assert uids[second.code] not in recorded, recorded
        assert uids[third.code] not in recorded, recorded
        assert state.last_uid < uids[second.code]
        states = _states(robot_env, NOW)
        assert (states[second.code]["state"], states[third.code]["state"]) == ("missing", "missing")

        robot_env.cli("poll", "--now", AN_HOUR_LATER)

        alerts = smtp_server.messages[1:]
        assert [sorted(m.rcpt_tos) for m in alerts] == [sorted(robot_env.config.digest.recipients)]
        assert alerts[0].parsed["X-Report-Robot"]
    finally:
        for folder in ("new", "cur"):  # Dovecot may have moved it from new/ to cur/ meanwhile
            for path in (damaged.parent.parent / folder).iterdir():
                if path.stat().st_mode & 0o777 == 0:
                    path.chmod(0o600)

    assert robot_env.cli("poll", "--now", AFTER_REPAIR).exit_code == 0

    acks = [m for m in smtp_server.messages if m.parsed["X-Report-Robot"] == "ack"]
    assert sorted(address for m in acks for address in m.rcpt_tos) == sorted(u.emails[0] for u in (first, second, third))
    states = _states(robot_env, AFTER_REPAIR)
    assert {states[u.code]["state"] for u in (first, second, third)} == {"complete"}


@pytest.mark.skipif(TEST_DB == "postgresql", reason="SQLite's file lock; PostgreSQL has no such busy timeout")
def test_report_taken_in_while_the_database_is_locked_is_filed_on_a_later_poll(
        robot_env, mailbox, smtp_server, school):
    """GIVEN a school's report in the mailbox and another program holding a write transaction on
    the robot's SQLite database for 45 s (longer than the robot's busy timeout)
    WHEN `robot poll` runs during the lock
    THEN the report is not recorded as an error;
    WHEN the lock is released and the robot polls again
    THEN the report is filed complete and acknowledged exactly once."""
    assert robot_env.cli("poll", "--now", "2026-11-17T08:00:00+07:00").exit_code == 0  # first contact
    database = robot_env.config.database_url.removeprefix("sqlite:///")
    mailbox.append(_report_mail(robot_env, school), internaldate=RECEIVED)
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_WRITE_LOCK, database, str(LOCK_SECONDS)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"locked", holder.stderr.read().decode()
        poll = robot_env.subprocess("poll", "--now", NOW)
        poll.communicate(timeout=300)
    finally:
        holder.wait(timeout=LOCK_SECONDS + 30)

    with session(robot_env.engine()) as db:
        outcomes = [(m.uid, m.outcome, m.detail) for m in db.exec(select(Message))]
    assert not [o for o in outcomes if o[1] == "error"], outcomes

    assert robot_env.cli("poll", "--now", LATER).exit_code == 0

    acks = [(m.rcpt_tos, m.parsed["X-Report-Robot"]) for m in smtp_server.messages]
    assert acks == [([school.emails[0]], "ack")]
    row = _states(robot_env, LATER)[school.code]
    assert (row["state"], row["version"], row["on_time"]) == ("complete", 1, True)
