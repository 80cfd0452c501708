"""Bringing a database to the current schema with the Alembic revisions in ``store/migrations``.

Every command opens the store through ``open_engine``, which calls ``upgrade_to_head``: a current
database costs two small queries; an older one (or one made by create_all before revisions
existed) is upgraded in place, keeping its data. Robots starting at once take turns: PostgreSQL
through an advisory lock held by the migrating transaction, SQLite through a lock on the file.
Alembic is imported only when there is something to do (it adds ~0.5 s to a cron `robot poll`).
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_ADVISORY_KEY = 0x7265706F7274  # "report": any constant shared by every robot on the server


def head_revision() -> str:
    """The newest revision: revisions form one line, each id the number its file name starts with."""
    return max(path.name.partition("_")[0] for path in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at; None for an empty one or one from before revisions."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade_to_head(engine: Engine) -> None:
    """Apply the revisions the database lacks."""
    with engine.connect() as connection:
        if current_revision(connection) == head_revision():
            return
    from alembic import command

    with _turn(engine), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_KEY})
        command.upgrade(alembic_config(connection), "head")


def alembic_config(connection: Connection | None = None):
    """Alembic's configuration for this package's revisions, running on ``connection``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@contextlib.contextmanager
def _turn(engine: Engine) -> Iterator[None]:
    """For a SQLite file, an exclusive flock on it (independent of SQLite's own fcntl locks)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with open(database, "rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
