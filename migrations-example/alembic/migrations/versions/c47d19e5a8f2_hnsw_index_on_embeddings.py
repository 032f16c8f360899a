"""hnsw index on embeddings

Revision ID: c47d19e5a8f2
Revises: 8a2e4c6d0b31
Create Date: 2024-05-13 10:44:27.004512

"""
from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "c47d19e5a8f2"
down_revision: Union[str, None] = "8a2e4c6d0b31"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute("CREATE INDEX embeddings_embedding_hnsw ON embeddings USING hnsw (embedding vector_cosine_ops)")


def downgrade() -> None:
    op.execute("DROP INDEX embeddings_embedding_hnsw")
