"""add column 6

Revision ID: c747c326c7ec
Revises: 71b4093713ac
"""
from alembic import op

revision = 'c747c326c7ec'
down_revision = '71b4093713ac'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c6 integer")


def downgrade():
    pass
