"""team a column 44

Revision ID: 29d99b8f14ee
Revises: 403e4ebda1c4
"""
from alembic import op

revision = '29d99b8f14ee'
down_revision = '403e4ebda1c4'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c44 integer")


def downgrade():
    pass
