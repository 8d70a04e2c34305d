"""search log: queries and result counts per day, without who asked

Revision ID: 0014
Revises: 0009
Create Date: 2026-12-01 11:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('query', sa.String(length=200), nullable=False),
    sa.Column('searches', sa.Integer(), nullable=False),
    sa.Column('empty', sa.Integer(), nullable=False),
    sa.Column('results', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_log')),
    sa.UniqueConstraint('day', 'query', name=op.f('uq_search_log_day'))
    )
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_log_day'), ['day'], unique=False)


def downgrade():
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_log_day'))

    op.drop_table('search_log')
