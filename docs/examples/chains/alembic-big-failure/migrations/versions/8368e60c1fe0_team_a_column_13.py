"""team a column 13

Revision ID: 8368e60c1fe0
Revises: de4e82157ad6
"""
from alembic import op

revision = '8368e60c1fe0'
down_revision = 'de4e82157ad6'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN c13 integer")


def downgrade():
    pass
