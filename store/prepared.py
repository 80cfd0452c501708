"""Statements the intake runs for every message, built once and run on the session's connection.

Building a query from the mapped classes (``Message.uid == uid``…) and running it through the
ORM costs several times what SQLite takes to answer it; at a thousand reports a poll, that was
most of the recording. The statements here are built on first use with named parameters
(``bindparam``) and run as plain SQL in the caller's transaction. Objects the session holds are
written out first, so a statement sees what the ORM has added, as an ORM query would.

Parameters are named ``b_<column>``: SQLAlchemy keeps a column's own name for the values of an
UPDATE or INSERT, so a WHERE parameter may not share it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import insert

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Result
    from sqlmodel import Session

Build = TypeVar("Build", bound=Callable[..., Any])


def prepared(build: Build) -> Build:
    """Build the statement on first use and keep it (per argument, for one built per table)."""
    return functools.cache(build)  # type: ignore[return-value]


def connection(session: Session) -> Connection:
    """The session's connection, with what the session holds flushed to it."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    return session.connection()


def run(session: Session, statement: Any, **params: Any) -> Result:
    """Run a prepared statement with its named parameters in the session's transaction."""
    return connection(session).execute(statement, params)


def insert_row(session: Session, row: Any) -> int:
    """INSERT a table object's values (its key left to the database) and return the new key.

    The object is not added to the session: it keeps its values and gets its key, as the
    intake needs them, without the ORM's unit of work (change tracking, a flush per object).
    """
    model = type(row)
    return run(session, _insert(model), **{name: getattr(row, name) for name in _columns(model)}).scalar_one()


@prepared
def _columns(model: type) -> tuple[str, ...]:
    return tuple(column.name for column in model.__table__.columns if column.name != "id")


@prepared
def _insert(model: type):
    table = model.__table__
    return insert(table).returning(table.c.id)
