"""add column 21

Revision ID: f93d958ea3a4
Revises: 1d96c0c552df
"""
from alembic import op

revision = 'f93d958ea3a4'
down_revision = '1d96c0c552df'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c21 integer")


def downgrade():
    pass
