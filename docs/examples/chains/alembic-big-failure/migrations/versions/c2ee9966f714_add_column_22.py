"""add column 22

Revision ID: c2ee9966f714
Revises: f93d958ea3a4
"""
from alembic import op

revision = 'c2ee9966f714'
down_revision = 'f93d958ea3a4'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c22 integer")


def downgrade():
    pass
