import { describe, expect, it } from '@jest/globals'
import { renderReport } from '../../src/report/render.js'
import type { RunReport } from '../../src/report/model.js'
import { describeLockWaits, LockWaitLog, lockTarget, waitsOverLockTimeout, type LockWait, type LockWaits } from '../../src/watch/lock-waits.js'
import { formatDuration, ProgressLines } from '../../src/watch/progress.js'
import type { LockWaitRow, ProgressRow } from '../../src/watch/queries.js'

const TEN_SECONDS = { text: '10s', ms: 10_000 }

function row(overrides: Partial<LockWaitRow>): LockWaitRow {
  return {
    pid: 4711,
    app: 'api-server',
    migration: false,
    mode: 'AccessShareLock',
    locktype: 'relation',
    relation: 'chunks',
    transactionid: null,
    virtualxid: null,
    ms: 150,
    blockers: null,
    ...overrides
  }
}

describe('LockWaitLog', () => {
  it('keeps each session’s longest wait, longest first, and the migration’s own waits with who held them', () => {
    const log = new LockWaitLog()
    log.add([row({ ms: 150 }), row({ pid: 4712, app: 'worker', mode: 'RowExclusiveLock', ms: 120 })], 0)
    log.add([row({ ms: 350 }), row({ pid: 4712, app: 'worker', mode: 'RowExclusiveLock', ms: 320 })], 200)
    // The reader's second, shorter wait on another table does not replace its longest.
    log.add(
      [
        row({ relation: 'documents', ms: 100 }),
        row({ pid: 9, app: 'pg-migrate-action migration', migration: true, mode: 'AccessExclusiveLock', ms: 90, blockers: [{ pid: 77, app: null }] })
      ],
      400
    )
    const result = log.result(TEN_SECONDS)
    expect(result.blocked).toEqual([
      { pid: 4711, applicationName: 'api-server', mode: 'AccessShareLock', lockType: 'relation', relation: 'chunks', waitedMs: 350 },
      { pid: 4712, applicationName: 'worker', mode: 'RowExclusiveLock', lockType: 'relation', relation: 'chunks', waitedMs: 320 }
    ])
    expect(result.waited).toEqual([
      {
        pid: 9,
        applicationName: 'pg-migrate-action migration',
        mode: 'AccessExclusiveLock',
        lockType: 'relation',
        relation: 'chunks',
        waitedMs: 90,
        heldBy: [{ pid: 77, applicationName: '' }]
      }
    ])
    expect(result.lockTimeout).toEqual(TEN_SECONDS)
  })

  it('before PostgreSQL 14 (no waitstart) counts a wait from the first sample that saw it, and starts again after a sample without it', () => {
    const log = new LockWaitLog()
    log.add([row({ ms: null })], 1000)
    log.add([row({ ms: null })], 1200)
    log.add([row({ ms: null })], 1400)
    log.add([], 1600)
    log.add([row({ ms: null })], 1800)
    log.add([row({ ms: null })], 2000)
    expect(log.result(TEN_SECONDS).blocked.map((b) => b.waitedMs)).toEqual([400])
  })

  it('is empty until a sample finds a wait', () => {
    const log = new LockWaitLog()
    log.add([], 0)
    expect(log.empty).toBe(true)
    log.add([row({})], 200)
    expect(log.empty).toBe(false)
  })
})

describe('describeLockWaits', () => {
  const wait = (overrides: Partial<LockWait>): LockWait => ({
    pid: 4711,
    applicationName: 'api-server',
    mode: 'AccessShareLock',
    lockType: 'relation',
    relation: 'chunks',
    waitedMs: 2100,
    ...overrides
  })
  const waits: LockWaits = {
    blocked: [
      wait({}),
      wait({ pid: 4712, applicationName: '', waitedMs: 1000 }),
      wait({ pid: 4713, applicationName: 'worker', waitedMs: 900 }),
      wait({ pid: 4714, waitedMs: 500 })
    ],
    waited: [wait({ pid: 9, applicationName: 'pg-migrate-action migration', mode: 'AccessExclusiveLock', waitedMs: 1200, heldBy: [{ pid: 77, applicationName: 'psql' }] })],
    lockTimeout: TEN_SECONDS
  }

  it('in the log: the longest with its pid, two more named and the rest counted; what the migration waited for and who held it', () => {
    expect(describeLockWaits(waits)).toEqual([
      'blocked 4 sessions, longest 2.1 s: api-server (pid 4711) waiting for AccessShareLock on chunks; also pid 4712 1.0 s for AccessShareLock on chunks, worker (pid 4713) 0.9 s for AccessShareLock on chunks, 1 more',
      'waited 1.2 s for AccessExclusiveLock on chunks, held by psql (pid 77)'
    ])
  })

  it('in the Migrations table: the longest only, by application name, to fit a cell', () => {
    expect(describeLockWaits(waits, { brief: true })).toEqual([
      'blocked 4 sessions, longest 2.1 s: api-server waiting for AccessShareLock on chunks',
      'waited 1.2 s for AccessExclusiveLock on chunks, held by psql'
    ])
  })

  it('says when the waits are the whole run’s transaction (transaction: all), and shows characters markdown acts on as ?', () => {
    const lines = describeLockWaits(
      { blocked: [wait({ applicationName: '[x](http://e)`*' })], waited: [], lockTimeout: TEN_SECONDS, scope: "the run's one transaction" },
      { brief: true }
    )
    expect(lines).toEqual(["the run's one transaction blocked 1 session, longest 2.1 s: ?x?(http://e)?? waiting for AccessShareLock on chunks"])
  })

  it('names each kind of lock', () => {
    expect(lockTarget(wait({ lockType: 'tuple' }))).toBe('AccessShareLock on a row of chunks')
    expect(lockTarget(wait({ lockType: 'transactionid', mode: 'ShareLock', relation: undefined, transaction: '1234' }))).toBe('ShareLock on transaction 1234 (a row lock)')
    expect(lockTarget(wait({ lockType: 'virtualxid', mode: 'ShareLock', relation: undefined, transaction: '3/45' }))).toBe('ShareLock on the older transaction 3/45')
    expect(lockTarget(wait({ lockType: 'advisory', mode: 'ExclusiveLock', relation: undefined }))).toBe('ExclusiveLock on an advisory lock')
    expect(lockTarget(wait({ lockType: 'object', mode: 'ExclusiveLock', relation: undefined }))).toBe('ExclusiveLock on an object lock')
  })

  it('finds the waits longer than lock-timeout, none when lock-timeout is 0', () => {
    const long = { ...waits, blocked: [wait({ waitedMs: 12_000 }), wait({ pid: 2, waitedMs: 3000 })] }
    expect(waitsOverLockTimeout(long).map((w) => [w.wait.pid, w.migrationWaited])).toEqual([[4711, false]])
    expect(waitsOverLockTimeout({ ...long, lockTimeout: { text: '0', ms: 0 } })).toEqual([])
  })
})

describe('ProgressLines', () => {
  const progress = (overrides: Partial<ProgressRow>): ProgressRow => ({
    pid: 9,
    ms: 20_000,
    wait_type: null,
    wait_event: null,
    phase: 'building index: loading tuples',
    command: 'CREATE INDEX CONCURRENTLY',
    table: 'items',
    index: 'items_embedding_idx',
    blocks_total: '5000',
    blocks_done: '1000',
    tuples_total: '0',
    tuples_done: '12345',
    lockers_total: '0',
    lockers_done: '0',
    partitions_total: '0',
    partitions_done: '0',
    ...overrides
  })

  it('gives the time left in the phase from how far its counter moved since the previous look', () => {
    const lines = new ProgressLines()
    lines.note(progress({ blocks_done: '1000' }), 0)
    expect(lines.line(progress({ blocks_done: '1250' }), 5000)).toBe(
      'running for 20 s: CREATE INDEX CONCURRENTLY on items (index items_embedding_idx): building index: loading tuples, blocks 1,250 of 5,000 (25 %), 12,345 tuples done; about 1 min 15 s left in this phase'
    )
  })

  it('gives no time left on the first look, after a change of phase, or when nothing moved', () => {
    const lines = new ProgressLines()
    expect(lines.line(progress({}), 0)).not.toContain('left in this phase')
    expect(lines.line(progress({ phase: 'building index: sorting live tuples', blocks_done: '5000' }), 5000)).toBe(
      'running for 20 s: CREATE INDEX CONCURRENTLY on items (index items_embedding_idx): building index: sorting live tuples, blocks 5,000 of 5,000 (100 %), 12,345 tuples done'
    )
    expect(lines.line(progress({ phase: 'building index: sorting live tuples', blocks_done: '5000' }), 10_000)).not.toContain('left in this phase')
  })

  it('uses the tuples of a phase that counts them, and says when less than a second is left', () => {
    const lines = new ProgressLines()
    lines.note(progress({ phase: 'building index: loading tuples in tree', blocks_total: '0', tuples_total: '1000', tuples_done: '100' }), 0)
    expect(lines.line(progress({ phase: 'building index: loading tuples in tree', blocks_total: '0', tuples_total: '1000', tuples_done: '990' }), 1000)).toMatch(
      /tuples 990 of 1,000 \(99 %\); less than 1 s left in this phase$/
    )
  })

  it('a statement that is not an index build: its time, and the lock it waits for', () => {
    const lines = new ProgressLines()
    expect(lines.line(progress({ phase: null, command: null, ms: 61_000, wait_type: 'Lock', wait_event: 'relation' }), 0)).toBe(
      'running for 1 min 1 s, waiting for a lock (relation)'
    )
    expect(
      lines.line(
        progress({ phase: 'waiting for old snapshots', blocks_total: '0', tuples_done: '0', lockers_total: '3', lockers_done: '1', wait_type: 'Lock', wait_event: 'virtualxid' }),
        0
      )
    ).toBe(
      'running for 20 s: CREATE INDEX CONCURRENTLY on items (index items_embedding_idx): waiting for old snapshots, waiting for 2 of 3 transactions, waiting for a lock (virtualxid)'
    )
  })

  it('formats durations in whole units', () => {
    expect([400, 8000, 125_000, 3_600_000, 12_000_000].map(formatDuration)).toEqual(['0 s', '8 s', '2 min 5 s', '1 h', '3 h 20 min'])
  })
})

describe('the Migrations table', () => {
  it('shows a migration’s lock waits in its Notes, briefly', () => {
    const lockWaits: LockWaits = {
      blocked: [{ pid: 4711, applicationName: 'api-server', mode: 'AccessShareLock', lockType: 'relation', relation: 'chunks', waitedMs: 2100 }],
      waited: [],
      lockTimeout: TEN_SECONDS
    }
    const report: RunReport = {
      status: 'success',
      mode: 'migrate',
      startedAt: new Date(0),
      durationMs: 1,
      stages: [],
      problems: [],
      warnings: [],
      apply: {
        current: ['0002'],
        runs: [
          { id: '0001', description: 'chunks', file: 'm/0001_chunks.sql', status: 'applied', attempts: 1, transactional: true, notes: [] },
          { id: '0002', description: 'lock', file: 'm/0002_lock.sql', status: 'applied', attempts: 1, transactional: true, notes: [], lockWaits }
        ]
      }
    }
    const text = renderReport(report)
    expect(text).toContain('| `0002` | lock | ✅ applied | 🔒 blocked 1 session, longest 2.1 s: api-server waiting for AccessShareLock on chunks |')
    expect(text).toContain('| `0001` | chunks | ✅ applied |  |')
  })
})
