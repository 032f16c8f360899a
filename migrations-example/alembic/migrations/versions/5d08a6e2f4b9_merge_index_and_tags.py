"""merge index and tags

Revision ID: 5d08a6e2f4b9
Revises: c47d19e5a8f2, e91b0f3d5c77
Create Date: 2024-05-15 08:01:55.331002

"""
from typing import Sequence, Union

# revision identifiers, used by Alembic.
revision: str = "5d08a6e2f4b9"
down_revision: Union[str, Sequence[str], None] = (
    "c47d19e5a8f2",
    "e91b0f3d5c77",
)
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
