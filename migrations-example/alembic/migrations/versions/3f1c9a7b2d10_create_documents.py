"""create documents

Revision ID: 3f1c9a7b2d10
Revises:
Create Date: 2024-05-02 09:12:44.120391

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '3f1c9a7b2d10'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.create_table(
        'documents',
        sa.Column('id', sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column('title', sa.Text, nullable=False),
        sa.Column('body', sa.Text, nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )


def downgrade():
    op.drop_table('documents')
