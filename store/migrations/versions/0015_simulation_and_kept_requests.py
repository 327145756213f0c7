"""simulations: a transaction's mode and its kept request; a system's simulation settings

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('transactions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('mode', sa.String(length=20), nullable=False, server_default='live')
        )
        batch_op.add_column(sa.Column('request_kept', sa.Text(), nullable=True))
    with op.batch_alter_table('systems', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('simulation', sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(sa.Column('simulation_base_url', sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column('simulation_max_concurrency', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('systems', schema=None) as batch_op:
        batch_op.drop_column('simulation_max_concurrency')
        batch_op.drop_column('simulation_base_url')
        batch_op.drop_column('simulation')
    with op.batch_alter_table('transactions', schema=None) as batch_op:
        batch_op.drop_column('request_kept')
        batch_op.drop_column('mode')
