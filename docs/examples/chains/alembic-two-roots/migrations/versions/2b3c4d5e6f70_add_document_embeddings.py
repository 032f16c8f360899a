"""add document embeddings

Revision ID: 2b3c4d5e6f70
Revises: 1a2b3c4d5e6f
"""
from alembic import op
import sqlalchemy as sa

revision = '2b3c4d5e6f70'
down_revision = '1a2b3c4d5e6f'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.execute("ALTER TABLE documents ADD COLUMN embedding vector(3)")


def downgrade():
    pass
