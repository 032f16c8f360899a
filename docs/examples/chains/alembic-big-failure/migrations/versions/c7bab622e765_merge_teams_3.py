"""merge teams 3

Revision ID: c7bab622e765
Revises: 6323e1453f2e, 25eeae732aff
"""
from alembic import op

revision = 'c7bab622e765'
down_revision = ('6323e1453f2e', '25eeae732aff')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
