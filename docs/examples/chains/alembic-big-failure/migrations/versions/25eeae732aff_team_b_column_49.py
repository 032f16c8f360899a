"""team b column 49

Revision ID: 25eeae732aff
Revises: a01e9afdf1e3
"""
from alembic import op

revision = '25eeae732aff'
down_revision = 'a01e9afdf1e3'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c49 integer")


def downgrade():
    pass
