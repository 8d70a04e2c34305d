"""content version: one counter of committed content changes, for caches shared by worker processes

Revision ID: 0013
Revises: 0014
Create Date: 2026-12-01 11:35:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('content_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_version'))
    )
    op.bulk_insert(table, [{"id": 1, "version": 0}])


def downgrade():
    op.drop_table('content_version')
