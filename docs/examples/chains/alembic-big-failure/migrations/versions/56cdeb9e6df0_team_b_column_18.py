"""team b column 18

Revision ID: 56cdeb9e6df0
Revises: 990583101bee
"""
from alembic import op

revision = '56cdeb9e6df0'
down_revision = '990583101bee'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c18 integer")


def downgrade():
    pass
