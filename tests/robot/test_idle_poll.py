"""`robot poll` from cron with nothing new answers without loading the robot — and only then.

robot/idle_poll.py answers an idle poll with the standard library once a full poll has vouched
for the config and the database; everything else goes to the full poll (real processes, real
Dovecot and aiosmtpd).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
import yaml
from sqlmodel import select

from store.db import from_db_time, session
from store.tables import IntakeAttempt, PollState
from tests.filling import filled_xlsx
from tests.postgres import TEST_DB
from tests.robot.conftest import COMPLETE
from tests.robotenv import REPO, local, mail, write_config

IDLE = "Không có thư mới; không gửi thư nào."


def _poll(env) -> tuple[int, str, str, set[str]]:
    """A cron-like `python -m robot poll`: exit code, stdout, stderr, the modules it imported."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "robot", "--config", str(env.path), "poll"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    return done.returncode, done.stdout, done.stderr, imported


def _last_poll(env) -> dt.datetime:
    with session(env.engine()) as db:
        return from_db_time(db.exec(select(PollState)).one().last_poll_at)


@pytest.mark.skipif(TEST_DB == "postgresql", reason="the idle path reads SQLite only; PostgreSQL takes the full poll")
def test_an_idle_poll_after_a_full_one_loads_nothing_of_the_robot_and_still_beats(tmp_path, mailbox, smtp_server):
    """GIVEN a full poll has run (the first, which baselines the mailbox) WHEN cron polls again
    and nothing is new THEN it prints the idle line and records the poll's time without importing
    SQLAlchemy, pydantic, typer or the CLI."""
    robot_env = write_config(tmp_path / "robot", mailbox, smtp_server, first_poll="new-only")
    mailbox.append(mail("old@x.example", "Thư cũ", []), internaldate=local(2026, 11, 1, 9, 0))
    code, out, err, imported = _poll(robot_env)
    assert code == 0 and IDLE not in out, err  # the baseline, said in a table
    assert "sqlalchemy" in imported, "the first poll is a full one"
    first = _last_poll(robot_env)
    with session(robot_env.engine()) as db:  # a message that once failed and was taken in since
        db.add(IntakeAttempt(mailbox=robot_env.config.mailbox.address, folder="INBOX", uidvalidity=1, uid=1,
                             attempts=1, first_failed_at=first, last_failed_at=first, last_error="database is locked"))
        db.commit()

    code, out, err, imported = _poll(robot_env)

    assert (code, out.strip()) == (0, IDLE), err
    assert not imported & {"sqlalchemy", "sqlmodel", "pydantic", "typer", "robot.cli", "robot.poll"}
    assert "poll finished" in err
    assert _last_poll(robot_env) > first


def test_a_config_edited_since_is_checked_by_the_full_poll(robot_env):
    """GIVEN a full poll has run WHEN the admin breaks config.yaml THEN the next poll does not
    answer idle: it reports the mistake and exits 2, as before."""
    assert _poll(robot_env)[0] == 0
    data = yaml.safe_load(robot_env.path.read_text(encoding="utf-8"))
    data["units"][0]["type"] = "truong_khong_co"
    robot_env.path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    code, out, err, _ = _poll(robot_env)

    assert code == 2 and IDLE not in out
    assert "units.0.type: unknown unit type 'truong_khong_co'" in err


def test_new_mail_is_taken_in_by_the_full_poll(robot_env, mailbox, smtp_server, school):
    """GIVEN an idle-vouched robot WHEN a report arrives THEN the next poll takes it in and
    acknowledges it (the idle path saw UIDNEXT move and handed over)."""
    assert _poll(robot_env)[0] == 0
    report = filled_xlsx(robot_env.config.schema(), "thpt", COMPLETE)
    mailbox.append(mail(school.emails[0], "Báo cáo năm 2026", [("bc.xlsx", report)]),
                   internaldate=local(2026, 11, 20, 9, 0))

    code, out, err, imported = _poll(robot_env)

    assert code == 0, err
    assert "robot.intake" in imported and IDLE not in out
    (ack,) = smtp_server.wait_for(1)
    assert ack.parsed["X-Report-Robot"] == "ack"
