"""The single-instance lock of `robot run`, held by the operating system so that it dies with its holder.

On PostgreSQL it is a session-level advisory lock on a connection the daemon keeps open; on
SQLite an flock on a file beside the database. Either is freed the moment its holder dies (kill
-9, a crash, a dead machine's connection closing), so a restarted daemon works at once instead
of waiting for a lock row to expire. One lock per mailbox: robots of several mailboxes may share
a database.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import re
import socket
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from robot.config import Config
from robot.errors import RobotError

_SINCE_FORMAT = "%Y%m%dT%H%M%SZ"
_HOLDER_TEXT = re.compile(r"(\d{8}T\d{6}Z) (\d+)@(\S*)\s*")
_UNSAFE_IN_FILE_NAME = re.compile(r"[^\w@.-]")
# pg_locks shows a bigint advisory key as two oids: classid (its high half) and objid (its low half).
_HOLDER_QUERY = text("""
    SELECT a.application_name FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
      AND l.classid::bigint * 4294967296 + l.objid::bigint = :key
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
""")
_MINE_QUERY = text("""
    SELECT count(*) FROM pg_locks
    WHERE locktype = 'advisory' AND granted AND objsubid = 1
      AND classid::bigint * 4294967296 + objid::bigint = :key AND pid = pg_backend_pid()
""")


def lock_name(config: Config) -> str:
    """One daemon per mailbox: robots of several mailboxes may share a database."""
    return f"daemon:{config.mailbox.address}"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class Holder:
    """The daemon holding a lock: its process id, its machine and since when (UTC, to the second)."""

    pid: int
    host: str
    since: dt.datetime

    def as_text(self) -> str:
        """The form kept in the lock file and in the PostgreSQL connection's application_name."""
        return f"{self.since.astimezone(dt.timezone.utc):{_SINCE_FORMAT}} {self.pid}@{self.host}"

    @classmethod
    def from_text(cls, value: str) -> Holder | None:
        """``as_text`` read back; None for anything else (an empty lock file)."""
        match = _HOLDER_TEXT.fullmatch(value)
        if match is None:
            return None
        since = dt.datetime.strptime(match[1], _SINCE_FORMAT).replace(tzinfo=dt.timezone.utc)
        return cls(int(match[2]), match[3], since)

    def __str__(self) -> str:
        return f"process {self.pid} on {self.host} since {self.since:%Y-%m-%d %H:%M:%S} UTC"


class LockHeld(RobotError):
    """Another daemon holds the lock."""

    def __init__(self, holder: Holder | None) -> None:
        super().__init__(f"held by {holder}" if holder else "held by another process")
        self.holder = holder


class InstanceLock:
    """This process's claim to be the one daemon of a mailbox on a database.

    ``check_seconds`` is how often the daemon makes sure it still holds it: a PostgreSQL
    connection can drop (and the check keeps an idle one alive), a lock file can be deleted.
    """

    def __init__(self, engine: Engine, name: str, check_seconds: float) -> None:
        self.check_seconds = check_seconds
        self.holder = Holder(os.getpid(), socket.gethostname(), utc_now().replace(microsecond=0))
        self._lock = _lock_for(engine, name)

    def acquire(self) -> None:
        """Take the lock, or raise LockHeld naming the current holder."""
        if not self._lock.take(self.holder):
            raise LockHeld(self._lock.holder())

    def still_held(self) -> bool:
        """False once the lock is lost: its connection dropped, or its file was deleted."""
        return self._lock.held()

    def release(self) -> None:
        self._lock.release()


def lock_holder(session: Session, name: str) -> Holder | None:
    """Who holds the lock now, read without taking it (for `robot status`)."""
    return _lock_for(session.get_bind(), name).holder()


def _lock_for(engine: Engine, name: str) -> _AdvisoryLock | _FileLock:
    dialect = engine.dialect.name
    if dialect == "postgresql":
        return _AdvisoryLock(engine, name)
    if dialect == "sqlite":
        # robot.db.daemon-phongcttt@so.edu.vn.lock beside robot.db
        return _FileLock(Path(f"{engine.url.database}.{_UNSAFE_IN_FILE_NAME.sub('-', name)}.lock"))
    raise RobotError(f"robot run needs SQLite or PostgreSQL, not {dialect}")


class _AdvisoryLock:
    """A PostgreSQL session-level advisory lock on a connection kept open for the daemon's life."""

    def __init__(self, engine: Engine, name: str) -> None:
        self.engine = engine
        # pg_try_advisory_lock takes a bigint: the first 63 bits of the name's SHA-256.
        self.key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") >> 1
        self._connection: Connection | None = None

    def take(self, holder: Holder) -> bool:
        # An engine without a pool, so that closing the connection ends the session and frees
        # the lock; the holder's name goes in application_name, where `robot status` reads it.
        own = create_engine(self.engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT",
                            connect_args={"application_name": f"robot {holder.as_text()}"})
        connection = own.connect()
        if connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}).scalar_one():
            self._connection = connection
            return True
        connection.close()
        return False

    def held(self) -> bool:
        if self._connection is None:
            return False
        try:
            return bool(self._connection.execute(_MINE_QUERY, {"key": self.key}).scalar_one())
        except DBAPIError:  # the connection is gone, and the lock with it
            return False

    def release(self) -> None:
        if self._connection is None:
            return
        try:  # unlocked before closing: the server ends a closed session a moment later
            self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
        except DBAPIError:  # the connection is gone, and the lock with it
            pass
        finally:
            self._connection.close()
            self._connection = None

    def holder(self) -> Holder | None:
        with self.engine.connect() as connection:
            name = connection.execute(_HOLDER_QUERY, {"key": self.key}).scalar_one_or_none()
        return Holder.from_text(name.removeprefix("robot ")) if name else None


class _FileLock:
    """An flock on a file beside the SQLite database; the file names its holder while held."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def take(self, holder: Holder) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)  # owner only, like the database
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{holder.as_text()}\n".encode(), 0)
        self._fd = fd
        return True

    def held(self) -> bool:
        """Still the file at its path (a deleted file would let a second daemon lock a new one)."""
        if self._fd is None:
            return False
        try:
            here = os.stat(self.path)
        except FileNotFoundError:
            return False
        mine = os.fstat(self._fd)
        return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)  # emptied while still held, so no one reads a past holder
            os.close(self._fd)  # frees the flock
            self._fd = None

    def holder(self) -> Holder | None:
        try:
            file = open(self.path, "rb")
        except FileNotFoundError:
            return None
        with file:
            recorded = Holder.from_text(file.read().decode("utf-8", "replace"))
            if recorded is None:
                return None  # never taken, or released by a clean stop
            try:
                fcntl.flock(file, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return recorded
            return None  # its holder died without releasing it: the lock is free
