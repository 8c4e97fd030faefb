"""research round: boards, evidence, verdicts, volunteers and their history; an answer's evidence may also be
survey, analytics or support (tickets)

Revision ID: 0006_research
Revises: 0005_themes
Create Date: 2026-11-29 17:00:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0006_research'
down_revision = '0005_themes'  # the head when this branch merged main
branch_labels = None
depends_on = None


EVIDENCE_BEFORE = ('assumption', 'interview', 'observation', 'diary')
EVIDENCE_NOW = EVIDENCE_BEFORE + ('survey', 'analytics', 'support')


def _evidence_check(values: tuple[str, ...]) -> None:
    """Replaces item.evidence's CHECK constraint (SQLite copies the table: storage.schema turns foreign keys off)."""
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_constraint('ck_item_evidence', type_='check')
        batch_op.create_check_constraint('ck_item_evidence', f"evidence IN ({', '.join(map(repr, values))})")


def _workshop_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ondelete='CASCADE')


def _index(table: str, column: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=False)


def upgrade() -> None:
    _evidence_check(EVIDENCE_NOW)
    op.create_table('researchround',
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('opened_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('opened_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    _workshop_fk(),
    sa.PrimaryKeyConstraint('workshop_id')
    )
    op.create_table('researchpost',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('phase_number', sa.Integer(), nullable=False),
    sa.Column('lane', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('channel_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('ts', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    _workshop_fk(),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('channel_id', 'ts'),
    sa.UniqueConstraint('workshop_id', 'phase_number', 'lane', 'page')
    )
    _index('researchpost', 'workshop_id')
    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('verdict', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('people', sa.Integer(), nullable=True),
    sa.Column('link', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('dedupe_key', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], ondelete='CASCADE'),
    _workshop_fk(),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('dedupe_key')
    )
    _index('evidence', 'item_id')
    _index('evidence', 'workshop_id')
    op.create_table('verdict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('verdict', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('settled', sa.Boolean(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], ondelete='CASCADE'),
    _workshop_fk(),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('item_id', 'user_id', 'settled')
    )
    _index('verdict', 'item_id')
    _index('verdict', 'workshop_id')
    op.create_table('volunteer',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], ondelete='CASCADE'),
    _workshop_fk(),
    sa.PrimaryKeyConstraint('item_id', 'user_id')
    )
    _index('volunteer', 'workshop_id')
    op.create_table('researchchange',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    _workshop_fk(),
    sa.PrimaryKeyConstraint('id')
    )
    _index('researchchange', 'workshop_id')


def downgrade() -> None:
    for table in ('researchchange', 'volunteer', 'verdict', 'evidence', 'researchpost', 'researchround'):
        op.drop_table(table)
    rows = sa.table('item', sa.column('evidence'))  # research of the new kinds stays research, as an interview
    op.execute(rows.update().where(rows.c.evidence.not_in(EVIDENCE_BEFORE)).values(evidence='interview'))
    _evidence_check(EVIDENCE_BEFORE)
