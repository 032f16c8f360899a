"""team a column 14

Revision ID: 8db3970380c2
Revises: 8368e60c1fe0
"""
from alembic import op

revision = '8db3970380c2'
down_revision = '8368e60c1fe0'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c14 integer")


def downgrade():
    pass
