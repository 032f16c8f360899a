"""add embeddings

Revision ID: 8a2e4c6d0b31
Revises: 3f1c9a7b2d10
Create Date: 2024-05-06 14:03:10.552170

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '8a2e4c6d0b31'
down_revision = '3f1c9a7b2d10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'embeddings',
        sa.Column('id', sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column('document_id', sa.BigInteger, sa.ForeignKey('documents.id', ondelete='CASCADE'), nullable=False),
        sa.Column('model', sa.Text, nullable=False),
    )
    # pgvector's SQLAlchemy type lives in the `pgvector` package; plain SQL keeps the example dependency-free.
    op.execute("ALTER TABLE embeddings ADD COLUMN embedding vector(3) NOT NULL")


def downgrade():
    op.drop_table('embeddings')
