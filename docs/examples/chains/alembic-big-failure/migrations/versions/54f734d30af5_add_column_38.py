"""add column 38

Revision ID: 54f734d30af5
Revises: c6588f6e95ab
"""
from alembic import op

revision = '54f734d30af5'
down_revision = 'c6588f6e95ab'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c38 integer")


def downgrade():
    pass
