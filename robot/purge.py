"""`robot purge`: remove archived raw mail older than the retention period, keep the figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

from store.db import session as open_session
from store.db import to_db_time
from store.tables import Message


def purge_archive(engine: Engine, before: dt.datetime) -> int:
    """Delete the .eml of every message received before ``before``; return how many went."""
    removed = 0
    with open_session(engine) as session:
        old = session.exec(select(Message).where(
            Message.received_at < to_db_time(before), Message.archive_path != ""
        )).all()
        for message in old:
            path = Path(message.archive_path)
            # Identical mails share one content-addressed file: keep it while a newer one needs it.
            newer = session.exec(select(Message.id).where(
                Message.sha256 == message.sha256, Message.received_at >= to_db_time(before)
            )).first()
            if newer is None:
                path.unlink(missing_ok=True)
            message.archive_path = ""
            session.add(message)
            removed += 1
        session.commit()
    return removed
