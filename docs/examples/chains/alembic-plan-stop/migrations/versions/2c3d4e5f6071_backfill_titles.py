"""backfill titles

Revision ID: 2c3d4e5f6071
Revises: 1b2c3d4e5f60
"""
from alembic import op
import sqlalchemy as sa

revision = '2c3d4e5f6071'
down_revision = '1b2c3d4e5f60'
branch_labels = None
depends_on = None


def upgrade():
    # Reads the database: offline (--sql) mode has no connection, so execute() returns None.
    untitled = op.get_bind().execute(sa.text("SELECT id FROM documents WHERE title IS NULL")).fetchall()
    for (doc_id,) in untitled:
        op.execute(sa.text("UPDATE documents SET title = 'untitled' WHERE id = :id").bindparams(id=doc_id))


def downgrade():
    pass
