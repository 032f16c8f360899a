"""add column 53

Revision ID: a2c94f7bbb48
Revises: dfad0faac831
"""
from alembic import op

revision = 'a2c94f7bbb48'
down_revision = 'dfad0faac831'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c53 integer")


def downgrade():
    pass
