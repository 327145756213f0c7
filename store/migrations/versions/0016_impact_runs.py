"""impact analyses: a run per question, an item per past transaction re-rated

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table(
        'impact_runs',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('organization_id', sa.String(length=36), nullable=False),
        sa.Column('product_code', sa.String(length=50), nullable=False),
        sa.Column('endpoint', sa.String(length=100), nullable=False),
        sa.Column('candidate_version', sa.Integer(), nullable=False),
        sa.Column('candidate_version_id', sa.String(length=36), nullable=False),
        sa.Column('baseline', sa.String(length=20), nullable=False),
        sa.Column('window_from', sa.DateTime(timezone=True), nullable=False),
        sa.Column('window_to', sa.DateTime(timezone=True), nullable=False),
        sa.Column('limit', sa.Integer(), nullable=False),
        sa.Column('statuses', JSON, nullable=False),
        sa.Column('group_by', JSON, nullable=False),
        sa.Column('premium_path', sa.String(length=500), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('total', sa.Integer(), nullable=True),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('summary', JSON, nullable=True),
        sa.Column('groups', JSON, nullable=True),
        sa.Column('largest', JSON, nullable=True),
        sa.Column('error', sa.String(length=2000), nullable=True),
        sa.Column('created_by', sa.String(length=36), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(
        'ix_impact_runs_org_created', 'impact_runs', ['organization_id', 'created_at']
    )
    op.create_table(
        'impact_items',
        sa.Column('impact_run_id', sa.String(length=36), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('transaction_id', sa.String(length=36), nullable=False),
        sa.Column('rerate_id', sa.String(length=36), nullable=True),
        sa.Column('status_before', sa.String(length=20), nullable=False),
        sa.Column('status_after', sa.String(length=20), nullable=True),
        sa.Column('premium_before', sa.Float(), nullable=True),
        sa.Column('premium_after', sa.Float(), nullable=True),
        sa.Column('delta_pct', sa.Float(), nullable=True),
        sa.Column('difference_count', sa.Integer(), nullable=True),
        sa.Column('error_code', sa.String(length=64), nullable=True),
        sa.Column('groups', JSON, nullable=True),
        sa.ForeignKeyConstraint(['impact_run_id'], ['impact_runs.id']),
        sa.PrimaryKeyConstraint('impact_run_id', 'seq'),
    )


def downgrade() -> None:
    op.drop_table('impact_items')
    op.drop_index('ix_impact_runs_org_created', table_name='impact_runs')
    op.drop_table('impact_runs')
