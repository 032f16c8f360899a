"""add column 3

Revision ID: 014a2bbfb481
Revises: c6d692a2d3f7
"""
from alembic import op

revision = '014a2bbfb481'
down_revision = 'c6d692a2d3f7'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c3 integer")


def downgrade():
    pass
