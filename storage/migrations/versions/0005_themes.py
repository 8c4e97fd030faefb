"""themes: a lead's corrections of the automatic themes (merge, move, rename)

Revision ID: 0005_themes
Revises: 0007_canvas (which landed on main first)
Create Date: 2026-11-29 17:10:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0005_themes'
down_revision = '0007_canvas'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'theme_edit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=16), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('target_item_id', sa.Integer(), nullable=True),
        sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['item_id'], ['item.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['target_item_id'], ['item.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.CheckConstraint("action IN ('rename', 'merge', 'move')", name='ck_theme_edit_action'),
    )
    with op.batch_alter_table('theme_edit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_edit_workshop_id'), ['workshop_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('theme_edit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_edit_workshop_id'))
    op.drop_table('theme_edit')
