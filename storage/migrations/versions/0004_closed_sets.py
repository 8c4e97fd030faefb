"""closed sets: CHECK constraints on a workshop's status and kind and on an answer's lane, evidence and source

Revision ID: 0004_closed_sets
Revises: 0003
Create Date: 2026-11-29 17:00:00

The values are written out as they are today (flows/vocabulary.py may grow; a new value gets a new
migration). A row outside its set, which journeybot itself never wrote, gets the value that claims the
least, so the upgrade never stops half-way: status closed, kind customer, evidence assumption (the text
stays, only its research label goes), source thread, lane none (the answer waits to be filed).
SQLite has no ALTER TABLE … ADD CONSTRAINT: batch mode copies the tables, with foreign keys off
(storage.schema.upgrade) so that dropping the old copy does not cascade.
"""
import sqlalchemy as sa
from alembic import op

revision = '0004_closed_sets'
down_revision = '0003'
branch_labels = None
depends_on = None

CLOSED_SETS = {
    'workshop': {
        'status': (('active', 'closed'), 'closed'),
        'kind': (('customer', 'user'), 'customer'),
    },
    'item': {
        'lane': (('end_user', 'phase_idea', 'does', 'thinks', 'feels', 'touchpoints', 'insight', 'hmw',
                  'experience', 'intentions', 'panel'), None),
        'evidence': (('assumption', 'interview', 'observation', 'diary'), 'assumption'),
        'source': (('thread', 'modal', 'command'), 'thread'),
    },
}
ACTIVE_CHANNEL_INDEX = 'uq_workshop_active_channel'


def _allowed(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def upgrade() -> None:
    for table, columns in CLOSED_SETS.items():
        for column, (values, fallback) in columns.items():
            rows = sa.table(table, sa.column(column))
            op.execute(rows.update().where(rows.c[column].not_in(values)).values({column: fallback}))
    # Copying the table on SQLite would bring the one-active-workshop index back without its WHERE.
    op.drop_index(ACTIVE_CHANNEL_INDEX, table_name='workshop')
    for table, columns in CLOSED_SETS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, (values, _) in columns.items():
                batch_op.create_check_constraint(f'ck_{table}_{column}', _allowed(column, values))
    _create_active_channel_index()


def downgrade() -> None:
    op.drop_index(ACTIVE_CHANNEL_INDEX, table_name='workshop')
    for table, columns in CLOSED_SETS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_constraint(f'ck_{table}_{column}', type_='check')
    _create_active_channel_index()


def _create_active_channel_index() -> None:
    op.create_index(ACTIVE_CHANNEL_INDEX, 'workshop', ['team_id', 'channel_id'], unique=True,
                    sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))
