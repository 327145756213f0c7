"""challengers: a sample of live traffic re-rated under another version, and the results

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table(
        'challengers',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('organization_id', sa.String(length=36), nullable=False),
        sa.Column('product_code', sa.String(length=50), nullable=False),
        sa.Column('endpoint', sa.String(length=100), nullable=False),
        sa.Column('asked', sa.String(length=20), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('flow', JSON, nullable=False),
        sa.Column('timeout_ms', sa.Integer(), nullable=False),
        sa.Column('sample', sa.Float(), nullable=False),
        sa.Column('premium_path', sa.String(length=500), nullable=False),
        sa.Column('created_by', sa.String(length=36), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('organization_id', 'product_code', 'endpoint'),
    )
    op.create_table(
        'challenger_results',
        sa.Column('challenger_transaction_id', sa.String(length=36), nullable=False),
        sa.Column('organization_id', sa.String(length=36), nullable=False),
        sa.Column('product_code', sa.String(length=50), nullable=False),
        sa.Column('endpoint', sa.String(length=100), nullable=False),
        sa.Column('transaction_id', sa.String(length=36), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('status_before', sa.String(length=20), nullable=False),
        sa.Column('status_after', sa.String(length=20), nullable=True),
        sa.Column('premium_before', sa.Float(), nullable=True),
        sa.Column('premium_after', sa.Float(), nullable=True),
        sa.Column('delta_pct', sa.Float(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id']),
        sa.PrimaryKeyConstraint('challenger_transaction_id'),
    )
    op.create_index(
        'ix_challenger_results_org_flow',
        'challenger_results',
        ['organization_id', 'product_code', 'endpoint'],
    )


def downgrade() -> None:
    op.drop_index('ix_challenger_results_org_flow', table_name='challenger_results')
    op.drop_table('challenger_results')
    op.drop_table('challengers')
