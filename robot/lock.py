"""The single-instance lock of `robot run`: a row in the store, so it holds on SQLite and PostgreSQL alike.

Taken atomically (an UPDATE of an expired row, else an INSERT that the primary key lets only one
starter win), renewed by the holder well before it expires, released on a clean stop; a daemon
killed with -9 leaves a lock that the next one takes over once it has expired.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Callable

from sqlalchemy.engine import Engine

from robot.config import Config
from robot.errors import RobotError
from store import queries
from store.db import session as open_session



def lock_name(config: Config) -> str:
    """One daemon per mailbox: robots of several mailboxes may share a database."""
    return f"daemon:{config.mailbox.address}"


class LockHeld(RobotError):
    """Another daemon holds the lock on this database."""

    def __init__(self, holder: str, expires_at: dt.datetime) -> None:
        super().__init__(f"held by {holder} until {expires_at:%Y-%m-%d %H:%M:%S} UTC")
        self.holder, self.expires_at = holder, expires_at


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class InstanceLock:
    """This process's claim to be the one daemon on a database."""

    def __init__(self, engine: Engine, name: str, ttl_seconds: int,
                 clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.engine = engine
        self.name = name
        self.ttl = dt.timedelta(seconds=ttl_seconds)
        self.clock = clock
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def acquire(self) -> None:
        """Take the lock, or raise LockHeld naming the current holder."""
        now = self.clock()
        with open_session(self.engine) as session:
            if queries.take_lock(session, self.name, self.holder, now, now + self.ttl):
                return
            held = queries.lock_state(session, self.name)
        raise LockHeld(held.holder if held else "?", held.expires_at if held else now)

    def renew(self) -> bool:
        """Extend the lock; False when it was lost (it expired and another daemon took it)."""
        now = self.clock()
        with open_session(self.engine) as session:
            return queries.renew_lock(session, self.name, self.holder, now, now + self.ttl)

    def release(self) -> None:
        with open_session(self.engine) as session:
            queries.release_lock(session, self.name, self.holder)
