import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { parseDatabaseUrl } from '../../src/database-url.js'
import { createEngineContext } from '../../src/engines/context.js'
import type { EngineContext } from '../../src/engines/engine.js'
import type { Settings } from '../../src/inputs.js'
import { silentLogger } from '../../src/logger.js'
import { NEW_PYTHONPATH, PYTHON, type Capability } from './capability-probes.js'

/**
 * Writes small, real Alembic projects into temp directories (broken chains included), and builds
 * the Settings and EngineContext the engine needs. Real Alembic runs them: only /usr/bin/python3
 * has Alembic here, and TEST_ALEMBIC_NEW_PYTHONPATH adds Alembic 1.13 + SQLAlchemy 2.0 to it.
 */
export { PYTHON, NEW_PYTHONPATH }

export interface Stack {
  name: string
  /** Added to PYTHONPATH for the stack's tests; undefined = Debian's Alembic 1.8 / SQLAlchemy 1.4. */
  pythonPath?: string
  alembic: RegExp
  needs: Capability[]
}

export const STACKS: Stack[] = [
  { name: 'Alembic 1.8 + SQLAlchemy 1.4', alembic: /^Alembic 1\.8\./, needs: ['alembic'] },
  { name: 'Alembic 1.13 + SQLAlchemy 2.0', pythonPath: NEW_PYTHONPATH, alembic: /^Alembic 1\.1[3-9]\./, needs: ['alembic', 'alembic-1.13'] }
]

/** Puts the stack on PYTHONPATH of this process, which the engine's child processes inherit. Returns the restore function. */
export function useStack(stack: Stack): () => void {
  const previous = process.env.PYTHONPATH
  if (stack.pythonPath) process.env.PYTHONPATH = stack.pythonPath
  else delete process.env.PYTHONPATH
  return () => {
    if (previous === undefined) delete process.env.PYTHONPATH
    else process.env.PYTHONPATH = previous
  }
}

export interface RevisionSpec {
  id: string
  down?: string | string[] | null
  message?: string
  /** Python statements for upgrade(), one per line. */
  upgrade?: string[]
  /** Python statements for downgrade(), one per line; `pass` when absent. */
  downgrade?: string[]
  style?: 'plain' | 'annotated'
  branchLabels?: string[]
  dependsOn?: string[]
  /** File name; defaults to `<id>_<slug>.py`. */
  fileName?: string
}

export interface ProjectOptions {
  revisions: RevisionSpec[]
  /** Extra lines for the [alembic] section. */
  alembicSection?: string[]
  /** Level of the alembic logger (INFO prints the progress lines). */
  alembicLogLevel?: string
  /** Passed to context.configure in env.py (Python source), e.g. `transaction_per_migration=True`. */
  configure?: string
}

const ENV_PY = (configure: string): string => `import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

version_table = config.get_main_option("version_table", "alembic_version")
version_table_schema = config.get_main_option("version_table_schema") or None
# Deliberately no postgres:// rewrite here: the action must hand over a URL SQLAlchemy accepts.
url = os.environ["DATABASE_URL"]


def run_migrations_offline():
    context.configure(url=url, literal_binds=True, version_table=version_table,
                      version_table_schema=version_table_schema${configure ? ', ' + configure : ''})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, version_table=version_table,
                          version_table_schema=version_table_schema${configure ? ', ' + configure : ''})
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
`

function ini(options: ProjectOptions): string {
  return `[alembic]
script_location = %(here)s/migrations
${(options.alembicSection ?? []).join('\n')}

[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = ${options.alembicLogLevel ?? 'INFO'}
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
`
}

function pyValue(value: string | string[] | null | undefined): string {
  if (value === undefined || value === null) return 'None'
  if (typeof value === 'string') return `'${value}'`
  return `(${value.map((v) => `'${v}'`).join(', ')}${value.length === 1 ? ',' : ''})`
}

export function revisionSource(spec: RevisionSpec): string {
  const message = spec.message ?? `revision ${spec.id}`
  const body = (spec.upgrade ?? ['pass']).map((l) => `    ${l}`).join('\n')
  const labels = spec.branchLabels ? pyValue(spec.branchLabels) : 'None'
  const depends = spec.dependsOn ? pyValue(spec.dependsOn) : 'None'
  const ids =
    spec.style === 'annotated'
      ? `revision: str = "${spec.id}"
down_revision: Union[str, Sequence[str], None] = ${pyValue(spec.down).replace(/'/g, '"')}
branch_labels: Union[str, Sequence[str], None] = ${labels}
depends_on: Union[str, Sequence[str], None] = ${depends}`
      : `revision = '${spec.id}'
down_revision = ${pyValue(spec.down)}
branch_labels = ${labels}
depends_on = ${depends}`
  return `"""${message}

Revision ID: ${spec.id}
Revises: ${Array.isArray(spec.down) ? spec.down.join(', ') : (spec.down ?? '')}
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
${ids}


def upgrade():
${body}


def downgrade():
${(spec.downgrade ?? ['pass']).map((l) => `    ${l}`).join('\n')}
`
}

export function revisionFileName(spec: RevisionSpec): string {
  return spec.fileName ?? `${spec.id}_${(spec.message ?? 'rev').replace(/\W+/g, '_').toLowerCase()}.py`
}

const made: string[] = []

/** A fresh Alembic project in a temp directory; removed by `removeProjects`. */
export function writeProject(options: ProjectOptions): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pgma-alembic-'))
  made.push(dir)
  mkdirSync(path.join(dir, 'migrations', 'versions'), { recursive: true })
  writeFileSync(path.join(dir, 'alembic.ini'), ini(options))
  writeFileSync(path.join(dir, 'migrations', 'env.py'), ENV_PY(options.configure ?? ''))
  for (const spec of options.revisions) writeFileSync(path.join(dir, 'migrations', 'versions', revisionFileName(spec)), revisionSource(spec))
  return dir
}

export function removeProjects(): void {
  while (made.length > 0) rmSync(made.pop()!, { recursive: true, force: true })
}

export function alembicSettings(databaseUrl: string, migrationsPath: string, overrides: Partial<Settings> = {}): Settings {
  return {
    databaseUrl: parseDatabaseUrl(databaseUrl),
    engine: 'alembic',
    migrationsPath,
    mode: 'migrate',
    extensions: ['vector'],
    requireExtensions: true,
    waitTimeoutMs: 10_000,
    retryDelayMs: 100,
    maxRetryDelayMs: 1000,
    retries: 0,
    connectTimeoutMs: 5000,
    lockTimeout: '10s',
    statementTimeout: '0',
    summary: false,
    python: PYTHON,
    historyTable: { schema: 'public', table: 'pg_migrate_history' },
    allowOutOfOrder: false,
    failOnRisk: 'critical',
    backup: 'never',
    verifyDowngrade: 'none',
    allowDestructiveVerify: false,
    transaction: 'per-migration',
    checksTimeout: '30s',
    maintenanceWorkMemMaxKb: 2 * 1024 * 1024,
    // Drift and the schema change have their own suites; engine tests are about applying.
    drift: 'off',
    ...overrides
  }
}

export interface TestContext {
  ctx: EngineContext
  lines: string[]
  close: () => Promise<void>
}

export async function openContext(settings: Settings): Promise<TestContext> {
  const client = new pg.Client({ connectionString: settings.databaseUrl.forPg })
  // As the action's own connections (src/connection.ts): a session ended by the server is an error of the next query, not of the process.
  client.on('error', () => undefined)
  await client.connect()
  const lines: string[] = []
  const extra: pg.Client[] = []
  const base = createEngineContext(settings, client, silentLogger(lines))
  const ctx: EngineContext = {
    ...base,
    connect: async () => {
      const c = await base.connect()
      extra.push(c)
      return c
    }
  }
  return {
    ctx,
    lines,
    close: async () => {
      for (const c of extra) await c.end().catch(() => undefined)
      await client.end()
    }
  }
}
