"""The digital signature of a filed report: who signed the PDF, when, and whether it holds.

A signed PDF's signature as validated (signer's CN, O and email, signing time, intact, trusted,
changed after signing, and the figures the change showed) is kept with its submission, for
`status --json` and the digest; unsigned reports leave it empty.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submission") as batch:
        batch.add_column(sa.Column("signature", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("submission") as batch:
        batch.drop_column("signature")
