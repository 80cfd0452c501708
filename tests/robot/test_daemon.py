"""`robot run`: answers new mail within a poll interval, one daemon per mailbox, clean stop, outage alert."""

from __future__ import annotations

import datetime as dt
import signal

import pytest
import yaml
from sqlmodel import select

from robot.daemon import Daemon
from robot.lock import InstanceLock, LockHeld, lock_holder, lock_name
from store.db import session
from store.tables import Outbox
from tests.filling import filled_xlsx
from tests.robot.conftest import COMPLETE
from tests.robot.daemon_process import holder_of, wait_until_locked
from tests.robotenv import local, mail, parsed, write_config
from tests.servers import free_ports

POLL_SECONDS = 2


@pytest.fixture
def daemon_env(tmp_path, mailbox, smtp_server):
    return write_config(tmp_path / "daemon", mailbox, smtp_server,
                        daemon={"poll_minutes": POLL_SECONDS / 60, "lock_seconds": 30, "log_file": "robot.log"})


def test_daemon_answers_refuses_a_second_and_stops_on_sigterm(daemon_env, mailbox, smtp_server, school):
    """GIVEN a running daemon WHEN a report arrives THEN it is acknowledged within one poll
    interval; a second daemon on the same database refuses to start; SIGTERM stops the first
    with exit code 0 and releases the lock."""
    engine = daemon_env.engine()
    daemon = daemon_env.subprocess("run")
    try:
        wait_until_locked(daemon_env, daemon)
        data = filled_xlsx(daemon_env.config.schema(), "thpt", COMPLETE)
        report = mail(school.emails[0], "Báo cáo 6 tháng đầu năm 2026", [("bc.xlsx", data)])
        mailbox.append(report, internaldate=local(2026, 5, 20, 9, 0))
        reply = smtp_server.wait_for_reply_to(parsed(report)["Message-ID"], timeout=POLL_SECONDS + 10)
        assert reply.parsed["X-Report-Robot"] == "ack"

        second = daemon_env.subprocess("run")
        _, stderr = second.communicate(timeout=60)
        refusal = " ".join(stderr.decode().split())  # as rich wrapped it
        assert second.returncode == 3
        assert "Một rô-bốt khác đang chạy" in refusal
        assert f"process {daemon.pid} on" in refusal, "the refusal names the holder"
        assert holder_of(engine, daemon_env.config).pid == daemon.pid
    finally:
        daemon.send_signal(signal.SIGTERM)
        _, stderr = daemon.communicate(timeout=60)
    assert daemon.returncode == 0, stderr.decode()
    assert holder_of(engine, daemon_env.config) is None
    log = (daemon_env.path.parent / "robot.log").read_text(encoding="utf-8")
    assert "daemon started" in log and "daemon stopped" in log
    assert mailbox.password not in log


def test_one_lock_per_mailbox_named_by_its_holder(robot_env):
    """GIVEN a daemon lock held WHEN a second daemon of the same mailbox tries THEN it is refused
    and told who holds it; the robot of another mailbox on the same database runs beside it; once
    released the lock is free (on SQLite and PostgreSQL alike)."""
    engine = robot_env.engine()
    first = InstanceLock(engine, "daemon:a@x.example", check_seconds=60)
    second = InstanceLock(engine, "daemon:a@x.example", check_seconds=60)
    other_mailbox = InstanceLock(engine, "daemon:b@x.example", check_seconds=60)
    first.acquire()
    try:
        with pytest.raises(LockHeld) as refused:
            second.acquire()
        assert refused.value.holder == first.holder
        other_mailbox.acquire()
        assert first.still_held() and other_mailbox.still_held()
        with session(engine) as db:
            assert lock_holder(db, "daemon:a@x.example") == first.holder
            assert lock_holder(db, "daemon:c@x.example") is None
    finally:
        first.release()
        other_mailbox.release()
    with session(engine) as db:
        assert lock_holder(db, "daemon:a@x.example") is None
    second.acquire()
    second.release()


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
