"""document tags

Developed on a branch next to the HNSW index; merged by 5d08a6e2f4b9.

Revision ID: e91b0f3d5c77
Revises: 8a2e4c6d0b31
Create Date: 2024-05-14 16:20:02.918233

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "e91b0f3d5c77"
down_revision: Union[str, None] = "8a2e4c6d0b31"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('documents', sa.Column('tags', sa.ARRAY(sa.Text), server_default='{}', nullable=False))
    op.create_index('documents_tags_gin', 'documents', ['tags'], postgresql_using='gin')


def downgrade() -> None:
    op.drop_index('documents_tags_gin', table_name='documents')
    op.drop_column('documents', 'tags')
