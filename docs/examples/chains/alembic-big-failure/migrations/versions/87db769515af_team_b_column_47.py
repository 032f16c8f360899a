"""team b column 47

Revision ID: 87db769515af
Revises: 43acce45ea97
"""
from alembic import op

revision = '87db769515af'
down_revision = '43acce45ea97'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c47 integer")


def downgrade():
    pass
