import { closeQuietly } from '../../connection.js'
import { errorMessage } from '../../errors.js'
import type { EngineContext, StepOutcome } from '../engine.js'
import type { SqlMigration } from './files.js'
import type { HistoryTable } from './history.js'

/**
 * verify-downgrade: a migration's down section (dbmate `-- migrate:down`, a `.down.sql` file) and
 * the removal of its history row, in one transaction on a migration session — so a failing down
 * step leaves the database as it was.
 */
export async function runDownSection(ctx: EngineContext, history: HistoryTable, migration: SqlMigration): Promise<StepOutcome> {
  if (!migration.down || migration.down.text.trim() === '') {
    return { status: 'irreversible', reason: `${migration.file} has no down section (-- migrate:down or a .down.sql file)` }
  }
  const session = await ctx.connect()
  try {
    await session.query('BEGIN')
    await session.query(migration.down.text)
    await history.remove(session, migration.version)
    await session.query('COMMIT')
    return { status: 'ok' }
  } catch (error) {
    await session.query('ROLLBACK').catch(() => undefined)
    return { status: 'failed', message: `the down section of ${migration.file} (line ${migration.down.startLine}) failed: ${errorMessage(error)}` }
  } finally {
    await closeQuietly(session)
  }
}
