"""add column 2

Revision ID: c6d692a2d3f7
Revises: 6a2ed353c427
"""
from alembic import op

revision = 'c6d692a2d3f7'
down_revision = '6a2ed353c427'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c2 integer")


def downgrade():
    pass
