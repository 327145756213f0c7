"""drop unused columns: systems.retry (retries belong to steps), organizations.settings

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 20:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('systems', schema=None) as batch_op:
        batch_op.drop_column('retry')
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_column('settings')


def downgrade() -> None:
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('settings', sa.JSON(), nullable=True))
    with op.batch_alter_table('systems', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retry', sa.JSON(), nullable=True))
