"""hnsw index

Revision ID: 3d4e5f607182
Revises: 2c3d4e5f6071
"""
from alembic import op
import sqlalchemy as sa

revision = '3d4e5f607182'
down_revision = '2c3d4e5f6071'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE INDEX documents_embedding_hnsw ON documents USING hnsw (embedding vector_cosine_ops)")


def downgrade():
    pass
