"""add column 12

Revision ID: de4e82157ad6
Revises: 33ce93ca4acc
"""
from alembic import op

revision = 'de4e82157ad6'
down_revision = '33ce93ca4acc'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c12 integer")


def downgrade():
    pass
