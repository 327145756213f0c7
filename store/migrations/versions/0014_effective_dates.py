"""a published version may carry effective_from; a product says where a request's date is

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-10 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Null: in force since always (every version published before this).
    with op.batch_alter_table('flow_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('effective_from', sa.Date(), nullable=True))
    # Null: requests are rated as of the day they arrive.
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('effective_date_path', sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('effective_date_path')
    with op.batch_alter_table('flow_versions', schema=None) as batch_op:
        batch_op.drop_column('effective_from')
