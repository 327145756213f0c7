"""transactions form a hash chain per organization

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 22:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('transactions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain_seq', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('chain_hash', sa.String(length=64), nullable=True))
    op.create_index(
        'ux_transactions_org_chain', 'transactions', ['organization_id', 'chain_seq'], unique=True
    )


def downgrade() -> None:
    op.drop_index('ux_transactions_org_chain', table_name='transactions')
    with op.batch_alter_table('transactions', schema=None) as batch_op:
        batch_op.drop_column('chain_hash')
        batch_op.drop_column('chain_seq')
