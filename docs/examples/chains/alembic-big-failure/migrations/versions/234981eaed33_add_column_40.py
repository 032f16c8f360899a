"""add column 40

Revision ID: 234981eaed33
Revises: 9edf3eeb9f68
"""
from alembic import op

revision = '234981eaed33'
down_revision = '9edf3eeb9f68'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c40 integer")


def downgrade():
    pass
