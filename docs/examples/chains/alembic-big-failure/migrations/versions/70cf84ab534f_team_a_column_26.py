"""team a column 26

Revision ID: 70cf84ab534f
Revises: 21a5184905c8
"""
from alembic import op

revision = '70cf84ab534f'
down_revision = '21a5184905c8'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c26 integer")


def downgrade():
    pass
