"""canvas: each workshop's canvas in Slack, its creation claim and its coalesced edits

Revision ID: 0007_canvas
Revises: 0004_closed_sets
Create Date: 2026-11-29 17:00:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0007_canvas'
down_revision = '0004_closed_sets'  # the head when this branch merged main
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('workshopcanvas',
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('canvas_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('in_channel_tab', sa.Boolean(), nullable=False),
    sa.Column('refusal', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('creating_since', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('wanted', sa.Integer(), nullable=False),
    sa.Column('written', sa.Integer(), nullable=False),
    sa.Column('editing_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('map_link', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workshop_id')
    )


def downgrade() -> None:
    op.drop_table('workshopcanvas')
