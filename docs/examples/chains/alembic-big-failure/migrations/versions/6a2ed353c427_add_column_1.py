"""add column 1

Revision ID: 6a2ed353c427
Revises: 59050313e4ed
"""
from alembic import op

revision = '6a2ed353c427'
down_revision = '59050313e4ed'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c1 integer")


def downgrade():
    pass
