"""add column 50

Revision ID: 8172cfe20f36
Revises: c7bab622e765
"""
from alembic import op

revision = '8172cfe20f36'
down_revision = 'c7bab622e765'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c50 integer")


def downgrade():
    pass
