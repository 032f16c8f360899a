"""team a column 28

Revision ID: 3d31e6ff8c4e
Revises: a3800942b5cb
"""
from alembic import op

revision = '3d31e6ff8c4e'
down_revision = 'a3800942b5cb'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c28 integer")


def downgrade():
    pass
