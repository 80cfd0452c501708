"""Report programmes: what is filed, reminded and excused belongs to one programme.

The department's mailbox carries several report programmes (the plan of the first round, drug
prevention, school safety …), each with its own periods: a submission, a reminder step and an
excusal are now keyed by (programme, period). Existing rows are adopted into the programme of
the first round's config shape, ``default``; the period ids they carry are unchanged.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ADOPTED = "default"


def upgrade() -> None:
    with op.batch_alter_table("message") as batch:
        batch.add_column(sa.Column("programme", sa.String(), nullable=True))
    op.execute(sa.text("UPDATE message SET programme = :p WHERE period_id IS NOT NULL").bindparams(p=ADOPTED))
    for table in ("submission", "reminder_sent", "excusal"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("programme", sa.String(), nullable=False, server_default=ADOPTED))
    op.drop_index("ix_submission_scope", table_name="submission")
    op.create_index("ix_submission_scope", "submission", ["mailbox", "programme", "period_id", "unit_code"])
    op.drop_index("ix_excusal_scope", table_name="excusal")
    op.create_index("ix_excusal_scope", "excusal", ["mailbox", "programme", "period_id", "unit_code"])
    op.drop_index("ix_reminder_sent_period_id", table_name="reminder_sent")
    with op.batch_alter_table("reminder_sent") as batch:
        batch.drop_constraint("uq_reminder_sent_step", type_="unique")
        batch.create_unique_constraint("uq_reminder_sent_step", ["mailbox", "programme", "unit_code", "period_id", "step"])
    op.create_index("ix_reminder_sent_period_id", "reminder_sent", ["mailbox", "programme", "period_id"])


def downgrade() -> None:
    op.drop_index("ix_reminder_sent_period_id", table_name="reminder_sent")
    with op.batch_alter_table("reminder_sent") as batch:
        batch.drop_constraint("uq_reminder_sent_step", type_="unique")
        batch.create_unique_constraint("uq_reminder_sent_step", ["mailbox", "unit_code", "period_id", "step"])
    op.create_index("ix_reminder_sent_period_id", "reminder_sent", ["mailbox", "period_id"])
    op.drop_index("ix_excusal_scope", table_name="excusal")
    op.create_index("ix_excusal_scope", "excusal", ["mailbox", "period_id", "unit_code"])
    op.drop_index("ix_submission_scope", table_name="submission")
    op.create_index("ix_submission_scope", "submission", ["mailbox", "period_id", "unit_code"])
    for table in ("submission", "reminder_sent", "excusal", "message"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("programme")
