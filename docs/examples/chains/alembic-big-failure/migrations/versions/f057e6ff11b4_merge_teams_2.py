"""merge teams 2

Revision ID: f057e6ff11b4
Revises: 3d31e6ff8c4e, ad689a6c4c0c
"""
from alembic import op

revision = 'f057e6ff11b4'
down_revision = ('3d31e6ff8c4e', 'ad689a6c4c0c')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
