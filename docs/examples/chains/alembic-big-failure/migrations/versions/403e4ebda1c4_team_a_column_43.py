"""team a column 43

Revision ID: 403e4ebda1c4
Revises: e0fc0a124c32
"""
from alembic import op

revision = '403e4ebda1c4'
down_revision = 'e0fc0a124c32'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c43 integer")


def downgrade():
    pass
