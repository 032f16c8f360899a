import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type pg from 'pg'
import { analyzeGraph } from '../../src/chain/graph.js'
import { closeQuietly, openClient } from '../../src/connection.js'
import { parseDatabaseUrl } from '../../src/database-url.js'
import { createEngineContext } from '../../src/engines/context.js'
import type { ApplyResult, Chain, DatabaseState, Engine, EngineContext, PendingRevision, Problem } from '../../src/engines/engine.js'
import { createSqlEngine } from '../../src/engines/sql/index.js'
import type { Settings } from '../../src/inputs.js'
import { MigrationLock } from '../../src/lock.js'
import { silentLogger } from '../../src/logger.js'

/**
 * Drives the SQL engine the way the orchestrator does (load, check, read state, stop on error
 * problems, pending, apply) against a real database, with migration files in a temp directory.
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

  engine(): Engine {
    return createSqlEngine(this.settings(), this.dir.cwd)
  }

  async context(): Promise<EngineContext> {
    const settings = this.settings()
    this.client ??= await openClient(settings.databaseUrl, { connectTimeoutMs: settings.connectTimeoutMs, applicationName: 'pgma-test action' })
    return createEngineContext(settings, this.client, silentLogger(this.log))
  }

  /** One run as the orchestrator does it (the migration lock held in migrate mode); `mode: 'plan'` renders instead of applying. */
  async run(mode: 'migrate' | 'plan' | 'validate' = 'migrate'): Promise<EngineRun> {
    if (mode !== 'migrate') return this.runWith(await this.context(), mode)
    const lock = new MigrationLock(this.settings(), silentLogger(this.log))
    await lock.acquire()
    try {
      return await this.runWith({ ...(await this.context()), lock }, mode)
    } finally {
      await lock.release()
    }
  }

  private async runWith(ctx: EngineContext, mode: 'migrate' | 'plan' | 'validate'): Promise<EngineRun> {
    const engine = this.engine()
    const chain = await engine.loadChain()
    const state = await engine.readState(ctx, chain)
    const problems = [...analyzeGraph(chain.revisions).problems, ...engine.checkChain(chain), ...state.problems]
    const base = { chain, state, problems, log: this.log }
    if (problems.some((p) => p.severity === 'error') || mode === 'validate') return base
    const pending = engine.pending(chain, state)
    if (mode === 'plan') return { ...base, rendered: await engine.renderSql(ctx, chain, state, pending) }
    return { ...base, result: await engine.apply(ctx, chain, state, pending) }
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
