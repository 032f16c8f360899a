"""add column 5

Revision ID: 71b4093713ac
Revises: b404658067a0
"""
from alembic import op

revision = '71b4093713ac'
down_revision = 'b404658067a0'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c5 integer")


def downgrade():
    pass
