"""add column 10

Revision ID: 90e1644f43c7
Revises: 73bb1020d08e
"""
from alembic import op

revision = '90e1644f43c7'
down_revision = '73bb1020d08e'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c10 integer")


def downgrade():
    pass
