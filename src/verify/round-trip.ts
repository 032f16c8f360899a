import type { Engine, EngineContext, LoadedChain, Revision, StepFailure, StepOutcome } from '../engines/engine.js'
import { plural } from '../report/markdown.js'
import type { QualifiedName } from '../inputs.js'
import { diffSnapshots, formatDiff } from './diff.js'
import { takeSnapshot, type Snapshot } from './snapshot.js'

/**
 * verify-downgrade: after the upgrade, every down step of the checked revisions runs, newest first,
 * to the state before them; then each revision is upgraded, downgraded and upgraded again, oldest
 * first, with a catalog snapshot between the steps. A down step that does not give back the schema
 * its up step started from is named with the exact difference; at the end the schema must be the
 * one the first upgrade produced.
 *
 * The revisions come parents first, so every down step undoes a head, and a merge is checked
 * against the snapshot taken after the last of its parents was upgraded: its down step must leave
 * all its parents applied.
 */

export interface RoundTripInput {
  engine: Engine
  ctx: EngineContext
  chain: LoadedChain
  /** The revisions to check, oldest first, all applied. */
  revisions: Revision[]
  /** The schema before the upgrade of `revisions` (verify-downgrade: pending); undefined when it was not taken. */
  before?: Snapshot
  /** The schema after the upgrade. */
  after: Snapshot
  /** Bookkeeping tables left out of the snapshots. */
  exclude: QualifiedName[]
}

export interface RoundTripStep {
  revision: string
  direction: 'down' | 'up'
  outcome: StepOutcome
  /** An upgrade run after the round trip stopped, to give back the database the apply left. */
  restoring?: boolean
}

export interface RoundTripResult {
  status: 'passed' | 'failed' | 'irreversible'
  /** The revisions checked, oldest first. */
  revisions: string[]
  /** The migration whose down step caused the problem, when one can be named. */
  revision?: string
  file?: string
  /** One sentence: what went wrong. */
  problem?: string
  /** What the failed step reported: its file and line, the SQL sent, the server's DETAIL and HINT. */
  failure?: StepFailure
  /** `-` the expected schema, `+` the schema after the down step. */
  diff?: string
  steps: RoundTripStep[]
  /** After a round trip that stopped part-way: the upgrades run to give back what the apply left. */
  restore?: Restore
}

/** The revisions a stopped round trip had undone and upgraded again, and the one that could not be. */
export interface Restore {
  upgraded: string[]
  failed?: { revision: string; message: string }
}

export async function verifyRoundTrip(input: RoundTripInput): Promise<RoundTripResult> {
  const steps: RoundTripStep[] = []
  const result = await roundTrip(input, steps)
  if (result.status === 'passed') return result
  // The run must end where the apply left it: what the round trip undid is upgraded again.
  const restore = await restoreApplied(input, steps)
  if (result.status === 'irreversible' && restore.failed) {
    return { ...result, status: 'failed', problem: `${result.problem} Upgrading ${restore.failed.revision} again afterwards failed: ${restore.failed.message}`, restore }
  }
  return { ...result, restore }
}

/** Upgrades, oldest first, every checked revision the database no longer records as applied; stops at the first that fails. */
async function restoreApplied({ engine, ctx, chain, revisions }: RoundTripInput, steps: RoundTripStep[]): Promise<Restore> {
  const applied = new Set((await engine.readState(ctx, chain)).applied.map((a) => a.id))
  const upgraded: string[] = []
  for (const revision of revisions.filter((r) => !applied.has(r.id))) {
    const outcome = await engine.upgradeOne(ctx, chain, revision)
    steps.push({ revision: revision.id, direction: 'up', outcome, restoring: true })
    if (outcome.status !== 'ok') return { upgraded, failed: { revision: revision.id, message: outcome.status === 'failed' ? outcome.message : outcome.reason } }
    upgraded.push(revision.id)
  }
  return { upgraded }
}

async function roundTrip(input: RoundTripInput, steps: RoundTripStep[]): Promise<RoundTripResult> {
  const { engine, ctx, chain, revisions } = input
  const ids = revisions.map((r) => r.id)
  const snapshot = (): Promise<Snapshot> => takeSnapshot(ctx.client, { exclude: input.exclude })
  const stop = (status: 'failed' | 'irreversible', revision: Revision | undefined, problem: string, diff?: string, failed?: StepOutcome): RoundTripResult => ({
    status,
    revisions: ids,
    revision: revision?.id,
    file: revision?.file,
    problem,
    failure: failed?.status === 'failed' ? withoutStatus(failed) : undefined,
    diff,
    steps
  })
  const step = async (revision: Revision, direction: 'down' | 'up'): Promise<StepOutcome> => {
    const outcome = direction === 'down' ? await engine.downgradeOne(ctx, chain, revision) : await engine.upgradeOne(ctx, chain, revision)
    steps.push({ revision: revision.id, direction, outcome })
    return outcome
  }
  const problemOf = (revision: Revision, outcome: Exclude<StepOutcome, { status: 'ok' }>): RoundTripResult =>
    outcome.status === 'irreversible'
      ? stop('irreversible', revision, `${revision.id} cannot be downgraded: ${outcome.reason}. verify-downgrade stopped there; the revisions below it were not checked.`)
      : stop('failed', revision, `The down step of ${revision.id} failed: ${outcome.message}`, undefined, outcome)
  const why = (outcome: Exclude<StepOutcome, { status: 'ok' }>): string => (outcome.status === 'failed' ? outcome.message : outcome.reason)

  // Down to the state before the checked revisions, newest first.
  for (const revision of [...revisions].reverse()) {
    const outcome = await step(revision, 'down')
    if (outcome.status !== 'ok') return problemOf(revision, outcome)
  }
  let expected = await snapshot()
  const bottom = input.before ? diffSnapshots(input.before, expected) : []

  // Each revision on its own: up, down (must give back `expected`), up again.
  for (const revision of revisions) {
    const up = await step(revision, 'up')
    if (up.status !== 'ok') {
      // Usually a down step that left something behind which the upgrade creates again: the bottom diff shows it.
      const leftBehind = bottom.length > 0 ? ` The down steps left the schema different from before the upgrade.` : ''
      return stop(
        'failed',
        revision,
        `Upgrading ${revision.id} again after the down steps failed: ${why(up)}.${leftBehind}`,
        bottom.length > 0 ? formatDiff(bottom) : undefined,
        up
      )
    }
    const upgraded = await snapshot()
    const down = await step(revision, 'down')
    if (down.status !== 'ok') return problemOf(revision, down)
    const changes = diffSnapshots(expected, await snapshot())
    if (changes.length > 0) {
      return stop(
        'failed',
        revision,
        `The down step of ${revision.id} does not restore the schema its upgrade started from (${plural(changes.length, 'difference')}).`,
        formatDiff(changes)
      )
    }
    const again = await step(revision, 'up')
    if (again.status !== 'ok') return stop('failed', revision, `Upgrading ${revision.id} a second time failed: ${why(again)}`, undefined, again)
    expected = upgraded
  }

  if (bottom.length > 0) {
    return stop('failed', undefined, `The down steps of ${ids.join(', ')} together do not restore the schema from before the upgrade.`, formatDiff(bottom))
  }
  const top = diffSnapshots(input.after, await snapshot())
  if (top.length > 0) return stop('failed', undefined, 'Upgrading again after the round trip does not give the schema of the first upgrade.', formatDiff(top))
  return { status: 'passed', revisions: ids, steps }
}

function withoutStatus(outcome: Extract<StepOutcome, { status: 'failed' }>): StepFailure {
  const { status: _status, ...failure } = outcome
  return failure
}
