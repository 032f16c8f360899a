"""team b column 31

Revision ID: 0983079ceeac
Revises: e4e182bd539f
"""
from alembic import op

revision = '0983079ceeac'
down_revision = 'e4e182bd539f'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c31 integer")


def downgrade():
    pass
