"""search documents: tsvectors stored out of line without compression (PostgreSQL)

Ranking reads the tsvector of every matching document; decompressing ~6.7 kB of pglz per match was
a third of a search's time in the database (at 1,000 stories: 35 -> 19 ms for a query matching 714
documents, 6.4 -> 3.2 ms for one matching 137), for ~40% more space (9.3 kB a document).
Rows written before this migration keep their compressed values until they are written again:
``flask search reindex`` rewrites them all. SQLite keeps no such table data: nothing to do there.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 17:45:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE search_documents ALTER COLUMN tsv SET STORAGE EXTERNAL')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE search_documents ALTER COLUMN tsv SET STORAGE EXTENDED')
