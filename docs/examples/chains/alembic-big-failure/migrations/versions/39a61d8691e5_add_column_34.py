"""add column 34

Revision ID: 39a61d8691e5
Revises: ead6058a7817
"""
from alembic import op

revision = '39a61d8691e5'
down_revision = 'ead6058a7817'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c34 integer")


def downgrade():
    pass
