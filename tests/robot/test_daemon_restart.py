"""A daemon killed with SIGKILL leaves no lock behind: the next one starts at once and polls."""

from __future__ import annotations

import os
import signal

from tests.filling import filled_xlsx
from tests.robot.conftest import COMPLETE
from tests.robot.daemon_process import STARTUP_SECONDS, holder_of, wait_until_locked
from tests.robotenv import local, mail, parsed, write_config

POLL_SECONDS = 2


def test_a_daemon_killed_with_sigkill_is_replaced_at_once(tmp_path, mailbox, smtp_server, school):
    """GIVEN a running daemon WHEN it is killed with SIGKILL (no clean stop, no lock released)
    THEN a new daemon starts at once, holds the lock and acknowledges a report within one poll
    interval (the lock used to stay taken until it expired, 120 s by default)."""
    env = write_config(tmp_path / "daemon", mailbox, smtp_server,
                       daemon={"poll_minutes": POLL_SECONDS / 60, "log_file": "robot.log"})
    engine = env.engine()
    killed = env.subprocess("run")
    try:
        wait_until_locked(env, killed)
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait(timeout=STARTUP_SECONDS)
    finally:
        if killed.poll() is None:
            killed.kill()
    assert killed.returncode == -signal.SIGKILL

    successor = env.subprocess("run")
    try:
        wait_until_locked(env, successor)  # fails if it exits, as a daemon refused by the lock does
        report = mail(school.emails[0], "Báo cáo kết quả công tác phòng, chống mại dâm năm 2026",
                      [("bao-cao.xlsx", filled_xlsx(env.config.schema(), "thpt", COMPLETE))])
        mailbox.append(report, internaldate=local(2026, 11, 20, 9, 0))
        ack = smtp_server.wait_for_reply_to(parsed(report)["Message-ID"], timeout=POLL_SECONDS + 30)
    finally:
        successor.send_signal(signal.SIGTERM)
        _, stderr = successor.communicate(timeout=STARTUP_SECONDS)
    assert successor.returncode == 0, stderr.decode()
    assert ack.parsed["X-Report-Robot"] == "ack"
    assert holder_of(engine, env.config) is None
