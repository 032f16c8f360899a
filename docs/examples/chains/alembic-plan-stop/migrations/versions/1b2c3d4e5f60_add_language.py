"""add language

Revision ID: 1b2c3d4e5f60
Revises: 0a1b2c3d4e5f
"""
from alembic import op
import sqlalchemy as sa

revision = '1b2c3d4e5f60'
down_revision = '0a1b2c3d4e5f'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("documents", sa.Column("language", sa.Text, server_default="en"))


def downgrade():
    pass
