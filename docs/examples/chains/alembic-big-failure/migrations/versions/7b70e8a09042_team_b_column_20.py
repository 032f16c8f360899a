"""team b column 20

Revision ID: 7b70e8a09042
Revises: fa9d13e5436f
"""
from alembic import op

revision = '7b70e8a09042'
down_revision = 'fa9d13e5436f'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c20 integer")


def downgrade():
    pass
