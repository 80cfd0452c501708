"""Engine and sessions. SQLite is the embedded default; any SQLAlchemy URL works.

SQLAlchemy is imported by the functions that need it, so the time conversions below cost
nothing to import (the CLI's tables use them; SQLAlchemy alone takes ~0.5 s to load).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session


def open_engine(url: str) -> Engine:
    """Create the engine (and the SQLite file's folder) and bring the schema up to date."""
    from sqlalchemy import event
    from sqlmodel import create_engine

    from store.migrate import upgrade_to_head

    sqlite_file = None
    if url.startswith("sqlite:///") and ":memory:" not in url:
        sqlite_file = Path(url.removeprefix("sqlite:///"))
        sqlite_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        sqlite_file.touch(mode=0o600, exist_ok=True)  # reports are personal data: owner only
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    upgrade_to_head(engine)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets `robot status` read while a poll writes; synchronous=FULL keeps commits durable
    # across a power cut or kill -9, which the crash-safety promise relies on.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def session(engine: Engine) -> Session:
    from sqlmodel import Session

    return Session(engine, expire_on_commit=False)


def to_db_time(moment: dt.datetime) -> dt.datetime:
    """The form every datetime column takes: aware, in UTC (sqlmodel refuses naive ones)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given; the robot only handles aware datetimes")
    return moment.astimezone(dt.timezone.utc)


def from_db_time(moment: dt.datetime | None) -> dt.datetime | None:
    """A datetime column's value, aware in UTC whatever the database kept."""
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment
