"""add column 24

Revision ID: c7c585115514
Revises: 8d9a81ac9e59
"""
from alembic import op

revision = 'c7c585115514'
down_revision = '8d9a81ac9e59'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c24 integer")


def downgrade():
    pass
