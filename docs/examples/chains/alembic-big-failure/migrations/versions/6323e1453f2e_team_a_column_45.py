"""team a column 45

Revision ID: 6323e1453f2e
Revises: 29d99b8f14ee
"""
from alembic import op

revision = '6323e1453f2e'
down_revision = '29d99b8f14ee'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c45 integer")


def downgrade():
    pass
