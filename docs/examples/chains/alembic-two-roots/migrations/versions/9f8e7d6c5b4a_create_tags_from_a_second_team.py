"""create tags, from a second team

Revision ID: 9f8e7d6c5b4a
Revises: 
"""
from alembic import op
import sqlalchemy as sa

revision = '9f8e7d6c5b4a'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE TABLE tags (id bigint PRIMARY KEY, name text NOT NULL)")


def downgrade():
    pass
