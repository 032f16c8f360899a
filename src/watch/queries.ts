import type pg from 'pg'

/**
 * What the watcher reads, from a session other than the migration's: one query for lock waits, one
 * for progress. Neither selects another session's query text (it may hold a password literal), only
 * pids, application names, lock modes and relation names.
 */

/** The sessions that run the migration: the SQL engine's by pid, Alembic's by the application_name the action gives it. */
export interface MigrationSessionsFilter {
  pids?: number[]
  applicationName?: string
}

/** One session waiting for a heavyweight lock, on the migration or as the migration. */
export interface LockWaitRow {
  pid: number
  app: string | null
  /** True for the migration's own session. */
  migration: boolean
  mode: string
  locktype: string
  relation: string | null
  transactionid: string | null
  virtualxid: string | null
  /** Since pg_locks.waitstart (PostgreSQL 14+); null before, or in the instant after the wait began. */
  ms: number | null
  /** For the migration's own waits: the sessions it waits for. */
  blockers: { pid: number; app: string | null }[] | null
}

/**
 * Every lock wait on this database that involves the migration: sessions whose blockers include a
 * migration session (it holds the lock, or queued for it ahead of them), and the migration sessions'
 * own waits. Built from pg_locks' ungranted rows, which every role may read (pg_stat_activity hides
 * the wait state of other roles' sessions without pg_read_all_stats); pg_blocking_pids runs once per
 * waiting session (OFFSET 0 keeps the planner from calling it on every lock), and when nothing waits
 * the query reads pg_locks and nothing else. application_name and pid are visible to every role.
 */
const LOCK_WAITS_SQL = `
WITH migration AS (
  SELECT COALESCE($1::int[], '{}') || ARRAY(
           SELECT pid FROM pg_stat_activity
            WHERE $2::text IS NOT NULL AND application_name = $2 AND datname = current_database() AND pid <> pg_backend_pid()
         ) AS pids
)
SELECT w.pid, a.application_name AS app, w.pid = ANY(m.pids) AS migration,
       w.mode, w.locktype, w.relation::regclass::text AS relation, w.transactionid::text AS transactionid, w.virtualxid,
       (extract(epoch FROM now() - w.waitstart) * 1000)::float8 AS ms,
       CASE WHEN w.pid = ANY(m.pids) THEN
         (SELECT json_agg(json_build_object('pid', b.pid, 'app', b.application_name) ORDER BY b.pid) FROM pg_stat_activity b WHERE b.pid = ANY(w.blockers))
       END AS blockers
  FROM (SELECT l.pid, l.mode, l.locktype, l.relation, l.transactionid, l.virtualxid,
               (to_jsonb(l) ->> 'waitstart')::timestamptz AS waitstart, pg_blocking_pids(l.pid) AS blockers
          FROM pg_locks l
         WHERE NOT l.granted AND l.pid IS NOT NULL AND l.pid <> pg_backend_pid()
        OFFSET 0) w
  CROSS JOIN migration m
  LEFT JOIN pg_stat_activity a ON a.pid = w.pid
 WHERE cardinality(m.pids) > 0 AND (w.pid = ANY(m.pids) OR w.blockers && m.pids)`

export async function readLockWaits(client: pg.Client, sessions: MigrationSessionsFilter): Promise<LockWaitRow[]> {
  const { rows } = await client.query<LockWaitRow>({ name: 'pgma-watch-lock-waits', text: LOCK_WAITS_SQL, values: filterValues(sessions) })
  return rows
}

/** A migration session's statement in flight, with its CREATE INDEX progress when it builds one. */
export interface ProgressRow {
  pid: number
  /** Since the statement (for a multi-statement message, the message) began. */
  ms: number | null
  /** 'Lock' while it waits for a lock. */
  wait_type: string | null
  wait_event: string | null
  phase: string | null
  command: string | null
  table: string | null
  index: string | null
  blocks_total: string | null
  blocks_done: string | null
  tuples_total: string | null
  tuples_done: string | null
  lockers_total: string | null
  lockers_done: string | null
  partitions_total: string | null
  partitions_done: string | null
}

const PROGRESS_SQL = `
SELECT a.pid, (extract(epoch FROM now() - a.query_start) * 1000)::float8 AS ms, a.wait_event_type AS wait_type, a.wait_event,
       p.phase, p.command, p.relid::regclass::text AS "table", NULLIF(p.index_relid, 0)::regclass::text AS index,
       p.blocks_total, p.blocks_done, p.tuples_total, p.tuples_done, p.lockers_total, p.lockers_done, p.partitions_total, p.partitions_done
  FROM pg_stat_activity a
  LEFT JOIN pg_stat_progress_create_index p ON p.pid = a.pid
 WHERE (a.pid = ANY(COALESCE($1::int[], '{}')) OR ($2::text IS NOT NULL AND a.application_name = $2 AND a.datname = current_database()))
   AND a.pid <> pg_backend_pid() AND a.state = 'active'
 ORDER BY a.pid`

export async function readProgress(client: pg.Client, sessions: MigrationSessionsFilter): Promise<ProgressRow[]> {
  const { rows } = await client.query<ProgressRow>({ name: 'pgma-watch-progress', text: PROGRESS_SQL, values: filterValues(sessions) })
  return rows
}

function filterValues(sessions: MigrationSessionsFilter): [number[] | null, string | null] {
  return [sessions.pids ?? null, sessions.applicationName ?? null]
}
