"""create documents

Revision ID: 0a1b2c3d4e5f
Revises: 
"""
from alembic import op
import sqlalchemy as sa

revision = '0a1b2c3d4e5f'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.execute("CREATE TABLE documents (id bigint PRIMARY KEY, title text, embedding vector(3))")


def downgrade():
    pass
