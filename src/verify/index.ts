import type pg from 'pg'
import type { Chain, DatabaseState, Engine, EngineContext, LoadedChain, Revision } from '../engines/engine.js'
import { ActionError } from '../errors.js'
import type { Settings } from '../inputs.js'
import { cell, code, details, fence, table } from '../report/markdown.js'
import type { StageRecord } from '../report/model.js'
import { databaseNotEmpty, hostNotDisposable } from './disposable.js'
import { describeChanges, diffSnapshots, formatDiff, type SchemaChange } from './diff.js'
import { verifyRoundTrip, type RoundTripResult } from './round-trip.js'
import { bookkeepingTables, takeSnapshot, type Snapshot } from './snapshot.js'

/**
 * The verify-downgrade stage, in two parts around apply: before it, refuse a target that does not
 * look disposable and take the schema snapshot; after it, the round trip of the down migrations.
 */

export interface VerifyPreparation {
  before: Snapshot
  scope: 'pending' | 'all'
}

/**
 * Disposable means a throwaway server (loopback, a unix socket or a job's service container, by the
 * addresses the host resolves to) and a database with nothing in it: the round trip drops whatever
 * the migrations touch, so an empty database is the only one where that loses nothing.
 */
export async function prepareVerify(settings: Settings, state: DatabaseState, client: pg.Client, chain: Chain): Promise<VerifyPreparation> {
  const reasons: string[] = []
  const host = await hostNotDisposable(settings.databaseUrl.host)
  if (host) reasons.push(host)
  if (state.applied.length > 0) reasons.push(`the database already had ${state.applied.length} applied migration(s) before this run (at ${state.current.join(', ')})`)
  const contents = await databaseNotEmpty(client, chain.versionTable)
  if (contents) reasons.push(contents)
  if (reasons.length > 0 && !settings.allowDestructiveVerify) {
    throw new ActionError(
      'verify-target-not-disposable',
      `verify-downgrade runs the down migrations, which drop what the upgrade created, and this target does not look disposable: ${reasons.join('; ')}. Nothing was applied.`,
      {
        location: { input: 'verify-downgrade' },
        hint: 'Run verify-downgrade against a throwaway database (a service container in the job), or set allow-destructive-verify: true if losing its data is fine.'
      }
    )
  }
  return { before: await takeSnapshot(client, { exclude: bookkeepingTables(chain) }), scope: settings.verifyDowngrade === 'all' ? 'all' : 'pending' }
}

export interface VerifyInput {
  engine: Engine
  ctx: EngineContext
  chain: LoadedChain
  preparation: VerifyPreparation
  /** The revisions this run applied, in order. */
  applied: Revision[]
}

/** Where verify-downgrade left the database, read from it once the round trip (and any restore) ended. */
export interface DatabaseEnd {
  /** The revision(s) the version or history table records. */
  current: string[]
  /** Revisions applied when verify-downgrade began that the database no longer records as applied. */
  notApplied: string[]
  /** How the schema differs from the one verify-downgrade began with (`-` then, `+` now); undefined when it could not be compared. */
  schemaChanges?: SchemaChange[]
}

export type VerifyOutcome = RoundTripResult & {
  scope: 'pending' | 'all'
  /** Undefined only when the database could not be read afterwards. */
  end?: DatabaseEnd
}

export async function runVerifyDowngrade({ engine, ctx, chain, preparation, applied }: VerifyInput): Promise<VerifyOutcome> {
  const exclude = bookkeepingTables(chain)
  const after = await takeSnapshot(ctx.client, { exclude })
  let revisions = applied
  if (preparation.scope === 'all') {
    const state = await engine.readState(ctx, chain)
    const byId = new Map(chain.revisions.map((r) => [r.id, r]))
    revisions = state.applied.map((a) => byId.get(a.id)).filter((r): r is Revision => r !== undefined)
  }
  // The snapshot from before the upgrade is the bottom of the round trip only when nothing below the checked revisions was applied.
  const before = preparation.scope === 'pending' || revisions.length === applied.length ? preparation.before : undefined
  const result = await verifyRoundTrip({ engine, ctx, chain, revisions, before, after, exclude })
  return { ...result, scope: preparation.scope, end: await readDatabaseEnd(engine, ctx, chain, revisions, after) }
}

/**
 * What the database records and holds now, compared with what verify-downgrade began with: the
 * report's "now at" and the current-version output come from here, not from the apply.
 */
export async function readDatabaseEnd(engine: Engine, ctx: EngineContext, chain: LoadedChain, revisions: Revision[], began?: Snapshot): Promise<DatabaseEnd> {
  const state = await engine.readState(ctx, chain)
  const applied = new Set(state.applied.map((a) => a.id))
  const schemaChanges = began && diffSnapshots(began, await takeSnapshot(ctx.client, { exclude: bookkeepingTables(chain) }))
  return { current: state.current, notApplied: revisions.filter((r) => !applied.has(r.id)).map((r) => r.id), schemaChanges }
}

/**
 * One or two sentences for the summary's database state after a round trip that stopped: what it
 * upgraded again, what stays undone, and whether the schema is the one the apply produced.
 */
export function describeDatabaseEnd(result: VerifyOutcome | undefined): string | undefined {
  if (!result || result.status === 'passed') return undefined
  const end = result.end
  if (!end) return 'The round trip stopped part-way, and the database could not be read afterwards: check the version table and the schema by hand.'
  const upgraded = result.restore?.upgraded ?? []
  const changes = end.schemaChanges
  const schema =
    changes === undefined
      ? ''
      : changes.length === 0
        ? 'the schema is the one the apply produced'
        : `the schema differs from the one the apply produced: ${describeChanges(changes)}`
  if (end.notApplied.length === 0) {
    const how = upgraded.length > 0 ? `After the round trip stopped, verify-downgrade upgraded ${upgraded.join(', ')} again` : 'The round trip stopped'
    return `${how}: the database records every revision the apply left${schema ? `, and ${schema}` : ''}.`
  }
  const failed = result.restore?.failed
  const partly = upgraded.length > 0 ? ` It upgraded ${upgraded.join(', ')} again.` : ''
  const because = partly + (failed ? ` Upgrading ${failed.revision} again failed: ${failed.message.replace(/\.$/, '')}.` : '')
  return (
    `The round trip stopped and verify-downgrade could not give back what the apply left: ${end.notApplied.join(', ')} ${end.notApplied.length === 1 ? 'is' : 'are'} no longer applied.` +
    because +
    (schema ? ` ${schema.charAt(0).toUpperCase()}${schema.slice(1)}.` : '')
  )
}

/** The error that fails the run after a round trip found a difference; irreversible migrations are findings, not failures. */
export function verifyFailure(result: VerifyOutcome): ActionError | undefined {
  if (result.status !== 'failed') return undefined
  return new ActionError(result.diff ? 'downgrade-mismatch' : 'downgrade-failed', `verify-downgrade: ${result.problem}`, {
    location: { revision: result.revision, file: result.failure?.file ?? result.file, line: result.failure?.line, column: result.failure?.column },
    hint:
      (result.revision
        ? `Fix the down migration of ${result.revision} so it undoes exactly what its upgrade does`
        : 'Check the down migrations of the listed revisions against their upgrades') +
      (result.diff ? '; the schema difference is in the Down-migration round trip section (- expected, + after the down step).' : '.')
  })
}

export function describeVerifyStage(result: VerifyOutcome): Pick<StageRecord, 'status' | 'summary'> {
  if (result.status === 'irreversible') return { status: 'warning', summary: result.problem ?? 'irreversible' }
  return { status: 'ok', summary: `round trip of ${result.revisions.length} migration(s) (${result.scope}): every down step restores the schema` }
}

export function renderVerifySection(result: VerifyOutcome | undefined): string {
  if (!result) return ''
  const icon = result.status === 'passed' ? '✅' : result.status === 'failed' ? '❌' : '⚠️'
  const headline = result.status === 'passed' ? `Every down step of ${result.revisions.map(code).join(', ')} restores the schema its upgrade started from.` : (result.problem ?? '')
  const steps = table(
    ['Revision', 'Step', 'Result'],
    result.steps.map((s) => [
      code(s.revision),
      s.restoring ? `${s.direction} (restoring what the apply left)` : s.direction,
      s.outcome.status === 'ok' ? 'ok' : cell(s.outcome.status === 'failed' ? `failed: ${s.outcome.message}` : `irreversible: ${s.outcome.reason}`)
    ])
  )
  const changes = result.status === 'passed' ? undefined : result.end?.schemaChanges
  const left = changes?.length
    ? `Compared with the schema after the apply, the database now has (\`-\` after the apply, \`+\` now):\n\n${fence(formatDiff(changes), 'diff')}\n`
    : ''
  return `### Down-migration round trip (${result.scope})\n\n${icon} ${cell(headline)}\n\n${result.diff ? fence(result.diff, 'diff') + '\n' : ''}${left}${details('Steps', steps)}`
}
