"""Several robots, one per mailbox, in one database: submissions, replies and reminders belong to a mailbox.

Existing rows get the mailbox of the message they answer, else the one mailbox the database has
polled (a database from before this revision served a single robot). The reminder key becomes
(mailbox, unit, period, step). Indexes for the outbox's due and rate-limit questions.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _only_mailbox(bind: sa.Connection) -> str:
    found = {row[0] for row in bind.execute(sa.text("SELECT DISTINCT mailbox FROM poll_state"))}
    found |= {row[0] for row in bind.execute(sa.text("SELECT DISTINCT mailbox FROM message"))}
    return found.pop() if len(found) == 1 else ""


def upgrade() -> None:
    bind = op.get_bind()
    only = _only_mailbox(bind)
    for table in ("submission", "outbox"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("mailbox", sa.String(), nullable=False, server_default=""))
        op.execute(sa.text(
            f"UPDATE {table} SET mailbox = COALESCE("
            f"(SELECT message.mailbox FROM message WHERE message.id = {table}.message_pk), :only)"
        ).bindparams(only=only))
    op.create_index("ix_submission_scope", "submission", ["mailbox", "period_id", "unit_code"])
    op.create_index("ix_outbox_due", "outbox", ["mailbox", "status", "next_attempt_at"])
    op.create_index("ix_outbox_created", "outbox", ["mailbox", "created_at"])

    op.create_table(
        "reminder_sent_new",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("mailbox", sa.String(), nullable=False),
        sa.Column("unit_code", sa.String(), nullable=False),
        sa.Column("period_id", sa.String(), nullable=False),
        sa.Column("step", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outbox_id", sa.Integer(), sa.ForeignKey("outbox.id"), nullable=False),
        sa.UniqueConstraint("mailbox", "unit_code", "period_id", "step", name="uq_reminder_sent_step"),
    )
    op.execute(sa.text(
        "INSERT INTO reminder_sent_new (id, mailbox, unit_code, period_id, step, kind, sent_at, outbox_id) "
        "SELECT r.id, COALESCE(o.mailbox, :only), r.unit_code, r.period_id, r.step, r.kind, r.sent_at, "
        "r.outbox_id FROM reminder_sent r LEFT JOIN outbox o ON o.id = r.outbox_id"
    ).bindparams(only=only))
    op.drop_table("reminder_sent")
    op.rename_table("reminder_sent_new", "reminder_sent")
    op.create_index("ix_reminder_sent_period_id", "reminder_sent", ["mailbox", "period_id"])
    if bind.dialect.name == "postgresql":  # ids were copied: move the sequence past them
        op.execute("SELECT setval(pg_get_serial_sequence('reminder_sent', 'id'), "
                   "COALESCE((SELECT MAX(id) FROM reminder_sent), 0) + 1, false)")

