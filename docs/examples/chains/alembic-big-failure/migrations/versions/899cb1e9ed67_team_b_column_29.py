"""team b column 29

Revision ID: 899cb1e9ed67
Revises: c7c585115514
"""
from alembic import op

revision = '899cb1e9ed67'
down_revision = 'c7c585115514'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c29 integer")


def downgrade():
    pass
