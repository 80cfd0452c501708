"""Rate caps counted from an index: the day's replies to one address, the hour's to anyone.

Before, every reply queued counted the day's outbox rows through the table, whose rows hold the
whole mail with the status and time past it: on deadline day each count read every earlier
reply of the day, a thousand mails deep. The indexes now hold every column the counts ask.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_outbox_created", table_name="outbox")
    op.create_index("ix_outbox_created", "outbox", ["mailbox", "created_at", "kind", "status"])
    op.create_index("ix_outbox_address", "outbox", ["mailbox", "to_addr", "created_at", "kind", "status"])


def downgrade() -> None:
    op.drop_index("ix_outbox_address", table_name="outbox")
    op.drop_index("ix_outbox_created", table_name="outbox")
    op.create_index("ix_outbox_created", "outbox", ["mailbox", "created_at"])
