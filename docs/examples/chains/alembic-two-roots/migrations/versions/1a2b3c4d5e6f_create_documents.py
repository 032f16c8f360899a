"""create documents

Revision ID: 1a2b3c4d5e6f
Revises: 
"""
from alembic import op
import sqlalchemy as sa

revision = '1a2b3c4d5e6f'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE TABLE documents (id bigint PRIMARY KEY, title text)")


def downgrade():
    pass
