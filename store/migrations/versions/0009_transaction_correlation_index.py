"""transactions are found by correlation id (operators' first handle on a rating)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 01:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        'ix_transactions_org_correlation',
        'transactions',
        ['organization_id', 'correlation_id'],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index('ix_transactions_org_correlation', table_name='transactions')
