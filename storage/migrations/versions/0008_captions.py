"""captions: a lead's pick of the answer that captions each storyboard panel

Revision ID: 0008_captions
Revises: 0006_research
Create Date: 2026-11-29 19:10:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0008_captions'
down_revision = '0006_research'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'caption_pick',
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('step_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('picked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['item_id'], ['item.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('workshop_id', 'step_key'),
    )
    with op.batch_alter_table('caption_pick', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_caption_pick_item_id'), ['item_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('caption_pick', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_caption_pick_item_id'))
    op.drop_table('caption_pick')
