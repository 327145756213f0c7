"""batch local steps

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 04:41:21.105909
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    with op.batch_alter_table('flow_versions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('batch_local_steps', sa.Boolean(), nullable=False, server_default=sa.false())
        )




def downgrade() -> None:

    with op.batch_alter_table('flow_versions', schema=None) as batch_op:
        batch_op.drop_column('batch_local_steps')


