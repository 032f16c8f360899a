"""add column 41

Revision ID: 5998a9700fb0
Revises: 234981eaed33
"""
from alembic import op

revision = '5998a9700fb0'
down_revision = '234981eaed33'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c41 integer")


def downgrade():
    pass
