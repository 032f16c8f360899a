"""add column 35

Revision ID: 5e582f34188f
Revises: 39a61d8691e5
"""
from alembic import op

revision = '5e582f34188f'
down_revision = '39a61d8691e5'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c35 integer")


def downgrade():
    pass
