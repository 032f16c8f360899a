import type { AppliedRevision, DatabaseState, Problem } from '../engine.js'
import { canonicalVersion, compareVersions, type SqlMigration } from './files.js'
import type { HistoryRow, HistoryTable } from './history.js'

/**
 * Compares the files with the history table. Everything that makes applying unsafe is an error
 * problem, so the validate stage stops the run before anything is applied.
 */
export function stateFromHistory(migrations: SqlMigration[], rows: HistoryRow[] | null, history: HistoryTable, allowOutOfOrder: boolean): DatabaseState {
  if (rows === null) return { current: [], applied: [], versionTableExists: false, problems: [] }

  const byVersion = new Map(migrations.map((m) => [canonicalVersion(m.version), m]))
  const problems: Problem[] = []
  for (const row of rows) {
    const migration = byVersion.get(canonicalVersion(row.version))
    if (row.dirty) problems.push(dirtyProblem(row, migration, history))
    if (!migration) {
      problems.push(missingFileProblem(row, history))
    } else if (row.checksum !== migration.checksum) {
      problems.push(checksumProblem(row, migration, history))
    }
  }

  const appliedKeys = new Set(rows.map((r) => canonicalVersion(r.version)))
  const newest = rows.at(-1)
  if (newest) {
    const late = migrations.filter((m) => !appliedKeys.has(canonicalVersion(m.version)) && compareVersions(m.version, newest.version) < 0)
    if (late.length > 0) problems.push(outOfOrderProblem(late, newest, allowOutOfOrder))
  }

  const applied = rows.map((row): AppliedRevision => ({
    id: row.version,
    description: row.name,
    checksum: row.checksum,
    appliedAt: row.appliedAt,
    executionMs: row.executionMs ?? undefined,
    dirty: row.dirty
  }))
  return { current: newest ? [newest.version] : [], applied, versionTableExists: true, problems }
}

/** The migrations the history table does not list, in version order. */
export function pendingMigrations(migrations: SqlMigration[], appliedVersions: string[]): SqlMigration[] {
  const applied = new Set(appliedVersions.map(canonicalVersion))
  return migrations.filter((m) => !applied.has(canonicalVersion(m.version))).sort((a, b) => compareVersions(a.version, b.version))
}

function dirtyProblem(row: HistoryRow, migration: SqlMigration | undefined, history: HistoryTable): Problem {
  const what = migration ? migration.file : `version ${row.version} (${row.name})`
  const progress =
    row.statementsDone !== null && row.statementsTotal !== null
      ? `${row.statementsDone} of its ${row.statementsTotal} statements completed`
      : 'it is unknown how many of its statements completed'
  return {
    code: 'dirty-migration',
    severity: 'error',
    message:
      `Migration ${row.version} (${what}) was left half-applied by an earlier run: it runs outside a transaction and ` +
      `failed or was interrupted after it started on ${row.appliedAt.toISOString()}; ${progress}. Nothing is applied until this is resolved.`,
    hint: [
      `Inspect the database to see which statements of ${what} took effect (statements_done in ${history.display} counts the ones that completed; a failed CREATE INDEX CONCURRENTLY leaves an INVALID index: SELECT indexrelid::regclass FROM pg_index WHERE NOT indisvalid).`,
      `Then either finish it: run the remaining statements by hand and mark it applied with ${history.sqlMarkClean(row.version)}`,
      `or undo it: revert the statements that took effect (drop invalid indexes with DROP INDEX CONCURRENTLY, or leave those a CREATE INDEX CONCURRENTLY names: the next run drops them before building the index again) and delete its row with ${history.sqlDelete(row.version)} so the next run applies it again.`,
      `Instead of the SQL, run this action once with mode: repair, repair-revision: ${row.version} and repair-action: mark-applied (which also records the checksum of the file as it is now) or mark-pending.`
    ].join(' '),
    revisions: [row.version],
    file: migration?.file,
    line: migration ? 1 : undefined
  }
}

function missingFileProblem(row: HistoryRow, history: HistoryTable): Problem {
  return {
    code: 'missing-migration-file',
    severity: 'error',
    message: `Migration ${row.version} (${row.name}) is recorded as applied in ${history.display}, but no file in the migrations directory has version ${row.version}.`,
    hint:
      `Restore the file (\`git log --diff-filter=D --name-only -- '*${row.version}_*'\` finds it), or check migrations-path points at the right directory. ` +
      `If the migration was removed on purpose and its changes are gone from the database too, delete its history row: \`${history.sqlDelete(row.version)}\``,
    revisions: [row.version]
  }
}

function checksumProblem(row: HistoryRow, migration: SqlMigration, history: HistoryTable): Problem {
  return {
    code: 'checksum-mismatch',
    severity: 'error',
    message:
      `${migration.file} was changed after it was applied on ${row.appliedAt.toISOString()}: ` +
      `the history table has checksum ${row.checksum}, the file now has ${migration.checksum}.`,
    hint:
      `Applied migrations must not change. Restore the file as it was (\`git log -p -- ${migration.file}\`) and put the change into a new migration. ` +
      `If the edit does not change what the migration does (a comment, formatting) accept the new checksum: \`${history.sqlUpdateChecksum(row.version, migration.checksum)}\``,
    revisions: [row.version],
    file: migration.file,
    line: migration.up.startLine
  }
}

function outOfOrderProblem(late: SqlMigration[], newest: HistoryRow, allowed: boolean): Problem {
  const files = late.map((m) => m.file).join(', ')
  return {
    code: 'out-of-order',
    severity: allowed ? 'warning' : 'error',
    message: allowed
      ? `${late.length === 1 ? 'Migration' : 'Migrations'} ${files} ${late.length === 1 ? 'is' : 'are'} older than the newest applied migration ${newest.version} and will be applied out of order (allow-out-of-order is true).`
      : `${late.length === 1 ? 'Migration' : 'Migrations'} ${files} ${late.length === 1 ? 'is' : 'are'} not applied but older than the newest applied migration ${newest.version}: ${late.length === 1 ? 'it was' : 'they were'} probably merged from a branch after newer migrations ran.`,
    hint: allowed
      ? 'Check the migration does not depend on running before the newer ones.'
      : `Renumber ${late.length === 1 ? 'it' : 'them'} after ${newest.version} (recommended), or set allow-out-of-order: true if ${late.length === 1 ? 'it does' : 'they do'} not depend on running before the newer migrations.`,
    revisions: late.map((m) => m.version),
    file: late[0].file,
    line: 1
  }
}
