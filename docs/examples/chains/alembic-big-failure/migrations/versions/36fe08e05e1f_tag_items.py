"""tag items

Revision ID: 36fe08e05e1f
Revises: 3920699c7ab6
"""
from alembic import op

revision = '36fe08e05e1f'
down_revision = '3920699c7ab6'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE items ADD COLUMN tag_id bigint REFERENCES tags (id)")


def downgrade():
    pass
