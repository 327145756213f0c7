"""idempotency keys unique per organization; an organization's rate override

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 20:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        'ux_transactions_org_idempotency',
        'transactions',
        ['organization_id', 'idempotency_key'],
        unique=True,
    )
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requests_per_minute', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_column('requests_per_minute')
    op.drop_index('ux_transactions_org_idempotency', table_name='transactions')
