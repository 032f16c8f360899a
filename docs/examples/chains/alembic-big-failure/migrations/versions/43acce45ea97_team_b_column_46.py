"""team b column 46

Revision ID: 43acce45ea97
Revises: 5998a9700fb0
"""
from alembic import op

revision = '43acce45ea97'
down_revision = '5998a9700fb0'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c46 integer")


def downgrade():
    pass
