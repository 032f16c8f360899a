import { closeQuietly } from '../../connection.js'
import { errorMessage } from '../../errors.js'
import type { SqlParser } from '../../sql/parse.js'
import { excerptAround } from '../../sql/error-position.js'
import type { SqlStatement } from '../../sql/parse.js'
import type { EngineContext, MigrationFailure, StepFailure, StepOutcome } from '../engine.js'
import { failureLocation } from './failures.js'
import { readDirectives, type Section, type SqlMigration } from './files.js'
import type { HistoryTable } from './history.js'
import { fileLine, planMigration } from './plan.js'

/**
 * verify-downgrade: a migration's down section (`-- migrate:down`, `-- +goose Down`, `-- +migrate Down`, a `.down.sql` file),
 * planned like an up section. In a transaction together with the removal of its history row, so a
 * failing down step leaves the database as it was; a section that cannot run in a transaction block
 * (DROP INDEX CONCURRENTLY) runs statement by statement, and its history row goes once all of them
 * succeeded.
 */
export async function runDownSection(ctx: EngineContext, history: HistoryTable, migration: SqlMigration, parser: SqlParser, serverVersionNum: number): Promise<StepOutcome> {
  const down = migration.down
  if (!down || down.text.trim() === '') {
    return { status: 'irreversible', reason: `${migration.file} has no down section (-- migrate:down, -- +goose Down, -- +migrate Down or a .down.sql file)` }
  }
  const planned = planMigration(parser, asUpSection(migration, down), serverVersionNum)
  const invalid = planned.invalid
  if (invalid) {
    return {
      status: 'failed',
      message: `the down section of ${down.file} cannot run as written: ${invalid.message} (line ${invalid.line})`,
      file: down.file,
      line: invalid.line,
      column: invalid.column,
      excerpt: excerptAround(down.fileText, invalid.line, invalid.column),
      sqlState: invalid.sqlState
    }
  }
  const session = await ctx.connect()
  let step = ''
  let running: SqlStatement | undefined
  try {
    if (planned.transactional) await session.query(planned.begin ?? 'BEGIN')
    for (const statement of planned.statements) {
      step = ` at line ${fileLine(planned.migration, statement.line)}`
      running = statement
      await session.query(statement.text)
    }
    running = undefined
    step = ' removing its history row'
    await history.remove(session, migration.version)
    if (planned.transactional) await session.query('COMMIT')
    return { status: 'ok' }
  } catch (error) {
    if (planned.transactional) await session.query('ROLLBACK').catch(() => undefined)
    const kept = planned.transactional ? '' : '; it ran outside a transaction, so the statements before it stay applied'
    const where = failureLocation(planned, { error, statement: running, phase: running ? 'statement' : 'history' })
    return { status: 'failed', ...stepFailure(where), message: `the down section of ${down.file} failed${step}: ${errorMessage(error)}${kept}` }
  } finally {
    await closeQuietly(session)
  }
}

/** The fields of an apply failure that a verify-downgrade step reports too. */
export function stepFailure(failure: Omit<MigrationFailure, 'databaseState' | 'recovery'>): StepFailure {
  const { message, file, line, column, statement, excerpt, sqlState, detail, serverHint, log } = failure
  return { message, file, line, column, statement, excerpt, sqlState, detail, serverHint, log }
}

/** The migration with its down section in place of the up section, so the up section's planning applies to it. */
function asUpSection(migration: SqlMigration, down: Section): SqlMigration {
  return { ...migration, file: down.file, up: down, down: undefined, directives: readDirectives(down.text, down.startLine) }
}
