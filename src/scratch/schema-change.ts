import type pg from 'pg'
import type { DatabaseState, Engine, EngineContext, LoadedChain, Revision } from '../engines/engine.js'
import { errorMessage } from '../errors.js'
import { plural } from '../report/markdown.js'
import type { StageRecord } from '../report/model.js'
import { diffSnapshots } from '../verify/diff.js'
import { bookkeepingTables, takeSnapshot, type Snapshot } from '../verify/snapshot.js'
import { refuseClusterWideChanges } from './cluster-wide.js'
import { copyRows, copySchema, CopyFailed } from './copy.js'
import { openScratchDatabase, ScratchUnavailable } from './database.js'
import type { SchemaChangeOutcome } from './outcomes.js'
import { replay, ReplayFailed, replayOnScratch, scratchSession, type PreparedScratch } from './replay.js'

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
  /** The drift check's replay, which matched the database: the pending migrations run there, and it is disposed of. */
  replay?: PreparedScratch
}

/** Why a replay the drift check found identical to the database stands for a copy of it. */
export const MATCHING_REPLAY = 'the drift check found it identical to the database’s schema'

export async function pendingSchemaChange(input: PendingChangeInput): Promise<SchemaChangeOutcome> {
  const { replay: kept, pending } = input
  const revisions = pending.map((r) => r.id)
  try {
    if (kept) {
      try {
        await refuseClusterWideChanges(pending, input.ctx.settings)
        return await changeOn(input, kept, 'replay', MATCHING_REPLAY)
      } finally {
        await kept.dispose()
      }
    }
    await refuseClusterWideChanges(pending, input.ctx.settings)
    return await onCopy(input)
  } catch (error) {
    if (error instanceof ScratchUnavailable) return { status: 'skipped', reason: error.message, revisions, changes: [] }
    if (error instanceof ReplayFailed) return { status: 'failed', reason: error.message, revisions, changes: [] }
    throw error
  }
}

/** A scratch database with a copy of the target's schema (pg_dump), or else a replay of its applied migrations. */
async function onCopy(input: PendingChangeInput): Promise<SchemaChangeOutcome> {
  const { engine, ctx, chain, state, serverVersionNum, env } = input
  const settings = ctx.settings
  const request = { settings, target: ctx.client, log: ctx.log }
  const opened = await openScratchDatabase(request)
  let copied = true
  let reason: string | undefined
  try {
    await copySchema({ target: settings.databaseUrl, scratch: opened.scratch.url, serverVersionNum, env, log: ctx.log })
    await copyBookkeeping(ctx.client, opened.scratch.client, chain)
  } catch (error) {
    await opened.dispose()
    if (!(error instanceof CopyFailed)) throw error
    ctx.log.info(`No copy of the target's schema (${error.message}); replaying its applied migrations instead.`)
    copied = false
    reason = `no copy of the target's schema: ${error.message}`
  }
  if (copied) {
    const session = await scratchSession(settings, opened.scratch, ctx.log).catch(async (error: unknown) => {
      await opened.dispose()
      throw error
    })
    const kept = { scratch: opened.scratch, ctx: session.ctx, dispose: () => session.release().then(opened.dispose) }
    try {
      return await changeOn(input, kept, 'copy')
    } finally {
      await kept.dispose()
    }
  }
  const byId = new Map(chain.revisions.map((r) => [r.id, r]))
  const applied = state.applied.map((a) => byId.get(a.id)).filter((r): r is Revision => r !== undefined)
  const replayed = await replayOnScratch(request, engine, chain, applied, `Replaying ${plural(applied.length, 'applied migration')}`)
  try {
    return await changeOn(input, replayed, 'replay', reason)
  } finally {
    await replayed.dispose()
  }
}

/** Runs the pending migrations on the scratch database and compares its catalogs before and after. */
async function changeOn(input: PendingChangeInput, on: PreparedScratch, basis: 'copy' | 'replay', reason?: string): Promise<SchemaChangeOutcome> {
  const { engine, chain, pending } = input
  const exclude = bookkeepingTables(chain)
  const before = await takeSnapshot(on.scratch.client, { exclude })
  await replay(engine, on.ctx, chain, pending, `Applying ${plural(pending.length, 'pending migration')}`)
  const changes = diffSnapshots(before, await takeSnapshot(on.scratch.client, { exclude }))
  return { status: 'computed', basis, revisions: pending.map((r) => r.id), changes, reason, scratch: { name: on.scratch.name, kind: on.scratch.kind } }
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
  let after: Snapshot
  try {
    after = await takeSnapshot(ctx.client, { exclude: bookkeepingTables(chain) })
  } catch (error) {
    // The migrations are applied: a connection lost on the way (a server restart) costs the report this section, not the run.
    return { status: 'failed', basis: 'target', revisions: applied, changes: [], reason: `the database's catalogs could not be read after apply: ${errorMessage(error)}` }
  }
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
