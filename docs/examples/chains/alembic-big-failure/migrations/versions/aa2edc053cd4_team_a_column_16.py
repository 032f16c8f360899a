"""team a column 16

Revision ID: aa2edc053cd4
Revises: 3b5691e396d1
"""
from alembic import op

revision = 'aa2edc053cd4'
down_revision = '3b5691e396d1'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c16 integer")


def downgrade():
    pass
