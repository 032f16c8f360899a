"""add column 33

Revision ID: ead6058a7817
Revises: f057e6ff11b4
"""
from alembic import op

revision = 'ead6058a7817'
down_revision = 'f057e6ff11b4'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c33 integer")


def downgrade():
    pass
