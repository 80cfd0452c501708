"""Intake attempts of messages that failed for a passing reason, and the outbox's Message-ID index.

The daemon's lock left the database (a PostgreSQL advisory lock, a file lock beside SQLite: both
die with their holder), so its table goes.

A reply in one of the robot's threads is recognised by its In-Reply-To/References naming a
Message-ID the robot sent, so the outbox is looked up by Message-ID.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intake_attempt",
        sa.Column("mailbox", sa.String(), nullable=False),
        sa.Column("folder", sa.String(), nullable=False),
        sa.Column("uidvalidity", sa.Integer(), nullable=False),
        sa.Column("uid", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("first_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(), nullable=False),
        sa.Column("alerted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("mailbox", "folder", "uidvalidity", "uid"),
    )
    op.create_index("ix_outbox_message_id", "outbox", ["message_id"])
    op.drop_table("daemon_lock")


def downgrade() -> None:
    op.create_table(
        "daemon_lock",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("holder", sa.String(), nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.drop_index("ix_outbox_message_id", "outbox")
    op.drop_table("intake_attempt")
