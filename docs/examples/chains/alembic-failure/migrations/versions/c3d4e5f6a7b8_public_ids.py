"""public ids

Revision ID: c3d4e5f6a7b8
Revises: b2c3d4e5f6a7
"""
from alembic import op
import sqlalchemy as sa

revision = 'c3d4e5f6a7b8'
down_revision = 'b2c3d4e5f6a7'
branch_labels = None
depends_on = None


def upgrade():
    # sa.UUID is SQLAlchemy 2.0 API: on SQLAlchemy 1.4 this line raises AttributeError.
    op.add_column("documents", sa.Column("public_id", sa.UUID(), nullable=True))


def downgrade():
    pass
