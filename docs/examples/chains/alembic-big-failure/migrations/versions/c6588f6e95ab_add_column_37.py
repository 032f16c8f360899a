"""add column 37

Revision ID: c6588f6e95ab
Revises: 36fe08e05e1f
"""
from alembic import op

revision = 'c6588f6e95ab'
down_revision = '36fe08e05e1f'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c37 integer")


def downgrade():
    pass
