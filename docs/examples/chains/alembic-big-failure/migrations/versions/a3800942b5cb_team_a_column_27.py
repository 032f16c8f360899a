"""team a column 27

Revision ID: a3800942b5cb
Revises: 70cf84ab534f
"""
from alembic import op

revision = 'a3800942b5cb'
down_revision = '70cf84ab534f'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c27 integer")


def downgrade():
    pass
