"""add column 51

Revision ID: 2d4327fc85ff
Revises: 8172cfe20f36
"""
from alembic import op

revision = '2d4327fc85ff'
down_revision = '8172cfe20f36'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c51 integer")


def downgrade():
    pass
