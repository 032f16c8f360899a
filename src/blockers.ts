import type pg from 'pg'
import { loadSqlParser } from './sql/parse.js'
import { maskStringLiterals } from './sql/secrets.js'

/** A session that held a lock a migration waited for: the "who holds the lock" line of a report. */
export interface BlockingSession {
  pid: number
  applicationName: string
  /** pg_stat_activity.state, e.g. "idle in transaction". */
  state: string
  /** Its current or last statement, truncated, with every string literal replaced by '…'. */
  query: string
  /** Since its transaction began (or, outside a transaction, since it connected). */
  runningForMs: number
}

const QUERY_CHARS = 200
/** First look soon enough for a short lock_timeout; then every second at most. */
const FIRST_LOOK_MS = 50
const MAX_LOOK_INTERVAL_MS = 1000

/**
 * Looks, while a statement runs, for the sessions blocking it. The answer must be taken while the
 * statement still waits: once lock_timeout cancels it, pg_blocking_pids of its session is empty.
 * The observer is another session (the one holding the migration lock); most statements end before
 * the first look, so they cost a timer and nothing else.
 */
export class BlockerWatch {
  /** The last sessions seen blocking the statement (empty when it never waited on a lock). */
  blockers: BlockingSession[] = []

  constructor(
    private readonly observer: pg.Client,
    private readonly blockedPid: number | null
  ) {}

  async during<T>(run: () => Promise<T>): Promise<T> {
    const blockedPid = this.blockedPid
    if (blockedPid === null) return run()
    this.blockers = []
    let delay = FIRST_LOOK_MS
    let timer: NodeJS.Timeout | undefined
    let running = true
    const look = async (): Promise<void> => {
      const found = await blockingSessions(this.observer, blockedPid).catch(() => [])
      if (!running) return
      if (found.length > 0) this.blockers = found
      delay = Math.min(delay * 2, MAX_LOOK_INTERVAL_MS)
      timer = setTimeout(() => void look(), delay)
    }
    timer = setTimeout(() => void look(), delay)
    try {
      return await run()
    } finally {
      running = false
      clearTimeout(timer)
    }
  }
}

export async function blockingSessions(client: pg.Client, blockedPid: number): Promise<BlockingSession[]> {
  const result = await client.query<{ pid: number; app: string | null; state: string | null; query: string | null; ms: number }>(
    `SELECT pid, application_name AS app, state, left(query, $2) AS query,
            (extract(epoch FROM now() - COALESCE(xact_start, backend_start)) * 1000)::float8 AS ms
       FROM pg_stat_activity WHERE pid = ANY(pg_blocking_pids($1)) ORDER BY pid`,
    [blockedPid, QUERY_CHARS + 1]
  )
  // Another session's SQL: any literal in it may be a password (ALTER ROLE … PASSWORD '…', a dblink
  // connection string) that no migration registered, so literals are never shown.
  const parser = await loadSqlParser()
  const shown = (query: string): string => maskStringLiterals(parser, query.length > QUERY_CHARS ? query.slice(0, QUERY_CHARS) : query) + (query.length > QUERY_CHARS ? '…' : '')
  return result.rows.map((r) => ({
    pid: r.pid,
    applicationName: r.app ?? '',
    state: r.state ?? 'unknown',
    query: shown(r.query ?? ''),
    runningForMs: Math.round(r.ms)
  }))
}

/** The backend pid of a connected node-postgres client (not in its type declarations). */
export function backendPid(client: pg.Client): number | null {
  return (client as unknown as { processID: number | null }).processID ?? null
}

/** "pid 4711 (psql, idle in transaction for 12.3 s): LOCK TABLE busy IN ACCESS EXCLUSIVE MODE" */
export function describeBlocker(b: BlockingSession): string {
  const app = b.applicationName ? `${b.applicationName}, ` : ''
  return `pid ${b.pid} (${app}${b.state} for ${(b.runningForMs / 1000).toFixed(1)} s)${b.query ? `: ${b.query.replace(/\s+/g, ' ').trim()}` : ''}`
}
