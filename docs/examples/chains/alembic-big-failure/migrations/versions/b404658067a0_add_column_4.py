"""add column 4

Revision ID: b404658067a0
Revises: 014a2bbfb481
"""
from alembic import op

revision = 'b404658067a0'
down_revision = '014a2bbfb481'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c4 integer")


def downgrade():
    pass
