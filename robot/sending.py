"""Replies sent while a poll is still taking in mail: the outbox flushed on a thread of its own.

On deadline day a poll may take in a thousand reports; without this, the first school waited for
the last report to be read before its acknowledgement left. The sender looks at the outbox every
TICK and sends what the intake has committed, over one SMTP session, while the next messages are
read and recorded; the poll's closing flush sends whatever is left (and is the only one when the
sender met an error). Each mail is still taken, sent and marked in its own short transactions,
so a crash at any point resends at most the one mail on the wire, as a flush does.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from sqlalchemy.engine import Engine

from mailer.smtp import SmtpConnection
from robot.config import Config
from robot.outbox import FlushResult, send_due

log = logging.getLogger(__name__)

TICK = 0.25  # seconds between two looks at the outbox


class Sender:
    """``with Sender(...) as sender:`` sends due outbox mail in the background until the block ends."""

    def __init__(self, config: Config, engine: Engine, now: Callable[[], dt.datetime]) -> None:
        self.config, self.engine, self.now = config, engine, now
        self.result = FlushResult()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sender", daemon=True)

    def __enter__(self) -> Sender:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            with SmtpConnection(self.config.smtp_settings()) as smtp:
                while not self._done.wait(TICK):
                    if not send_due(self.config, self.engine, smtp, self.now(), self.result):
                        return  # the SMTP server is unreachable: the closing flush will say so
        except Exception:  # the store busy or gone: the closing flush sends what is left
            log.warning("sending during the poll stopped; the rest is sent at its end", exc_info=True)
