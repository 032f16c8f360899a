"""add column 23

Revision ID: 8d9a81ac9e59
Revises: c2ee9966f714
"""
from alembic import op

revision = '8d9a81ac9e59'
down_revision = 'c2ee9966f714'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c23 integer")


def downgrade():
    pass
