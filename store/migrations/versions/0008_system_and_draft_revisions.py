"""systems and flow versions carry a revision (their ETag)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 23:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ('systems', 'flow_versions'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('revision', sa.Integer(), nullable=False, server_default='1')
            )


def downgrade() -> None:
    for table in ('systems', 'flow_versions'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('revision')
