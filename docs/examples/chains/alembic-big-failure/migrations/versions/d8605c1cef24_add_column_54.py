"""add column 54

Revision ID: d8605c1cef24
Revises: a2c94f7bbb48
"""
from alembic import op

revision = 'd8605c1cef24'
down_revision = 'a2c94f7bbb48'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c54 integer")


def downgrade():
    pass
