"""team b column 32

Revision ID: ad689a6c4c0c
Revises: 0983079ceeac
"""
from alembic import op

revision = 'ad689a6c4c0c'
down_revision = '0983079ceeac'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c32 integer")


def downgrade():
    pass
