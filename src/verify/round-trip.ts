import type { Engine, EngineContext, LoadedChain, Revision, StepOutcome } from '../engines/engine.js'
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
  /** `-` the expected schema, `+` the schema after the down step. */
  diff?: string
  steps: RoundTripStep[]
}

export async function verifyRoundTrip(input: RoundTripInput): Promise<RoundTripResult> {
  const { engine, ctx, chain, revisions } = input
  const steps: RoundTripStep[] = []
  const ids = revisions.map((r) => r.id)
  const snapshot = (): Promise<Snapshot> => takeSnapshot(ctx.client, { exclude: input.exclude })
  const stop = (status: 'failed' | 'irreversible', revision: Revision | undefined, problem: string, diff?: string): RoundTripResult => ({
    status,
    revisions: ids,
    revision: revision?.id,
    file: revision?.file,
    problem,
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
      : stop('failed', revision, `The down step of ${revision.id} failed: ${outcome.message}`)

  // Down to the state before the checked revisions, newest first.
  const undone: Revision[] = []
  for (const revision of [...revisions].reverse()) {
    const outcome = await step(revision, 'down')
    if (outcome.status === 'irreversible') {
      // Not a failure, so the run must end where the upgrade left it: re-apply what was undone.
      for (const again of undone.reverse()) {
        const up = await step(again, 'up')
        if (up.status !== 'ok') return stop('failed', again, `Upgrading ${again.id} again after the down steps failed: ${up.status === 'failed' ? up.message : up.reason}.`)
      }
      return problemOf(revision, outcome)
    }
    if (outcome.status !== 'ok') return problemOf(revision, outcome)
    undone.push(revision)
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
        `Upgrading ${revision.id} again after the down steps failed: ${up.status === 'failed' ? up.message : up.reason}.${leftBehind}`,
        bottom.length > 0 ? formatDiff(bottom) : undefined
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
    if (again.status !== 'ok') return stop('failed', revision, `Upgrading ${revision.id} a second time failed: ${again.status === 'failed' ? again.message : again.reason}`)
    expected = upgraded
  }

  if (bottom.length > 0) {
    return stop('failed', undefined, `The down steps of ${ids.join(', ')} together do not restore the schema from before the upgrade.`, formatDiff(bottom))
  }
  const top = diffSnapshots(input.after, await snapshot())
  if (top.length > 0) return stop('failed', undefined, 'Upgrading again after the round trip does not give the schema of the first upgrade.', formatDiff(top))
  return { status: 'passed', revisions: ids, steps }
}
