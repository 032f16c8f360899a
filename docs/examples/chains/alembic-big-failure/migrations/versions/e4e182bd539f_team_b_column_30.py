"""team b column 30

Revision ID: e4e182bd539f
Revises: 899cb1e9ed67
"""
from alembic import op

revision = 'e4e182bd539f'
down_revision = '899cb1e9ed67'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c30 integer")


def downgrade():
    pass
