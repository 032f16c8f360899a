// Generates the same chain of N small migrations in each tool's format, in a temp directory.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const TABLE_PREFIX = 'bench_item_'

/** Migration i (1-based): a table with a vector(3) column and an HNSW index on it. */
export function migrationSql(i) {
  const t = `${TABLE_PREFIX}${String(i).padStart(4, '0')}`
  return (
    `CREATE TABLE ${t} (\n  id bigserial PRIMARY KEY,\n  title text NOT NULL,\n  embedding vector(3)\n);\n` +
    `CREATE INDEX ${t}_embedding_idx ON ${t} USING hnsw (embedding vector_l2_ops);\n`
  )
}

export const pad = (i) => String(i).padStart(4, '0')

/**
 * @returns {{ root: string, sqlDir: string, floorFile: string, floorFiles: string[], dbmateDir: string, npmDir: string, alembicDir: string }}
 */
export function generateChains(n, { alembic = true } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'pgma-bench-chain-'))
  const sqlDir = join(root, 'sql')
  const floorDir = join(root, 'floor')
  const dbmateDir = join(root, 'dbmate')
  const npmDir = join(root, 'node-pg-migrate')
  const alembicDir = join(root, 'alembic')
  for (const d of [sqlDir, floorDir, dbmateDir, npmDir, join(alembicDir, 'versions')]) mkdirSync(d, { recursive: true })

  const floorFiles = []
  let all = ''
  for (let i = 1; i <= n; i++) {
    const sql = migrationSql(i)
    const name = `${pad(i)}_create_item_${pad(i)}`
    // pg-migrate-action: a plain file is entirely the up migration.
    writeFileSync(join(sqlDir, `${name}.sql`), sql)
    // The floor: the same SQL, one file per migration and all of it concatenated.
    const f = join(floorDir, `${name}.sql`)
    writeFileSync(f, sql)
    floorFiles.push(f)
    all += sql
    // dbmate: `-- migrate:up` / `-- migrate:down` sections.
    writeFileSync(join(dbmateDir, `${name}.sql`), `-- migrate:up\n${sql}\n-- migrate:down\nDROP TABLE ${TABLE_PREFIX}${pad(i)};\n`)
    // node-pg-migrate: SQL migrations with `-- Up Migration` / `-- Down Migration`.
    writeFileSync(join(npmDir, `${name}.sql`), `-- Up Migration\n${sql}\n-- Down Migration\nDROP TABLE ${TABLE_PREFIX}${pad(i)};\n`)
    // Alembic: one revision per migration, op.execute of the same statements.
    if (!alembic) continue
    const statements = sql.split(';\n').filter((s) => s.trim())
    writeFileSync(
      join(alembicDir, 'versions', `${pad(i)}_create_item.py`),
      `"""create item ${pad(i)}"""\nfrom alembic import op\n\nrevision = "r${pad(i)}"\ndown_revision = ${i === 1 ? 'None' : `"r${pad(i - 1)}"`}\nbranch_labels = None\ndepends_on = None\n\n\n` +
        `def upgrade():\n${statements.map((s) => `    op.execute(${JSON.stringify(s.trim())})`).join('\n')}\n\n\ndef downgrade():\n    op.execute("DROP TABLE ${TABLE_PREFIX}${pad(i)}")\n`
    )
  }
  const floorFile = join(root, 'all.sql')
  writeFileSync(floorFile, all)
  if (alembic) writeAlembicProject(alembicDir)
  return { root, sqlDir, floorFile, floorFiles, dbmateDir, npmDir, alembicDir }
}

/**
 * A minimal Alembic project shaped like `alembic init`'s generic template (offline and online
 * branches: the action runs offline SQL for its lint), URL from DATABASE_URL.
 */
export function writeAlembicProject(dir) {
  writeFileSync(
    join(dir, 'alembic.ini'),
    `[alembic]\nscript_location = %(here)s\n\n[loggers]\nkeys = root,sqlalchemy,alembic\n\n[handlers]\nkeys = console\n\n[formatters]\nkeys = generic\n\n` +
      `[logger_root]\nlevel = WARN\nhandlers = console\nqualname =\n\n[logger_sqlalchemy]\nlevel = WARN\nhandlers =\nqualname = sqlalchemy.engine\n\n` +
      `[logger_alembic]\nlevel = INFO\nhandlers =\nqualname = alembic\n\n[handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\nlevel = NOTSET\nformatter = generic\n\n` +
      `[formatter_generic]\nformat = %(levelname)-5.5s [%(name)s] %(message)s\n`
  )
  writeFileSync(
    join(dir, 'env.py'),
    `import os\nfrom logging.config import fileConfig\n\nfrom alembic import context\nfrom sqlalchemy import engine_from_config, pool\n\n` +
      `config = context.config\nif config.config_file_name is not None:\n    fileConfig(config.config_file_name)\n` +
      `url = os.environ["DATABASE_URL"]\nif url.startswith("postgres://"):\n    url = "postgresql://" + url[len("postgres://"):]\n` +
      `config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))\n\n\n` +
      `def run_migrations_offline():\n    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)\n` +
      `    with context.begin_transaction():\n        context.run_migrations()\n\n\n` +
      `def run_migrations_online():\n    connectable = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)\n` +
      `    with connectable.connect() as connection:\n        context.configure(connection=connection)\n        with context.begin_transaction():\n            context.run_migrations()\n\n\n` +
      `if context.is_offline_mode():\n    run_migrations_offline()\nelse:\n    run_migrations_online()\n`
  )
  writeFileSync(join(dir, 'script.py.mako'), '"""${message}"""\n')
}
