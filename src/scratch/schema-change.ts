import type pg from 'pg'
import type { DatabaseState, Engine, EngineContext, LoadedChain, Revision } from '../engines/engine.js'
import { errorMessage } from '../errors.js'
import { plural } from '../report/markdown.js'
import type { StageRecord } from '../report/model.js'
import { diffSnapshots } from '../verify/diff.js'
import { bookkeepingTables, takeSnapshot, type Snapshot } from '../verify/snapshot.js'
import { copyRows, copySchema, CopyFailed } from './copy.js'
import { ScratchUnavailable, withScratchDatabase } from './database.js'
import type { SchemaChangeOutcome } from './outcomes.js'
import { createInputExtensions, replay, ReplayFailed, scratchSession } from './replay.js'

/**
 * The schema change of the pending migrations, computed rather than read from their SQL: they run
 * on a scratch database holding a copy of the target's schema, and the catalog snapshots before
 * and after are compared, so dynamic SQL (EXECUTE in a DO block, a Python loop in Alembic) counts
 * like any other statement. In migrate mode the target itself is compared before and after.
 */

export interface PendingChangeInput {
  engine: Engine
  ctx: EngineContext
  chain: LoadedChain
  state: DatabaseState
  pending: Revision[]
  serverVersionNum: number
  env: NodeJS.ProcessEnv
}

export async function pendingSchemaChange({ engine, ctx, chain, state, pending, serverVersionNum, env }: PendingChangeInput): Promise<SchemaChangeOutcome> {
  const revisions = pending.map((r) => r.id)
  const settings = ctx.settings
  const exclude = bookkeepingTables(chain)
  const byId = new Map(chain.revisions.map((r) => [r.id, r]))
  const applied = state.applied.map((a) => byId.get(a.id)).filter((r): r is Revision => r !== undefined)
  let scratchUsed: SchemaChangeOutcome['scratch']
  try {
    return await withScratchDatabase({ settings, target: ctx.client, log: ctx.log }, async (scratch) => {
      scratchUsed = { name: scratch.name, kind: scratch.kind }
      let basis: 'copy' | 'replay' = 'copy'
      let reason: string | undefined
      try {
        await copySchema({ target: settings.databaseUrl, scratch: scratch.url, serverVersionNum, env, log: ctx.log })
      } catch (error) {
        if (!(error instanceof CopyFailed)) throw error
        // pg_restore runs in one transaction: a failed restore left the scratch database as empty as it was.
        ctx.log.info(`No copy of the target's schema (${error.message}); replaying its applied migrations instead.`)
        basis = 'replay'
        reason = `no copy of the target's schema: ${error.message}`
      }
      if (basis === 'copy') await copyBookkeeping(ctx.client, scratch.client, chain)
      const session = await scratchSession(settings, scratch, ctx.log)
      try {
        if (basis === 'replay') {
          await createInputExtensions(ctx.client, scratch.client, settings.extensions)
          await replay(engine, session.ctx, chain, applied, `Replaying ${plural(applied.length, 'applied migration')}`)
        }
        const before = await takeSnapshot(scratch.client, { exclude })
        await replay(engine, session.ctx, chain, pending, `Applying ${plural(pending.length, 'pending migration')}`)
        const changes = diffSnapshots(before, await takeSnapshot(scratch.client, { exclude }))
        return { status: 'computed', basis, revisions, changes, reason, scratch: scratchUsed }
      } finally {
        await session.release()
      }
    })
  } catch (error) {
    if (error instanceof ScratchUnavailable) return { status: 'skipped', reason: error.message, revisions, changes: [] }
    if (error instanceof ReplayFailed) return { status: 'failed', reason: error.message, revisions, changes: [], scratch: scratchUsed }
    throw error
  }
}

/** The history or version table's rows: the engine on the copy must see what the target has applied. */
async function copyBookkeeping(target: pg.Client, scratch: pg.Client, chain: LoadedChain): Promise<void> {
  for (const table of bookkeepingTables(chain)) {
    try {
      await copyRows(target, scratch, table)
    } catch (error) {
      throw new ReplayFailed(`copying the rows of ${table.schema}.${table.table} into the scratch database failed: ${errorMessage(error)}`)
    }
  }
}

/** migrate: what this run changed in the target. */
export async function appliedSchemaChange(ctx: EngineContext, chain: LoadedChain, before: Snapshot, applied: string[]): Promise<SchemaChangeOutcome> {
  const after = await takeSnapshot(ctx.client, { exclude: bookkeepingTables(chain) })
  return { status: 'computed', basis: 'target', revisions: applied, changes: diffSnapshots(before, after) }
}

export function describeSchemaChangeStage(result: SchemaChangeOutcome): Pick<StageRecord, 'status' | 'summary'> {
  if (result.status === 'skipped') return { status: 'skipped', summary: result.reason ?? 'skipped' }
  if (result.status === 'failed') return { status: 'warning', summary: `not computed: ${result.reason}` }
  const counts = { added: 0, removed: 0, changed: 0 }
  for (const c of result.changes) counts[c.change]++
  const where = result.basis === 'copy' ? 'on a copy of the target' : result.basis === 'replay' ? 'on a replay of the applied migrations' : 'in the target'
  const what = result.changes.length === 0 ? 'no schema change' : `${counts.added} added, ${counts.removed} dropped, ${counts.changed} altered`
  return { status: 'ok', summary: `${what} (${plural(result.revisions.length, 'migration')}, ${where})` }
}
