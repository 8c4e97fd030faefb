"""facilitation: the "How might we" vote message, and which people are bots

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:55:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vote_board_ts', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_bot', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('is_bot')
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('vote_board_ts')
