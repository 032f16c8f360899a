"""add column 39

Revision ID: 9edf3eeb9f68
Revises: 54f734d30af5
"""
from alembic import op

revision = '9edf3eeb9f68'
down_revision = '54f734d30af5'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c39 integer")


def downgrade():
    pass
