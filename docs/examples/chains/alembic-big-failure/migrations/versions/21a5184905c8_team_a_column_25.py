"""team a column 25

Revision ID: 21a5184905c8
Revises: c7c585115514
"""
from alembic import op

revision = '21a5184905c8'
down_revision = 'c7c585115514'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c25 integer")


def downgrade():
    pass
