"""add column 52

Revision ID: dfad0faac831
Revises: 2d4327fc85ff
"""
from alembic import op

revision = 'dfad0faac831'
down_revision = '2d4327fc85ff'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c52 integer")


def downgrade():
    pass
