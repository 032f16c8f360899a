import { plural } from '../report/markdown.js'
import type { LockWaitRow } from './queries.js'

/** One session's wait for a heavyweight lock, as the watcher saw it. */
export interface LockWait {
  pid: number
  /** Its application_name ('' when it set none). */
  applicationName: string
  /** The lock mode it wanted, e.g. AccessShareLock. */
  mode: string
  /** pg_locks.locktype: relation, tuple, transactionid, virtualxid, object, advisory, … */
  lockType: string
  /** The relation the lock is on (relation, tuple, page, extend locks), as regclass prints it. */
  relation?: string
  /** The transaction waited for (transactionid locks: a row it changed; virtualxid: an older transaction). */
  transaction?: string
  /** The longest this wait was seen lasting. */
  waitedMs: number
  /** The migration's own waits: the sessions that held it up. */
  heldBy?: { pid: number; applicationName: string }[]
}

/** What one migration did to other sessions' locks and they to its, while it ran. */
export interface LockWaits {
  /** Sessions that waited for the migration (a lock it held, or one it queued for ahead of them): each one's longest wait, longest first. */
  blocked: LockWait[]
  /** What the migration itself waited for, longest first. */
  waited: LockWait[]
  /** lock-timeout as given and in ms (0: none): a wait longer than it is a warning annotation. */
  lockTimeout: { text: string; ms: number }
  /** transaction: all — the waits belong to the run's one transaction, not to this migration alone. */
  scope?: string
}

/** A sample's waits are merged into what the migration has seen so far: one entry per session and lock, its longest wait kept. */
export class LockWaitLog {
  private readonly waits = new Map<string, LockWait & { migration: boolean; lastSample: number; runMs: number }>()
  private sample = 0
  /** When the previous sample was taken, for waits whose start the server does not report (before PostgreSQL 14). */
  private previousAt: number | undefined

  constructor(private readonly scope?: string) {}

  get empty(): boolean {
    return this.waits.size === 0
  }

  add(rows: LockWaitRow[], at: number): void {
    this.sample++
    const sincePrevious = this.previousAt === undefined ? 0 : at - this.previousAt
    for (const row of rows) {
      const transaction = row.transactionid ?? row.virtualxid ?? undefined
      const key = [row.migration, row.pid, row.mode, row.locktype, row.relation, transaction].join(' ')
      const known = this.waits.get(key)
      // Without the server's waitstart a wait counts from the first sample that saw it.
      const runMs = row.ms ?? (known && known.lastSample === this.sample - 1 ? known.runMs + sincePrevious : 0)
      const heldBy = row.migration && row.blockers ? row.blockers.map((b) => ({ pid: b.pid, applicationName: b.app ?? '' })) : known?.heldBy
      this.waits.set(key, {
        pid: row.pid,
        applicationName: row.app ?? '',
        mode: row.mode,
        lockType: row.locktype,
        ...(row.relation ? { relation: row.relation } : {}),
        ...(transaction ? { transaction } : {}),
        waitedMs: Math.max(runMs, known?.waitedMs ?? 0),
        ...(heldBy?.length ? { heldBy } : {}),
        migration: row.migration,
        lastSample: this.sample,
        runMs
      })
    }
    this.previousAt = at
  }

  result(lockTimeout: LockWaits['lockTimeout']): LockWaits {
    const all = [...this.waits.values()].map(({ migration, lastSample: _lastSample, runMs: _runMs, ...wait }) => ({ migration, wait }))
    const longestFirst = (a: LockWait, b: LockWait): number => b.waitedMs - a.waitedMs || a.pid - b.pid
    // A session that waited several times counts once, with its longest wait.
    const perSession = new Map<number, LockWait>()
    for (const { wait } of all.filter((w) => !w.migration)) {
      const kept = perSession.get(wait.pid)
      if (!kept || wait.waitedMs > kept.waitedMs) perSession.set(wait.pid, wait)
    }
    return {
      blocked: [...perSession.values()].sort(longestFirst),
      waited: all
        .filter((w) => w.migration)
        .map((w) => w.wait)
        .sort(longestFirst),
      lockTimeout,
      ...(this.scope ? { scope: this.scope } : {})
    }
  }
}

/**
 * "api-server (pid 4711)", or "api-server" in the summary's table; a session without an
 * application_name by its pid. Another session's application_name is its own text: the characters
 * markdown acts on are shown as '?'.
 */
export function sessionName(s: { pid: number; applicationName: string }, withPid = true): string {
  const name = s.applicationName.replace(/[`*[\]<>|\\~]/g, '?')
  if (!name) return `pid ${s.pid}`
  return withPid ? `${name} (pid ${s.pid})` : name
}

/** "AccessShareLock on chunks", "ShareLock on transaction 1234 (a row lock)". */
export function lockTarget(w: LockWait): string {
  switch (w.lockType) {
    case 'relation':
      return `${w.mode} on ${w.relation ?? 'a relation'}`
    case 'tuple':
      return `${w.mode} on a row of ${w.relation ?? 'a relation'}`
    case 'page':
    case 'extend':
      return `${w.mode} on ${w.lockType === 'page' ? 'a page of' : 'extending'} ${w.relation ?? 'a relation'}`
    case 'transactionid':
      return `${w.mode} on transaction ${w.transaction ?? '?'} (a row lock)`
    case 'virtualxid':
      return `${w.mode} on the older transaction ${w.transaction ?? '?'}`
    default:
      return `${w.mode} on a${/^[aeiou]/.test(w.lockType) ? 'n' : ''} ${w.lockType} lock`
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

/** How many other sessions the log names after the longest one. */
const NAMED_AFTER_LONGEST = 2
/** How many of the migration's own waits are named. */
const OWN_WAITS_NAMED = 3

/**
 * The lines the Migrations table (`brief`: the longest wait, without pids, to fit a cell) and the
 * log show for one migration: "blocked 3 sessions, longest 2.1 s: api-server waiting for
 * AccessShareLock on chunks" and "waited 1.2 s for AccessExclusiveLock on chunks, held by psql".
 */
export function describeLockWaits(w: LockWaits, { brief = false } = {}): string[] {
  const lines: string[] = []
  const who = w.scope ? `${w.scope} ` : ''
  const name = (s: { pid: number; applicationName: string }): string => sessionName(s, !brief)
  if (w.blocked.length > 0) {
    const [longest, ...others] = w.blocked
    const also = brief ? [] : others.slice(0, NAMED_AFTER_LONGEST).map((o) => `${name(o)} ${seconds(o.waitedMs)} for ${lockTarget(o)}`)
    const more = others.length > also.length && also.length > 0 ? `, ${others.length - also.length} more` : ''
    lines.push(
      `${who}blocked ${plural(w.blocked.length, 'session')}, longest ${seconds(longest.waitedMs)}: ${name(longest)} waiting for ${lockTarget(longest)}` +
        (also.length > 0 ? `; also ${also.join(', ')}${more}` : '')
    )
  }
  for (const wait of w.waited.slice(0, OWN_WAITS_NAMED)) {
    const heldBy = wait.heldBy?.length ? `, held by ${wait.heldBy.map(name).join(', ')}` : ''
    lines.push(`${who}waited ${seconds(wait.waitedMs)} for ${lockTarget(wait)}${heldBy}`)
  }
  if (w.waited.length > OWN_WAITS_NAMED) lines.push(`${who}waited for ${w.waited.length - OWN_WAITS_NAMED} more locks`)
  return lines
}

/** The waits longer than lock-timeout (none when it is 0): each one is a warning annotation. */
export function waitsOverLockTimeout(w: LockWaits): { wait: LockWait; migrationWaited: boolean }[] {
  if (w.lockTimeout.ms <= 0) return []
  return [
    ...w.blocked.filter((b) => b.waitedMs > w.lockTimeout.ms).map((wait) => ({ wait, migrationWaited: false })),
    ...w.waited.filter((b) => b.waitedMs > w.lockTimeout.ms).map((wait) => ({ wait, migrationWaited: true }))
  ]
}
