import type { DatabaseState, Engine, EngineContext, LoadedChain, Revision } from '../engines/engine.js'
import { ActionError } from '../errors.js'
import { plural } from '../report/markdown.js'
import type { StageRecord } from '../report/model.js'
import { diffSnapshots } from '../verify/diff.js'
import { bookkeepingTables, takeSnapshot, type Snapshot } from '../verify/snapshot.js'
import { ScratchUnavailable } from './database.js'
import { create, describeEntry } from '../report/drift.js'
import type { DriftEntry, DriftOutcome } from './outcomes.js'
import { originsOf, replayOnScratch, ReplayFailed, type PreparedScratch } from './replay.js'

/**
 * Drift: the target's schema against the schema its applied migrations make, replayed on a
 * scratch database. Whatever differs was done by hand (a hand-made index, a column dropped, an
 * index rebuilt without its operator class) or by something outside the chain. The replay runs in
 * one go; only when something differs is it run again, one migration at a time, to name the
 * migration behind each object.
 */

export interface DriftInput {
  engine: Engine
  ctx: EngineContext
  chain: LoadedChain
  state: DatabaseState
  /** Keep a replay that matches the database for the schema change of the pending migrations (validate). */
  keepReplay?: boolean
}

export interface DriftCheck {
  result: DriftOutcome
  /** The replay, when it matched the database and keepReplay was asked for; the caller disposes of it. */
  replay?: PreparedScratch
}

export async function checkDrift({ engine, ctx, chain, state, keepReplay = false }: DriftInput): Promise<DriftCheck> {
  const settings = ctx.settings
  const policy = settings.drift === 'fail' ? 'fail' : 'warn'
  const byId = new Map(chain.revisions.map((r) => [r.id, r]))
  const applied = state.applied.map((a) => byId.get(a.id)).filter((r): r is Revision => r !== undefined)
  const exclude = bookkeepingTables(chain)
  // The extensions of the input are the action's, created outside the chain: the scratch database gets them as the target has them.
  const comparable = (snapshot: Snapshot): Snapshot => new Map([...snapshot].filter(([key]) => !settings.extensions.some((e) => key === `extension ${e}`)))
  const actual = comparable(await takeSnapshot(ctx.client, { exclude }))
  const outcome = (status: DriftOutcome['status'], fields: Partial<DriftOutcome> = {}): DriftCheck => ({
    result: { policy, status, replayed: applied.length, entries: [], ...fields }
  })

  // Nothing applied: the migrations define nothing yet, and an empty database needs no replay to be known.
  if (applied.length === 0) {
    const entries = diffSnapshots(new Map(), actual)
    return outcome(entries.length > 0 ? 'drifted' : 'clean', { entries })
  }

  const request = { settings, target: ctx.client, log: ctx.log }
  let replayed: PreparedScratch
  try {
    replayed = await replayOnScratch(request, engine, chain, applied, `Replaying ${plural(applied.length, 'applied migration')}`)
  } catch (error) {
    if (error instanceof ScratchUnavailable) return outcome('skipped', { reason: error.message })
    if (error instanceof ReplayFailed) return outcome('failed', { reason: error.message })
    throw error
  }
  const scratch = { name: replayed.scratch.name, kind: replayed.scratch.kind }
  let entries: DriftEntry[]
  try {
    entries = diffSnapshots(comparable(await takeSnapshot(replayed.scratch.client, { exclude })), actual)
  } catch (error) {
    await replayed.dispose()
    throw error
  }
  if (entries.length === 0 && keepReplay) return { ...outcome('clean', { scratch }), replay: replayed }
  await replayed.dispose()
  if (entries.length === 0) return outcome('clean', { scratch })

  // Objects the migrations create: which one did, found by replaying them one at a time on a fresh scratch database.
  const keys = new Set(entries.filter((e) => e.change !== 'added').map((e) => e.object))
  if (keys.size === 0) return outcome('drifted', { entries, scratch })
  try {
    const fresh = await replayOnScratch(request, engine, chain, [], 'Naming the migrations')
    try {
      const origins = await originsOf(engine, fresh.ctx, chain, applied, keys, () => takeSnapshot(fresh.scratch.client, { exclude }))
      return outcome('drifted', { entries: entries.map((e) => ({ ...e, ...origins.get(e.object) })), scratch })
    } finally {
      await fresh.dispose()
    }
  } catch (error) {
    if (error instanceof ScratchUnavailable || error instanceof ReplayFailed) {
      return outcome('drifted', { entries, scratch, namingProblem: `replaying the migrations one at a time failed: ${error.message}` })
    }
    throw error
  }
}

/** drift: fail stops the run before anything is applied when the database drifted, or when the check could not replay the chain. */
export function driftFailure(result: DriftOutcome): ActionError | undefined {
  if (result.policy !== 'fail') return undefined
  if (result.status === 'drifted') {
    const first = result.entries[0]
    return new ActionError(
      'schema-drift',
      `The database differs from what its ${plural(result.replayed, 'applied migration')} ${create(result.replayed)}, in ${plural(result.entries.length, 'object')} (the first: ${describeEntry(first)}). Nothing was applied.`,
      {
        location: { input: 'drift', revision: first.createdBy },
        hint: 'Put the change made by hand into a migration (or undo it in the database), then run again; the Drift section lists every difference. Set drift: warn to report drift without stopping.'
      }
    )
  }
  if (result.status === 'failed') {
    return new ActionError('drift-replay-failed', `drift: the applied migrations could not be replayed on a scratch database: ${result.reason}. Nothing was applied.`, {
      location: { input: 'drift' },
      hint: 'A migration that fails on an empty database usually depends on something made outside the chain (a role, an extension not in the extensions input, data). Make the chain replayable, or set drift: warn.'
    })
  }
  return undefined
}

export function describeDriftStage(result: DriftOutcome): Pick<StageRecord, 'status' | 'summary'> {
  switch (result.status) {
    case 'clean':
      if (result.replayed === 0) return { status: 'ok', summary: 'no drift: nothing applied yet, no objects of its own' }
      return { status: 'ok', summary: `no drift: the schema is what its ${plural(result.replayed, 'applied migration')} ${create(result.replayed)}` }
    case 'drifted':
      return {
        status: 'warning',
        summary: `${plural(result.entries.length, 'difference')} from what the ${plural(result.replayed, 'applied migration')} ${create(result.replayed)}`
      }
    case 'skipped':
      return { status: result.policy === 'fail' ? 'warning' : 'skipped', summary: `not checked: ${result.reason}` }
    case 'failed':
      return { status: 'warning', summary: `not checked: ${result.reason}` }
  }
}
