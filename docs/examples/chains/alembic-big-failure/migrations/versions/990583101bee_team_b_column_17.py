"""team b column 17

Revision ID: 990583101bee
Revises: de4e82157ad6
"""
from alembic import op

revision = '990583101bee'
down_revision = 'de4e82157ad6'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c17 integer")


def downgrade():
    pass
