"""team b column 48

Revision ID: a01e9afdf1e3
Revises: 87db769515af
"""
from alembic import op

revision = 'a01e9afdf1e3'
down_revision = '87db769515af'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c48 integer")


def downgrade():
    pass
