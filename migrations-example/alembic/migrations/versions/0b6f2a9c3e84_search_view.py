"""search view over documents and their embeddings

Revision ID: 0b6f2a9c3e84
Revises: 5d08a6e2f4b9
Create Date: 2024-05-20 11:37:09.660419

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0b6f2a9c3e84'
down_revision = '5d08a6e2f4b9'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        """
        CREATE VIEW document_search AS
        SELECT d.id, d.title, d.tags, e.model, e.embedding
        FROM documents d JOIN embeddings e ON e.document_id = d.id
        """
    )


def downgrade():
    op.execute("DROP VIEW document_search")
