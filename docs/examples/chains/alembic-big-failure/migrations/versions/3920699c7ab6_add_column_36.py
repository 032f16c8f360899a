"""add column 36

Revision ID: 3920699c7ab6
Revises: 5e582f34188f
"""
from alembic import op

revision = '3920699c7ab6'
down_revision = '5e582f34188f'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c36 integer")


def downgrade():
    pass
