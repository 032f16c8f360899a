import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type pg from 'pg'
import { closeQuietly, openClient } from '../../src/connection.js'
import { parseDatabaseUrl } from '../../src/database-url.js'
import { createEngineContext } from '../../src/engines/context.js'
import { ActionError } from '../../src/errors.js'
import type { ApplyResult, Chain, DatabaseState, EngineContext, PendingRevision, Problem } from '../../src/engines/engine.js'
import { createSqlEngine, type SqlEngine } from '../../src/engines/sql/index.js'
import type { InputName, Mode, Settings } from '../../src/inputs.js'
import { runPipeline } from '../../src/pipeline/index.js'
import { silentLogger } from '../../src/logger.js'

/**
 * Runs the real pipeline with the SQL engine against a real database, with migration files in a
 * temp directory.
 */

export function sqlSettings(url: string, overrides: Partial<Settings> = {}): Settings {
  return {
    databaseUrl: parseDatabaseUrl(url),
    engine: 'sql',
    migrationsPath: 'migrations',
    mode: 'migrate',
    extensions: [],
    requireExtensions: false,
    waitTimeoutMs: 10_000,
    retryDelayMs: 10,
    maxRetryDelayMs: 40,
    retries: 2,
    connectTimeoutMs: 5_000,
    lockTimeout: '10s',
    statementTimeout: '0',
    summary: false,
    python: 'python3',
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

/** A working directory with a `migrations/` folder; files can be written, changed and removed. */
export class MigrationDir {
  readonly cwd: string
  readonly dir: string
  constructor() {
    this.cwd = mkdtempSync(path.join(tmpdir(), 'pgma-sql-'))
    this.dir = path.join(this.cwd, 'migrations')
    mkdirSync(this.dir)
  }
  write(files: Record<string, string>): this {
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(this.dir, name), content)
    return this
  }
  remove(name: string): void {
    unlinkSync(path.join(this.dir, name))
  }
  cleanup(): void {
    rmSync(this.cwd, { recursive: true, force: true })
  }
}

export interface EngineRun {
  chain: Chain
  state: DatabaseState
  problems: Problem[]
  /** Absent when validation stopped the run. */
  result?: ApplyResult
  rendered?: PendingRevision[]
  log: string[]
}

/** The inputs a workflow would give for these settings. */
function inputsFor(url: string, settings: Settings, mode: Mode): Record<InputName, string> {
  return {
    'database-url': url,
    engine: 'sql',
    'migrations-path': settings.migrationsPath,
    mode,
    extensions: '',
    'require-extensions': 'false',
    'wait-timeout': String(settings.waitTimeoutMs / 1000),
    'retry-delay': String(settings.retryDelayMs),
    'max-retry-delay': String(settings.maxRetryDelayMs),
    retries: String(settings.retries),
    'connect-timeout': String(settings.connectTimeoutMs / 1000),
    'lock-timeout': settings.lockTimeout,
    'statement-timeout': settings.statementTimeout,
    summary: 'false',
    python: settings.python,
    'history-table': `${settings.historyTable.schema}.${settings.historyTable.table}`,
    'allow-out-of-order': String(settings.allowOutOfOrder),
    'alembic-requirements': '',
    'alembic-version-table': '',
    // The engine tests exercise applying; the lint gate has its own tests.
    'fail-on-risk': 'none',
    backup: 'never',
    'repair-action': '',
    'repair-revision': '',
    'verify-downgrade': 'none',
    'allow-destructive-verify': 'false',
    transaction: settings.transaction,
    'pr-comment': 'never',
    'github-token': '',
    checks: settings.checks ?? '',
    'checks-timeout': settings.checksTimeout,
    'target-revision': settings.targetRevision ?? '',
    'maintenance-work-mem': settings.maintenanceWorkMem === undefined ? '' : settings.maintenanceWorkMem.kind === 'auto' ? 'auto' : settings.maintenanceWorkMem.text,
    'maintenance-work-mem-max': `${settings.maintenanceWorkMemMaxKb}kB`,
    'max-parallel-maintenance-workers': settings.maxParallelMaintenanceWorkers === undefined ? '' : String(settings.maxParallelMaintenanceWorkers),
    drift: settings.drift,
    'shadow-database-url': '',
    databases: '',
    'databases-query': '',
    'max-parallel': '4',
    canary: '1',
    'on-error': 'stop',
    'reports-path': ''
  }
}

export class SqlHarness {
  readonly log: string[] = []
  private client?: pg.Client

  constructor(
    readonly url: string,
    readonly dir: MigrationDir,
    readonly overrides: Partial<Settings> = {}
  ) {}

  settings(): Settings {
    return sqlSettings(this.url, this.overrides)
  }

  engine(): SqlEngine {
    return createSqlEngine(this.settings(), this.dir.cwd)
  }

  async context(): Promise<EngineContext> {
    const settings = this.settings()
    this.client ??= await openClient(settings.databaseUrl, { connectTimeoutMs: settings.connectTimeoutMs, applicationName: 'pgma-test action' })
    return createEngineContext(settings, this.client, silentLogger(this.log))
  }

  /**
   * One run of the real pipeline on the migrations directory; `plan` renders instead of applying.
   * Errors other than an invalid chain or a failed migration are thrown, as the engine raised them.
   */
  async run(mode: 'migrate' | 'plan' | 'validate' = 'migrate'): Promise<EngineRun> {
    const inputs = inputsFor(this.url, this.settings(), mode)
    const { report } = await runPipeline((name) => inputs[name], {
      log: silentLogger(this.log),
      env: {},
      selectEngine: (settings) => createSqlEngine(settings, this.dir.cwd)
    })
    const error = report.error
    if (error && error.code !== 'chain-invalid' && error.code !== 'migration-failed') {
      throw error.bug ? new Error(error.message) : new ActionError(error.code, error.message, { hint: error.hint, location: error.location, details: error.details })
    }
    if (!report.chain || !report.state) throw new Error(`The run stopped before validation: ${error?.message ?? 'no error'}`)
    return { chain: report.chain, state: report.state, problems: report.problems, result: report.apply, rendered: report.plan, log: this.log }
  }

  async query(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
    const ctx = await this.context()
    return ctx.client.query(sql, params)
  }

  async history(): Promise<{ version: string; dirty: boolean; statements_done: number | null }[]> {
    const result = await this.query(`SELECT version, dirty, statements_done FROM public.pg_migrate_history ORDER BY version`)
    return result.rows
  }

  async close(): Promise<void> {
    await closeQuietly(this.client)
    this.client = undefined
  }
}
