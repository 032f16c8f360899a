"""add column 7

Revision ID: 2e5f987263b4
Revises: c747c326c7ec
"""
from alembic import op

revision = '2e5f987263b4'
down_revision = 'c747c326c7ec'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c7 integer")


def downgrade():
    pass
