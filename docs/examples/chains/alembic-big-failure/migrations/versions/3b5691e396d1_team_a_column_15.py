"""team a column 15

Revision ID: 3b5691e396d1
Revises: 8db3970380c2
"""
from alembic import op

revision = '3b5691e396d1'
down_revision = '8db3970380c2'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c15 integer")


def downgrade():
    pass
