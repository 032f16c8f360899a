import type pg from 'pg'
import { sleep } from '../../backoff.js'
import type { CancelSignal } from '../../cancel.js'
import { ancestorsOf } from '../../chain/graph.js'
import { MIGRATION_APPLICATION_NAMES } from '../../lock.js'
import type { ApplyResult, Chain, Revision, RevisionRun } from '../engine.js'
import type { RevisionSource } from './project.js'
import type { AlembicProcess } from './run.js'
import { versionTableName, type VersionTable } from './version-table.js'

/** How long the sessions of a killed interpreter may take to end; the runner kills the action ~10 s after its first signal. */
const SESSIONS_END_MS = 5000

/**
 * The interpreter of a cancelled upgrade is dead (AlembicSession.kill), but its database session may
 * still run the statement it sent: the server notices a dead client only when it next writes to it,
 * and would finish the statement — or commit — after this run released the lock. It is ended
 * (pg_terminate_backend, which rolls back its open transaction) and waited for, so that the version
 * table read afterwards is final. The session is recognised by the application_name the action gives
 * Alembic (PGAPPNAME): holding the migration lock, any such session on this database is this run's.
 * Resolves to the pids it ended.
 */
export async function endInterpreterSessions(client: pg.Client): Promise<number[]> {
  // In the select list, not in WHERE: there the planner may call it before the filters, on every session.
  const ended = await client.query<{ pid: number; ended: boolean }>(
    `SELECT pid, pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1`,
    [MIGRATION_APPLICATION_NAMES.alembic]
  )
  const pids = ended.rows.filter((r) => r.ended).map((r) => r.pid)
  const deadline = Date.now() + SESSIONS_END_MS
  while (pids.length > 0 && Date.now() < deadline) {
    const left = await client.query('SELECT 1 FROM pg_stat_activity WHERE pid = ANY($1)', [pids])
    if (left.rowCount === 0) break
    await sleep(50)
  }
  return pids
}

export interface CancelledUpgrade {
  chain: Chain
  /** The version rows before the upgrade, and after the interpreter and its sessions ended. */
  before: string[]
  after: string[]
  pending: Revision[]
  proc: AlembicProcess
  sources: Map<string, RevisionSource>
  table: VersionTable
  signal: CancelSignal
  endedSessions: number[]
}

/** What a cancelled upgrade left, from the version table: committed revisions are applied, the others are not. */
export function cancelledUpgradeResult(c: CancelledUpgrade): ApplyResult {
  const appliedBefore = ancestorsOf(c.chain.revisions, c.before)
  const appliedAfter = ancestorsOf(c.chain.revisions, c.after)
  const committed = c.pending.filter((r) => appliedAfter.has(r.id) && !appliedBefore.has(r.id)).map((r) => r.id)
  const ran = new Set(c.proc.progress.map((p) => p.to))
  const last = c.proc.progress.at(-1)?.to
  const stopped = last && !committed.includes(last) ? last : undefined
  const runs: RevisionRun[] = c.pending.map((revision) => {
    const source = c.sources.get(revision.id)
    const applied = committed.includes(revision.id)
    const status: RevisionRun['status'] = applied ? 'applied' : ran.has(revision.id) ? 'rolled-back' : 'not-run'
    return {
      id: revision.id,
      description: revision.description,
      file: revision.file,
      status,
      attempts: 1,
      transactional: !source?.autocommit,
      notes: revision.id === stopped ? ['stopped by the cancel'] : status === 'rolled-back' ? ['ran, but was rolled back with the transaction the cancel ended'] : []
    }
  })

  const tableName = versionTableName(c.table)
  const at = (ids: string[]): string => (ids.length === 0 ? 'no revision' : ids.join(', '))
  const first = c.pending.find((r) => r.id === stopped) ?? c.pending.find((r) => !committed.includes(r.id)) ?? c.pending[0]
  const sessions = c.endedSessions.length > 0 ? ` and its database session (pid ${c.endedSessions.join(', ')}) ended` : ''
  const withIt = runs.filter((r) => r.status === 'rolled-back' && r.id !== stopped).map((r) => r.id)
  // Starts with a word: the report capitalises the first letter, and a revision id must stay as it is.
  let databaseState: string
  if (stopped) {
    // transactional_ddl=False does not make statements stay: the connection still runs them in a transaction the kill ends (issue 16, item 2).
    const outside = c.sources.get(stopped)?.autocommit ? 'autocommit_block()' : undefined
    databaseState =
      `Stopped by the cancel: ${stopped} was rolled back with its open transaction` +
      (withIt.length > 0 ? ` (${withIt.join(', ')} ran before it in that transaction and went with it)` : '') +
      (outside ? `, except the statements it ran outside a transaction (${outside}) before the cancel, which stay` : '')
  } else {
    databaseState = committed.length > 0 ? 'No revision was running when the cancel came' : 'Rolled back: nothing of this run was committed'
  }
  databaseState += `; the version table ${tableName} records ${at(c.after)}`
  return {
    runs,
    current: c.after,
    failure: {
      code: 'cancelled',
      revision: first.id,
      file: first.file,
      line: first.line,
      message: `The run was cancelled (${c.signal}) during alembic upgrade head${stopped ? `, while ${stopped} was running` : ''}: the Python interpreter was stopped${sessions}.`,
      databaseState,
      recovery: [`Run the job again: Alembic continues from ${at(c.after)}.`],
      log: c.proc.log
    }
  }
}
