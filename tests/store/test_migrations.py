"""The schema comes from the Alembic revisions, on SQLite and PostgreSQL, and upgrading keeps the data."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel, select

from store.db import open_engine, session
from store.migrate import alembic_config, current_revision, head_revision, upgrade_to_head
from store.tables import Excusal, Message, Outbox, ReminderSent, Submission

NOW = dt.datetime(2026, 5, 20, 3, 0, tzinfo=dt.timezone.utc)


def _plain_engine(url: str) -> sa.Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return sa.create_engine(url)


def test_a_new_database_gets_exactly_the_schema_of_store_tables(empty_store_url):
    engine = open_engine(empty_store_url)
    with engine.connect() as connection:
        assert current_revision(connection) == head_revision()
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == [], "store/tables.py changed without a revision in store/migrations"


def test_the_head_read_from_file_names_is_alembics_head():
    from alembic.script import ScriptDirectory
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == head_revision()


def _legacy_database(url: str) -> None:
    """A database as create_all made it before revisions existed: tables, no alembic_version,
    and (older still) no accepted_by/accepted_at columns; one robot's data in it."""
    engine = _plain_engine(url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE alembic_version"))
        connection.execute(sa.text("ALTER TABLE submission DROP COLUMN accepted_by"))
        connection.execute(sa.text("ALTER TABLE submission DROP COLUMN accepted_at"))
        now = NOW.isoformat() if engine.dialect.name == "sqlite" else NOW
        connection.execute(sa.text(
            "INSERT INTO poll_state (mailbox, folder, uidvalidity, last_uid, last_poll_at) "
            "VALUES ('so@x.example', 'INBOX', 7, 1, :now)"), {"now": now})
        connection.execute(sa.text(
            "INSERT INTO message (id, mailbox, folder, uidvalidity, uid, message_id, sha256, archive_path, "
            "sender, subject, received_at, processed_at, outcome, detail, unit_code, period_id, attachments) "
            "VALUES (1, 'so@x.example', 'INBOX', 7, 1, '<m1@x>', 'ab', 'a.eml', 'thpt@x.example', 'BC', "
            ":now, :now, 'accepted', '', 'THPT-A', 'annual-2026', '[]')"), {"now": now})
        connection.execute(sa.text(
            "INSERT INTO submission (id, unit_code, period_id, version, state, is_current, on_time, "
            "received_at, message_pk, filename, missing, invalid, problems) VALUES "
            "(1, 'THPT-A', 'annual-2026', 1, 'complete', :yes, :yes, :now, 1, 'bc.xlsx', '[]', '[]', '[]')"),
            {"now": now, "yes": True})
        for pk, kind, message_pk in ((1, "ack", 1), (2, "reminder", None)):
            connection.execute(sa.text(
                "INSERT INTO outbox (id, kind, to_addr, recipients, subject, message_id, raw, message_pk, "
                "created_at, status, attempts, next_attempt_at) VALUES "
                "(:id, :kind, 'thpt@x.example', '[]', 's', '<o@x>', :raw, :message_pk, :now, 'sent', 1, :now)"),
                {"id": pk, "kind": kind, "raw": b"raw", "message_pk": message_pk, "now": now})
        connection.execute(sa.text(
            "INSERT INTO reminder_sent (id, unit_code, period_id, step, kind, sent_at, outbox_id) "
            "VALUES (1, 'THPT-B', 'annual-2026', 'before-7', 'reminder', :now, 2)"), {"now": now})
    engine.dispose()


def test_a_database_from_before_revisions_is_upgraded_in_place_keeping_its_data(empty_store_url):
    _legacy_database(empty_store_url)

    engine = open_engine(empty_store_url)

    with engine.connect() as connection:
        assert current_revision(connection) == head_revision()
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []
    with session(engine) as db:
        (submission,) = db.exec(select(Submission)).all()
        assert (submission.unit_code, submission.mailbox, submission.accepted_by) == ("THPT-A", "so@x.example", None)
        assert submission.programme == "default", "existing reports are adopted into the shipped programme"
        assert {o.kind: o.mailbox for o in db.exec(select(Outbox))} == {"ack": "so@x.example", "reminder": "so@x.example"}
        (reminder,) = db.exec(select(ReminderSent)).all()
        assert (reminder.mailbox, reminder.step, reminder.programme) == ("so@x.example", "before-7", "default")
        # New rows get fresh ids after the copied ones (PostgreSQL's sequence was moved past them).
        db.add(ReminderSent(mailbox="so@x.example", unit_code="THPT-B", programme="default", period_id="annual-2026",
                            step="before-3", kind="reminder", sent_at=NOW, outbox_id=2))
        db.commit()
        assert sorted(r.id for r in db.exec(select(ReminderSent))) == [1, 2]


def _database_of_the_previous_version(url: str) -> None:
    """A database at revision 0005 (before programmes) holding a message, two versions of a
    report, a reminder step and an excusal, as that version wrote them (ids from the sequences,
    except the rows others refer to)."""
    engine = _plain_engine(url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0005")
        now = NOW.isoformat() if engine.dialect.name == "sqlite" else NOW
        rows = {
            "message": [dict(id=1, mailbox="so@x.example", folder="INBOX", uidvalidity=7, uid=1, message_id="<m1@x>",
                             sha256="ab", archive_path="a.eml", sender="thpt@x.example", subject="BC",
                             received_at=now, processed_at=now, outcome="accepted", detail="",
                             unit_code="THPT-A", period_id="semiannual-2026", attachments="[]"),
                        dict(id=2, mailbox="so@x.example", folder="INBOX", uidvalidity=7, uid=2, message_id="<m2@x>",
                             sha256="cd", archive_path="b.eml", sender="ads@x.example", subject="Quảng cáo",
                             received_at=now, processed_at=now, outcome="not-for-robot", detail="",
                             unit_code=None, period_id=None, attachments="[]")],
            "submission": [dict(mailbox="so@x.example", unit_code="THPT-A", period_id="semiannual-2026",
                                version=i, state="complete", is_current=i == 2, on_time=True, received_at=now,
                                message_pk=1, filename="bc.xlsx", missing="[]", invalid="[]", problems="[]")
                           for i in (1, 2)],
            "outbox": [dict(id=1, mailbox="so@x.example", kind="reminder", to_addr="b@x.example", recipients="[]",
                            subject="s", message_id="<o@x>", raw=b"raw", created_at=now, status="sent",
                            attempts=1, next_attempt_at=now)],
            "reminder_sent": [dict(mailbox="so@x.example", unit_code="THPT-B", period_id="semiannual-2026",
                                   step="before-7", kind="reminder", sent_at=now, outbox_id=1)],
            "excusal": [dict(mailbox="so@x.example", unit_code="THPT-C", period_id="semiannual-2026",
                             reason="sáp nhập", by="Lan", at=now)],
        }
        for table, values in rows.items():
            for row in values:
                columns = ", ".join(row)
                connection.execute(sa.text(f"INSERT INTO {table} ({columns}) VALUES "
                                           f"({', '.join(':' + c for c in row)})"), row)
    engine.dispose()


def test_data_of_the_previous_version_is_adopted_into_the_shipped_programme(empty_store_url):
    """GIVEN a database written before programmes existed WHEN the robot opens it THEN every
    report, reminder step and excusal belongs to the programme ``default`` (the config shape of
    the first round), the mail about no period to none, and the reminder step stays unique per
    programme: the same step of another programme may be recorded beside it."""
    _database_of_the_previous_version(empty_store_url)

    engine = open_engine(empty_store_url)

    with engine.connect() as connection:
        assert current_revision(connection) == head_revision()
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []
    with session(engine) as db:
        assert {(s.version, s.programme, s.is_current) for s in db.exec(select(Submission))} == {
            (1, "default", False), (2, "default", True)}
        assert {m.id: m.programme for m in db.exec(select(Message))} == {1: "default", 2: None}
        assert [(e.unit_code, e.programme) for e in db.exec(select(Excusal))] == [("THPT-C", "default")]
        db.add(ReminderSent(mailbox="so@x.example", unit_code="THPT-B", programme="phong_chong_ma_tuy",
                            period_id="semiannual-2026", step="before-7", kind="reminder", sent_at=NOW, outbox_id=1))
        db.commit()
        assert sorted(r.programme for r in db.exec(select(ReminderSent))) == ["default", "phong_chong_ma_tuy"]
        db.add(ReminderSent(mailbox="so@x.example", unit_code="THPT-B", programme="default",
                            period_id="semiannual-2026", step="before-7", kind="reminder", sent_at=NOW, outbox_id=1))
        with pytest.raises(IntegrityError):
            db.commit()


def test_robots_starting_at_once_on_a_new_database_migrate_it_once(empty_store_url):
    engine = _plain_engine(empty_store_url)
    if engine.dialect.name == "sqlite":
        Path(engine.url.database).touch()  # open_engine creates the file before migrating
    errors: list[BaseException] = []

    def start() -> None:
        try:
            upgrade_to_head(engine)
        except BaseException as exc:  # noqa: BLE001  (collected for the assertion)
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with engine.connect() as connection:
        assert current_revision(connection) == head_revision()
