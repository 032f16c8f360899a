"""add column 11

Revision ID: 33ce93ca4acc
Revises: 90e1644f43c7
"""
from alembic import op

revision = '33ce93ca4acc'
down_revision = '90e1644f43c7'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c11 integer")


def downgrade():
    pass
