"""Run `robot` in this process and SIGKILL it at a chosen point (used by test_crash_recovery).

Usage: python crash_runner.py POINT N -- ROBOT ARGS...
The process kills itself with SIGKILL on the Nth time execution reaches POINT.
"""

from __future__ import annotations

import functools
import itertools
import os
import signal
import sys

import mailer.smtp
import robot.intake
import robot.poll
from robot.cli import app

POINTS = {
    # after the raw mail is archived, before anything is decided
    "after-archive": (robot.intake, "archive_raw", "after"),
    # everything decided and flushed to the database, not yet committed
    "before-commit": (robot.intake, "_record", "after"),
    # a message committed, before the next one and before the outbox flush
    "after-commit": (robot.intake, "decide_and_record", "after"),
    # a reply about to go to SMTP
    "before-send": (mailer.smtp.SmtpConnection, "send", "before"),
    # a reply accepted by SMTP, not yet marked sent (the "one on the wire")
    "after-send": (mailer.smtp.SmtpConnection, "send", "after"),
}


def arm(point: str, nth: int) -> None:
    module, name, when = POINTS[point]
    original = getattr(module, name)
    calls = itertools.count(1)  # next() is atomic: each call, on whichever thread, gets its own number

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        call = next(calls)
        if when == "before" and call == nth:
            os.kill(os.getpid(), signal.SIGKILL)
        result = original(*args, **kwargs)
        if when == "after" and call == nth:
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(module, name, wrapper)


if __name__ == "__main__":
    point, nth, separator, *robot_args = sys.argv[1:]
    assert separator == "--"
    arm(point, int(nth))
    app(args=robot_args, prog_name="robot")
