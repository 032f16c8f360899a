"""tag documents

Revision ID: 8e7d6c5b4a39
Revises: 9f8e7d6c5b4a
"""
from alembic import op
import sqlalchemy as sa

revision = '8e7d6c5b4a39'
down_revision = '9f8e7d6c5b4a'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE TABLE document_tags (document_id bigint, tag_id bigint)")


def downgrade():
    pass
