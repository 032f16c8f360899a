"""Alembic environment for the example: the database URL comes from DATABASE_URL; each
revision commits on its own (transaction_per_migration), so those before a failure stay applied.

pg-migrate-action sets DATABASE_URL to the URL it was given (driver suffix kept, a bare
postgres:// rewritten to postgresql:// because SQLAlchemy 1.4+ rejects it), so the same env.py
works on a laptop, in CI and in the action.
"""
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

config = context.config

if config.config_file_name is not None:
    fileConfig(config.config_file_name)

# Autogenerate is not used by the example; a real project points this at its models' MetaData.
target_metadata = None

version_table = config.get_main_option("version_table", "alembic_version")
version_table_schema = config.get_main_option("version_table_schema") or None


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        raise RuntimeError("Set DATABASE_URL, e.g. postgresql://postgres:postgres@localhost:5432/app")
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    return url


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        version_table=version_table,
        version_table_schema=version_table_schema,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(database_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table=version_table,
            version_table_schema=version_table_schema,
            transaction_per_migration=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
