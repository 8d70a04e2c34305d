"""search outbox ids never reused (SQLite AUTOINCREMENT)

Without AUTOINCREMENT SQLite hands a deleted row's id to the next insert. Several workers apply
the outbox at once: one that read row N (document A) could delete a NEW row N (document B) written
after another worker had already forgotten the old one, and B never reached the index. PostgreSQL
sequences never reuse ids: nothing to do there.

Revision ID: 0008
Revises: 0007
"""
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("search_outbox", recreate="always",
                                  table_kwargs={"sqlite_autoincrement": True}):
            pass


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("search_outbox", recreate="always",
                                  table_kwargs={"sqlite_autoincrement": False}):
            pass
