import type pg from 'pg'
import { Backoff, sleep as realSleep } from './backoff.js'
import { closeQuietly, openClient } from './connection.js'
import { cancellableSleep } from './cancel.js'
import { ActionError, errorMessage, isActionError } from './errors.js'
import type { Settings } from './inputs.js'
import type { Logger } from './logger.js'
import { classifyConnectionError } from './pg-errors.js'
import { waitForServer } from './wait.js'

/**
 * One session-level advisory lock per database serialises every runner of this action (SQL and
 * Alembic alike). Session-level, not transaction-level: it must survive the per-migration commits
 * and the non-transactional statements (CONCURRENTLY) in between.
 *
 * The key is visible in pg_locks as classid 1885824353 ('pgma'), objid 1.
 */
export const LOCK_KEY = [1885824353, 1] as const

/** How the lock's own session shows in pg_stat_activity. */
export const LOCK_APPLICATION_NAME = 'pg-migrate-action lock'

/** How the sessions that run migrations show in pg_stat_activity: the SQL engine's, and the Alembic interpreter's (through PGAPPNAME). */
export const MIGRATION_APPLICATION_NAMES = { sql: 'pg-migrate-action migration', alembic: 'pg-migrate-action (alembic)' } as const

export interface LockResult {
  waitedMs: number
  /** Who held it when we arrived, if anyone: "pid 123 (pg-migrate-action), running for 2.1 s". */
  heldBy?: string
  /** The migration sessions of an earlier run, still running when the lock was free, that this run waited for. */
  waitedForSessions?: string
}

export interface LockOptions {
  timeoutMs: number
  /** Polling bounds: the first retry comes after `minPollMs`, later ones back off to `maxPollMs`. */
  minPollMs: number
  maxPollMs: number
}

/**
 * The migration lock of one run, held on a session of its own. A session dies with the server (a
 * restart, a failover) and its lock with it, while the run may reconnect and carry on: so the
 * engine calls `ensureHeld()` before every migration, which re-acquires a lost lock — waiting for
 * the server and for another runner as at the start — and says so, because another runner may have
 * applied migrations in between.
 */
export class MigrationLock {
  private current: pg.Client | undefined

  /** `signal`: a cancelled run stops waiting for the lock. */
  constructor(
    private readonly settings: Settings,
    private readonly log: Logger,
    private readonly signal?: AbortSignal
  ) {}

  /** The session holding the lock, for bookkeeping that must not depend on a migration session. */
  get session(): pg.Client {
    if (!this.current) throw new Error('The migration lock is not held.')
    return this.current
  }

  async acquire(): Promise<LockResult> {
    let session: pg.Client
    try {
      session = await openClient(this.settings.databaseUrl, { connectTimeoutMs: this.settings.connectTimeoutMs, applicationName: LOCK_APPLICATION_NAME })
    } catch (error) {
      throw new ActionError('lock-session-failed', `Could not open the session that holds the migration lock: ${classifyConnectionError(error).reason}.`, {
        hint: "The server answered the readiness check but refused one more connection: check max_connections (or the pooler's limit) and run again.",
        cause: error
      })
    }
    return this.acquireOn(session)
  }

  /**
   * Resolves to false when the lock is still held, true when it had been lost and was re-acquired
   * (re-read what is applied before going on). Throws an ActionError when the server does not come
   * back or another runner keeps the lock for longer than wait-timeout.
   */
  async ensureHeld(): Promise<boolean> {
    if (await this.stillHeld()) return false
    this.log.info('The migration lock was lost with its connection; waiting for the server and re-acquiring it (wait-timeout).')
    await closeQuietly(this.current)
    this.current = undefined
    try {
      const { client } = await waitForServer(this.settings.databaseUrl, waitOptions(this.settings), ungrouped(this.log), {
        connect: (url, options) => openClient(url, { ...options, applicationName: LOCK_APPLICATION_NAME }),
        sleep: cancellableSleep(this.signal)
      })
      const result = await this.acquireOn(client)
      this.log.info(`Migration lock re-acquired${result.waitedMs > 0 ? ` after waiting ${result.waitedMs} ms for ${result.heldBy}` : ''}.`)
    } catch (error) {
      throw isActionError(error) && error.code === 'cancelled' ? error : lockLost(error)
    }
    return true
  }

  async release(): Promise<void> {
    const session = this.current
    this.current = undefined
    if (!session) return
    await session.query('SELECT pg_advisory_unlock($1, $2)', [...LOCK_KEY]).catch(() => undefined)
    await closeQuietly(session)
  }

  private async acquireOn(session: pg.Client): Promise<LockResult> {
    try {
      const start = Date.now()
      const deps = { sleep: cancellableSleep(this.signal) }
      const result = await acquireMigrationLock(session, lockOptions(this.settings), this.log, deps)
      // One wait-timeout for both waits.
      const waitedForSessions = await waitForEarlierMigrations(session, lockOptions(this.settings), this.log, { ...deps, since: start })
      this.current = session
      return waitedForSessions ? { waitedMs: Date.now() - start, heldBy: result.heldBy, waitedForSessions } : result
    } catch (error) {
      await closeQuietly(session)
      throw error
    }
  }

  /** One query on the lock's own session: alive, and the lock is still this backend's. */
  private async stillHeld(): Promise<boolean> {
    if (!this.current) return false
    try {
      const result = await this.current.query<{ held: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND objsubid = 2 AND granted AND pid = pg_backend_pid()) AS held`,
        [...LOCK_KEY]
      )
      return result.rows[0].held
    } catch {
      return false
    }
  }
}

/** Capped at 1 s: a waiting run should notice the release promptly, without hammering the server. */
function lockOptions(settings: Settings): LockOptions {
  return { timeoutMs: settings.waitTimeoutMs, minPollMs: settings.retryDelayMs, maxPollMs: Math.min(settings.maxRetryDelayMs, 1000) }
}

function waitOptions(settings: Settings): Parameters<typeof waitForServer>[1] {
  return { timeoutMs: settings.waitTimeoutMs, retryDelayMs: settings.retryDelayMs, maxRetryDelayMs: settings.maxRetryDelayMs, connectTimeoutMs: settings.connectTimeoutMs }
}

/** The readiness wait opens a log group of its own; inside the apply group its lines stay plain. */
function ungrouped(log: Logger): Logger {
  return { ...log, group: (_title, fn) => fn() }
}

/**
 * Polls with pg_try_advisory_lock instead of blocking in pg_advisory_lock: a session blocked in a
 * statement holds a snapshot, and the lock holder's CREATE INDEX CONCURRENTLY waits for every older
 * snapshot to finish — so a blocked waiter would deadlock the run it is waiting for.
 */
export async function acquireMigrationLock(
  client: pg.Client,
  options: LockOptions,
  log: Logger,
  deps: { now?: () => number; sleep?: (ms: number) => Promise<void> } = {}
): Promise<LockResult> {
  const now = deps.now ?? Date.now
  const sleep = deps.sleep ?? realSleep
  const start = now()
  if (await tryLock(client)) return { waitedMs: 0 }

  const heldBy = await describeHolder(client)
  log.info(`Another migration run holds the lock (${heldBy}); waiting up to ${options.timeoutMs / 1000} s (wait-timeout).`)
  const backoff = new Backoff(options.minPollMs, Math.max(options.minPollMs, options.maxPollMs))
  for (;;) {
    const remaining = start + options.timeoutMs - now()
    if (remaining <= 0) throw lockTimeout(heldBy, options.timeoutMs)
    await sleep(Math.min(backoff.next(), remaining))
    if (await tryLock(client)) {
      const waitedMs = now() - start
      log.info(`Lock acquired after ${waitedMs} ms.`)
      return { waitedMs, heldBy }
    }
  }
}

/**
 * The lock and the migrations run on different sessions, and the lock being free does not mean no
 * migration runs: when the action is killed (`kill -9`, a lost runner) the lock session's backend,
 * idle, reads the end of its connection at once and ends, freeing the lock — while a migration
 * backend busy in a statement notices its client is gone only when it next writes to it, after the
 * statement; a migration sent as one message (BEGIN … COMMIT) even commits first. A run that took the
 * lock then would apply the same migration beside it.
 *
 * So, holding the lock, the run waits — polling, bounded by what is left of wait-timeout — until no
 * session with a migration application_name is busy on this database, and only then reads what is
 * applied. Idle ones do not count: a dead client's idle session ends at once and has nothing in
 * flight, and this run's own migration session is idle whenever the lock is (re-)acquired. The other
 * way, holding the advisory lock on the migration session itself, would put the lock inside the
 * Alembic interpreter's connection, which env.py opens and the action does not control; both
 * engines' sessions carry an application_name the action sets.
 *
 * `deps.since`: when the wait-timeout began to count (before the wait for the lock itself). Resolves
 * to what it waited for ("pid 123 (pg-migrate-action migration, active for 4.2 s)"), or undefined.
 */
export async function waitForEarlierMigrations(
  client: pg.Client,
  options: LockOptions,
  log: Logger,
  deps: { now?: () => number; sleep?: (ms: number) => Promise<void>; since?: number } = {}
): Promise<string | undefined> {
  const now = deps.now ?? Date.now
  const sleep = deps.sleep ?? realSleep
  const start = now()
  const deadline = (deps.since ?? start) + options.timeoutMs
  let busy = await busyMigrationSessions(client)
  if (busy.length === 0) return undefined
  const first = busy.map(describeMigrationSession).join('; ')
  log.info(
    `A migration of an earlier run is still running on this database (${first}): its run ended without it (killed?). ` +
      `Waiting up to ${formatSeconds(Math.max(0, deadline - now()))} (wait-timeout) for it to finish before reading what is applied.`
  )
  const backoff = new Backoff(options.minPollMs, Math.max(options.minPollMs, options.maxPollMs))
  for (;;) {
    const remaining = deadline - now()
    if (remaining <= 0) throw migrationStillRunning(busy, options.timeoutMs)
    await sleep(Math.min(backoff.next(), remaining))
    busy = await busyMigrationSessions(client)
    if (busy.length === 0) {
      log.info(`The earlier run's migration session ended after ${now() - start} ms; reading what it left.`)
      return first
    }
  }
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`
}

/** Without its query: the migration's text may hold a password literal, and the pid finds it. */
interface MigrationSession {
  pid: number
  app: string
  state: string | null
  seconds: number | null
}

async function busyMigrationSessions(client: pg.Client): Promise<MigrationSession[]> {
  const { rows } = await client.query<MigrationSession>(
    `SELECT pid, application_name AS app, state, extract(epoch FROM now() - query_start)::float AS seconds
       FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = ANY($1) AND state IS DISTINCT FROM 'idle'
      ORDER BY pid`,
    [Object.values(MIGRATION_APPLICATION_NAMES)]
  )
  return rows
}

function describeMigrationSession(s: MigrationSession): string {
  const running = s.seconds === null ? '' : ` for ${s.seconds.toFixed(1)} s`
  return `pid ${s.pid} (${s.app}, ${s.state ?? 'state not visible'}${running})`
}

function migrationStillRunning(busy: MigrationSession[], timeoutMs: number): ActionError {
  const pids = busy.map((s) => s.pid).join(', ')
  return new ActionError(
    'migration-still-running',
    `A migration of an earlier run was still running on this database after wait-timeout (${timeoutMs / 1000} s): ${busy.map(describeMigrationSession).join('; ')}. Nothing was applied by this run.`,
    {
      hint:
        `Its run ended without it (killed), so it finishes its statement and then commits or rolls back on its own. Wait for it, or end it — its open transaction rolls back — with ` +
        `\`SELECT pg_terminate_backend(pid) FROM unnest(ARRAY[${pids}]) AS pid\`, then run again: the next run reads what it left.`
    }
  )
}

async function tryLock(client: pg.Client): Promise<boolean> {
  const result = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [...LOCK_KEY])
  return result.rows[0].ok
}

async function describeHolder(client: pg.Client): Promise<string> {
  const holder = await client.query<{ pid: number; app: string; seconds: number }>(
    `SELECT l.pid, a.application_name AS app, extract(epoch FROM now() - a.backend_start)::float AS seconds
       FROM pg_locks l JOIN pg_stat_activity a USING (pid)
      WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.objid = $2 AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      LIMIT 1`,
    [...LOCK_KEY]
  )
  const row = holder.rows[0]
  if (!row) return 'holder already gone'
  return `pid ${row.pid} (${row.app || 'unknown application'}), connected ${row.seconds.toFixed(1)} s ago`
}

function lockTimeout(heldBy: string, timeoutMs: number): ActionError {
  return new ActionError('lock-timeout', `Another migration run kept the migration lock for longer than wait-timeout (${timeoutMs / 1000} s): ${heldBy}.`, {
    hint: 'Wait for the other job to finish (or cancel it) and re-run; raise wait-timeout if migrations legitimately take longer. Nothing was applied by this run.'
  })
}

function lockLost(error: unknown): ActionError {
  return new ActionError(
    'lock-lost',
    `The migration lock was lost with its connection (a server restart or a network failure) and could not be re-acquired: ${errorMessage(error)}`,
    {
      hint: 'Run again once the server is stable and no other migration run is active; the migrations this run applied before the loss stay applied. Raise wait-timeout if the server takes longer to come back.',
      cause: error
    }
  )
}
