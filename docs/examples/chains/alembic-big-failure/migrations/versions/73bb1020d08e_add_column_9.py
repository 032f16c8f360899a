"""add column 9

Revision ID: 73bb1020d08e
Revises: 492aefc66bcf
"""
from alembic import op

revision = '73bb1020d08e'
down_revision = '492aefc66bcf'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c9 integer")


def downgrade():
    pass
