"""`robot run`: answers new mail within a poll interval, one daemon per database, clean stop, outage alert."""

from __future__ import annotations

import datetime as dt
import signal
import time

import pytest
import yaml
from sqlmodel import select

from robot.daemon import Daemon
from robot.lock import InstanceLock, LockHeld, lock_name
from store.db import open_engine, session
from store.tables import DaemonLock, Outbox
from tests.filling import filled_xlsx
from tests.robot.conftest import COMPLETE
from tests.robotenv import local, mail, write_config
from tests.servers import free_ports

POLL_SECONDS = 2


def _lock_rows(env) -> list[DaemonLock]:
    with session(env.engine()) as db:
        return db.exec(select(DaemonLock)).all()


def _wait_until_locked(env, daemon) -> None:
    deadline = time.monotonic() + 60
    while not _lock_rows(env):
        assert daemon.poll() is None, daemon.stderr.read().decode()
        assert time.monotonic() < deadline, "the daemon did not start"
        time.sleep(0.05)


@pytest.fixture
def daemon_env(tmp_path, mailbox, smtp_server):
    return write_config(tmp_path / "daemon", mailbox, smtp_server,
                        daemon={"poll_minutes": POLL_SECONDS / 60, "lock_seconds": 30, "log_file": "robot.log"})


def test_daemon_answers_refuses_a_second_and_stops_on_sigterm(daemon_env, mailbox, smtp_server, school):
    """GIVEN a running daemon WHEN a report arrives THEN it is acknowledged within one poll
    interval; a second daemon on the same database refuses to start; SIGTERM stops the first
    with exit code 0 and releases the lock."""
    daemon = daemon_env.subprocess("run")
    try:
        _wait_until_locked(daemon_env, daemon)
        data = filled_xlsx(daemon_env.config.schema(), "thpt", COMPLETE)
        mailbox.append(mail(school.emails[0], "Báo cáo 6 tháng đầu năm 2026", [("bc.xlsx", data)]),
                       internaldate=local(2026, 5, 20, 9, 0))
        (reply,) = smtp_server.wait_for(1, timeout=POLL_SECONDS + 10)
        assert reply.parsed["X-Report-Robot"] == "ack"

        second = daemon_env.subprocess("run")
        _, stderr = second.communicate(timeout=60)
        assert second.returncode == 3
        assert "Một rô-bốt khác đang chạy" in stderr.decode()
        assert len(_lock_rows(daemon_env)) == 1
    finally:
        daemon.send_signal(signal.SIGTERM)
        _, stderr = daemon.communicate(timeout=60)
    assert daemon.returncode == 0, stderr.decode()
    assert _lock_rows(daemon_env) == []
    log = (daemon_env.path.parent / "robot.log").read_text(encoding="utf-8")
    assert "daemon started" in log and "daemon stopped" in log
    assert mailbox.password not in log


def test_stale_lock_of_a_killed_daemon_is_taken_over(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'robot.db'}")
    moment = {"now": dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc)}
    first = InstanceLock(engine, "daemon:a@x.example", ttl_seconds=60, clock=lambda: moment["now"])
    second = InstanceLock(engine, "daemon:a@x.example", ttl_seconds=60, clock=lambda: moment["now"])
    other_mailbox = InstanceLock(engine, "daemon:b@x.example", ttl_seconds=60, clock=lambda: moment["now"])
    first.acquire()
    with pytest.raises(LockHeld):
        second.acquire()
    other_mailbox.acquire()  # the robot of another mailbox on the same database runs beside it
    moment["now"] += dt.timedelta(seconds=59)
    assert first.renew()
    moment["now"] += dt.timedelta(seconds=61)  # the first stopped renewing (killed)
    second.acquire()
    assert not first.renew(), "the old holder learns it lost the lock"
    first.release()  # releasing a lost lock leaves the new holder's alone
    with pytest.raises(LockHeld):
        first.acquire()


def test_unreachable_mailbox_backs_off_and_alerts_staff_once(tmp_path, mailbox, smtp_server):
    env = write_config(tmp_path / "outage", mailbox, smtp_server,
                       daemon={"poll_minutes": 5, "max_backoff_minutes": 30, "mailbox_alert_minutes": 60})
    data = yaml.safe_load(env.path.read_text(encoding="utf-8"))
    data["mailbox"]["imap"]["port"] = free_ports(1)[0]  # nothing listens there
    env.path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    config, engine = env.config, env.engine()
    moment = {"now": local(2026, 5, 4, 9, 0)}
    robot = Daemon(config, engine, InstanceLock(engine, lock_name(config), 120), now=lambda: moment["now"])

    robot.poll_job()
    assert robot.watch.retry_at == moment["now"] + dt.timedelta(minutes=5)
    moment["now"] += dt.timedelta(minutes=1)
    robot.poll_job()  # inside the backoff: not even tried
    assert robot.watch.failures == 1
    for _ in range(6):
        moment["now"] = robot.watch.retry_at
        robot.poll_job()
    assert robot.watch.retry_at - moment["now"] == dt.timedelta(minutes=30), "the backoff is capped"
    assert moment["now"] - local(2026, 5, 4, 9, 0) >= dt.timedelta(minutes=60)

    (alert,) = smtp_server.wait_for(1)
    assert sorted(alert.rcpt_tos) == sorted(config.digest.recipients)
    assert alert.parsed["X-Report-Robot"] == "escalation"
    moment["now"] = robot.watch.retry_at
    robot.poll_job()
    with session(engine) as db:
        assert len(db.exec(select(Outbox).where(Outbox.kind == "escalation")).all()) == 1, "once per outage"
