"""team a column 42

Revision ID: e0fc0a124c32
Revises: 5998a9700fb0
"""
from alembic import op

revision = 'e0fc0a124c32'
down_revision = '5998a9700fb0'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c42 integer")


def downgrade():
    pass
