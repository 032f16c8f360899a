"""create items

Revision ID: 59050313e4ed
Revises: 
"""
from alembic import op

revision = '59050313e4ed'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE TABLE items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL)")


def downgrade():
    pass
