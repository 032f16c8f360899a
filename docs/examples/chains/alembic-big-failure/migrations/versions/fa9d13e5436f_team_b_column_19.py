"""team b column 19

Revision ID: fa9d13e5436f
Revises: 56cdeb9e6df0
"""
from alembic import op

revision = 'fa9d13e5436f'
down_revision = '56cdeb9e6df0'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c19 integer")


def downgrade():
    pass
