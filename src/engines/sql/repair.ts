import type pg from 'pg'
import { ActionError } from '../../errors.js'
import type { RepairRequest } from '../../inputs.js'
import type { RepairResult } from '../engine.js'
import { canonicalVersion, type SqlMigration } from './files.js'
import type { HistoryRow, HistoryTable, Provenance } from './history.js'

/**
 * `mode: repair` for SQL chains: after the user finished or undid a failed migration by hand, record
 * it as applied (clean, with the file's current checksum) or delete its row so the next run applies
 * it again. Nothing of the migration itself runs.
 */

const COLUMNS = ['version', 'name', 'checksum', 'dirty', 'statements done', 'applied at']

/** Where the migration stands in the chain: every version, in the order they apply, and whether an older one may still follow. */
export interface ChainOrder {
  versions: string[]
  allowOutOfOrder: boolean
}

export async function repairSql(
  client: pg.Client,
  history: HistoryTable,
  migration: SqlMigration,
  order: ChainOrder,
  request: RepairRequest,
  who: Provenance
): Promise<RepairResult> {
  if (!request.action) {
    throw new ActionError('invalid-input', `Input 'repair-action' is required with mode: repair for SQL migrations; got ''.`, {
      location: { input: 'repair-action' },
      hint: `Use mark-applied when ${migration.file} has been completed by hand, or mark-pending when its effects were undone and it should run again.`
    })
  }
  const rows = (await history.read(client)) ?? []
  const before = rowOf(rows, migration.version)
  if (request.action === 'mark-applied' && !before) refuseSkipping(migration.version, rows, order)
  let done: string
  let command: string
  if (request.action === 'mark-applied') {
    const clean = before !== undefined && !before.dirty && before.checksum === migration.checksum
    done = clean
      ? `${migration.version} was already recorded as applied with the current file's checksum; nothing changed`
      : before
        ? `recorded ${migration.version} as applied: ${before.dirty ? 'cleared its dirty flag and ' : ''}stored the checksum of ${migration.file} as it is now`
        : `recorded ${migration.version} as applied (it had no history row), with the checksum of ${migration.file}`
    command = before
      ? `UPDATE ${history.qualified} SET dirty = false, checksum = '${migration.checksum}', statements_done = statements_total WHERE version = '${before.version}'`
      : `INSERT INTO ${history.qualified} (version, name, checksum, …) VALUES ('${migration.version}', …)`
    if (!clean) {
      await history.ensure(client)
      await history.markApplied(client, { version: before?.version ?? migration.version, name: migration.name, checksum: migration.checksum }, who)
    }
  } else {
    done = before
      ? `deleted the history row of ${migration.version}: the next run applies ${migration.file} again`
      : `${migration.version} had no history row, so it is already pending; nothing changed`
    command = `DELETE FROM ${history.qualified} WHERE version = '${before?.version ?? migration.version}'`
    if (before) await history.remove(client, before.version)
  }
  const after = rowOf((await history.read(client)) ?? [], migration.version)
  return { revision: migration.version, done, changed: !sameRow(before, after), command, columns: COLUMNS, before: rowCells(before), after: rowCells(after) }
}

/**
 * A migration that never ran may be recorded as applied only when it is the next one to apply: with a
 * dirty or unapplied migration before it, its row would claim a chain the database does not hold.
 * allow-out-of-order lets an older pending migration run after a newer one, so only a dirty one stops it then.
 */
function refuseSkipping(version: string, rows: HistoryRow[], order: ChainOrder): void {
  const position = order.versions.findIndex((v) => canonicalVersion(v) === canonicalVersion(version))
  const dirty = rows.filter((r) => r.dirty).map((r) => r.version)
  const notRun = order.allowOutOfOrder ? [] : order.versions.slice(0, position).filter((v) => !rowOf(rows, v))
  const skipped = dirty.length > 0 ? dirty : notRun
  if (skipped.length === 0) return
  const list = skipped.join(', ')
  const state = dirty.length > 0 ? (dirty.length === 1 ? 'is dirty' : 'are dirty') : skipped.length === 1 ? 'has not run either' : 'have not run either'
  throw new ActionError(
    'repair-would-skip',
    `mark-applied would record ${version} as applied, but it never ran (it has no history row) and ${list} before it ${state}: recording ${version} would skip over ${skipped.length === 1 ? 'it' : 'them'}. Nothing was changed.`,
    {
      location: { input: 'repair-revision', revision: version },
      hint:
        dirty.length > 0
          ? `Repair ${list} first (repair-revision: ${dirty[0]}, mark-applied if you finished it by hand, mark-pending to run it again); a migration that never ran can be recorded only when it is the next one to apply.`
          : `Apply ${list} first (a normal run), or record ${skipped.length === 1 ? 'it' : 'them'} one by one, oldest first, with mark-applied if ${skipped.length === 1 ? 'it was' : 'they were'} run by hand; a migration that never ran can be recorded only when it is the next one to apply.`
    }
  )
}

function rowOf(rows: HistoryRow[], version: string): HistoryRow | undefined {
  return rows.find((r) => canonicalVersion(r.version) === canonicalVersion(version))
}

function rowCells(row: HistoryRow | undefined): string[][] {
  if (!row) return []
  const statements = row.statementsTotal === null ? '' : `${row.statementsDone ?? '?'} of ${row.statementsTotal}`
  return [[row.version, row.name, row.checksum, String(row.dirty), statements, row.appliedAt.toISOString()]]
}

function sameRow(a: HistoryRow | undefined, b: HistoryRow | undefined): boolean {
  return JSON.stringify(rowCells(a)) === JSON.stringify(rowCells(b))
}
