"""The rate caps' counts are answered from an index, never by reading outbox rows (each holds a
whole mail, with the status and time stored past it): on deadline day a count through the table
read every reply of the day again for each new one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event

from robot.outbox import REPLY_KINDS
from store import queries
from store.db import open_engine, session

SINCE = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.timezone.utc)


def test_every_rate_cap_count_reads_a_covering_index(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'robot.db'}")
    asked: list[tuple[str, tuple]] = []

    def note(_conn, _cursor, statement, parameters, _context, _many) -> None:
        asked.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", note)
    with session(engine) as store:
        queries.replies_queued_since(store, "robot@so.example", REPLY_KINDS, SINCE, "truong@school.example")
        queries.replies_queued_since(store, "robot@so.example", REPLY_KINDS, SINCE)
        queries.answered_since(store, "robot@so.example", ("unknown-sender",), SINCE, "la@stranger.example")
    event.remove(engine, "before_cursor_execute", note)
    assert len(asked) == 3
    with engine.connect() as connection:
        for statement, parameters in asked:
            plan = [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
            assert any("USING COVERING INDEX" in step for step in plan), (statement, plan)
