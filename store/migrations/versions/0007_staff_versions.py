"""Report versions made by staff: a correction ("Sửa") or a report filed for a unit ("Nộp thay").

A submission made on a staff member's word links to the audited staff action that made it (who,
when, what changed and why); reports the robot read from a unit's mail have none.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submission") as batch:
        batch.add_column(sa.Column("staff_action_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_submission_staff_action", "staff_action", ["staff_action_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("submission") as batch:
        batch.drop_constraint("fk_submission_staff_action", type_="foreignkey")
        batch.drop_column("staff_action_id")
