"""merge teams 1

Revision ID: 1d96c0c552df
Revises: aa2edc053cd4, 7b70e8a09042
"""
from alembic import op

revision = '1d96c0c552df'
down_revision = ('aa2edc053cd4', '7b70e8a09042')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
