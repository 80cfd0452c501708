"""The schema as create_all made it before migrations existed: every table of the first releases.

Databases made by those releases have some or all of these tables and no alembic_version; this
revision creates only what is missing (tables, and the accepted_by/accepted_at columns that
create_all never added to an existing submission table), so it brings them and empty databases
alike to the same starting point.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(), nullable=nullable)


TABLES: dict[str, tuple] = {
    "poll_state": (
        _text("mailbox"), _text("folder"), sa.Column("uidvalidity", sa.Integer(), nullable=False),
        sa.Column("last_uid", sa.Integer(), nullable=False), _when("last_poll_at", True),
        _text("last_error", True), sa.PrimaryKeyConstraint("mailbox", "folder"),
    ),
    "message": (
        sa.Column("id", sa.Integer(), primary_key=True), _text("mailbox"), _text("folder"),
        sa.Column("uidvalidity", sa.Integer(), nullable=False),
        sa.Column("uid", sa.Integer(), nullable=False), _text("message_id"), _text("sha256"),
        _text("archive_path"), _text("sender"), _text("subject"), _when("received_at"),
        _when("processed_at"), _text("outcome"), _text("detail"), _text("unit_code", True),
        _text("period_id", True), sa.Column("attachments", sa.JSON(), nullable=False),
        sa.UniqueConstraint("mailbox", "folder", "uidvalidity", "uid"),
    ),
    "submission": (
        sa.Column("id", sa.Integer(), primary_key=True), _text("unit_code"), _text("period_id"),
        sa.Column("version", sa.Integer(), nullable=False), _text("state"),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("on_time", sa.Boolean(), nullable=False), _when("received_at"),
        sa.Column("message_pk", sa.Integer(), sa.ForeignKey("message.id"), nullable=False),
        _text("filename"), sa.Column("missing", sa.JSON(), nullable=False),
        sa.Column("invalid", sa.JSON(), nullable=False), sa.Column("problems", sa.JSON(), nullable=False),
        _text("accepted_by", True), _when("accepted_at", True),
    ),
    "submission_value": (
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("submission_id", sa.Integer(), sa.ForeignKey("submission.id"), nullable=False),
        _text("key"), sa.Column("value", sa.JSON(), nullable=True), _text("raw"), _text("source"),
        _text("error", True),
    ),
    "outbox": (
        sa.Column("id", sa.Integer(), primary_key=True), _text("kind"), _text("to_addr"),
        sa.Column("recipients", sa.JSON(), nullable=False), _text("subject"), _text("message_id"),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("message_pk", sa.Integer(), sa.ForeignKey("message.id"), nullable=True),
        _when("created_at"), _text("status"), sa.Column("attempts", sa.Integer(), nullable=False),
        _when("next_attempt_at"), _when("sent_at", True), _text("last_error", True),
    ),
    "reminder_sent": (
        sa.Column("id", sa.Integer(), primary_key=True), _text("unit_code"), _text("period_id"),
        _text("step"), _text("kind"), _when("sent_at"),
        sa.Column("outbox_id", sa.Integer(), sa.ForeignKey("outbox.id"), nullable=False),
        sa.UniqueConstraint("unit_code", "period_id", "step"),
    ),
    "daemon_lock": (
        _text("name"), _text("holder"), _when("acquired_at"), _when("heartbeat_at"), _when("expires_at"),
        sa.PrimaryKeyConstraint("name"),
    ),
}

INDEXES: dict[str, tuple[str, ...]] = {
    "message": ("mailbox", "message_id", "sha256", "sender", "outcome", "unit_code", "period_id"),
    "submission": ("unit_code", "period_id", "is_current"),
    "submission_value": ("submission_id",),
    "outbox": ("kind", "to_addr", "status"),
    "reminder_sent": ("unit_code", "period_id"),
}


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    existing = set(inspector.get_table_names())
    for name, columns in TABLES.items():
        if name not in existing:
            op.create_table(name, *columns)
            for column in INDEXES.get(name, ()):
                op.create_index(f"ix_{name}_{column}", name, [column])
    if "submission" in existing:
        have = {c["name"] for c in inspector.get_columns("submission")}
        with op.batch_alter_table("submission") as batch:
            if "accepted_by" not in have:
                batch.add_column(_text("accepted_by", True))
            if "accepted_at" not in have:
                batch.add_column(_when("accepted_at", True))

