"""a transaction may replay another (a quarantined document's transaction run again)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('transactions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replay_of', sa.String(length=36), nullable=True))
    op.create_index(
        'ix_transactions_org_replay_of',
        'transactions',
        ['organization_id', 'replay_of'],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index('ix_transactions_org_replay_of', table_name='transactions')
    with op.batch_alter_table('transactions', schema=None) as batch_op:
        batch_op.drop_column('replay_of')
