import type pg from 'pg'
import { ActionError } from './errors.js'
import type { Logger } from './logger.js'
import { Backoff, sleep as realSleep } from './backoff.js'

/**
 * One session-level advisory lock per database serialises every runner of this action (SQL and
 * Alembic alike). Session-level, not transaction-level: it must survive the per-migration commits
 * and the non-transactional statements (CONCURRENTLY) in between.
 *
 * The key is visible in pg_locks as classid 1885824353 ('pgma'), objid 1.
 */
export const LOCK_KEY = [1885824353, 1] as const

export interface LockResult {
  acquired: boolean
  waitedMs: number
  /** Who held it when we arrived, if anyone: "pid 123 (pg-migrate-action), running for 2.1 s". */
  heldBy?: string
}

export interface LockOptions {
  timeoutMs: number
  /** Polling bounds: the first retry comes after `minPollMs`, later ones back off to `maxPollMs`. */
  minPollMs: number
  maxPollMs: number
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
  if (await tryLock(client)) return { acquired: true, waitedMs: 0 }

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
      return { acquired: true, waitedMs, heldBy }
    }
  }
}

async function tryLock(client: pg.Client): Promise<boolean> {
  const result = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [...LOCK_KEY])
  return result.rows[0].ok
}

export async function releaseMigrationLock(client: pg.Client): Promise<void> {
  await client.query('SELECT pg_advisory_unlock($1, $2)', [...LOCK_KEY])
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
