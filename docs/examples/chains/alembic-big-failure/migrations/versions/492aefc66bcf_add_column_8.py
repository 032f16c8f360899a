"""add column 8

Revision ID: 492aefc66bcf
Revises: 2e5f987263b4
"""
from alembic import op

revision = '492aefc66bcf'
down_revision = '2e5f987263b4'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c8 integer")


def downgrade():
    pass
