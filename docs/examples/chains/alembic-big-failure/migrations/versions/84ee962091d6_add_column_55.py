"""add column 55

Revision ID: 84ee962091d6
Revises: d8605c1cef24
"""
from alembic import op

revision = '84ee962091d6'
down_revision = 'd8605c1cef24'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c55 integer")


def downgrade():
    pass
