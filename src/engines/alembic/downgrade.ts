import { readFileSync } from 'node:fs'
import path from 'node:path'
import { ancestorsOf, pendingPath } from '../../chain/graph.js'
import { CancelledError, cancelSignal } from '../../cancel.js'
import { ActionError } from '../../errors.js'
import { plural } from '../../report/markdown.js'
import { redact } from '../../redact.js'
import type { DatabaseState, DowngradePlan, DowngradeResult, DowngradeRun, EngineContext, LoadedChain, MigrationFailure, Revision } from '../engine.js'
import { offlinePending, readOfflineRun, registerOfflineSqlSecrets } from './offline-sql.js'
import { extractError } from './output.js'
import { functionSource } from '../../lint/alembic-ops.js'
import type { RevisionSource } from './project.js'
import { topLevelStatements } from './revision-file.js'
import type { AlembicProcess } from './run.js'
import { readVersionRows, versionTableName, type VersionTable } from './version-table.js'

/**
 * `mode: downgrade` for Alembic chains: `alembic downgrade <target>` under the migration lock, after
 * every revision on the way was checked for a downgrade() that does something, and its SQL (offline
 * `alembic downgrade <current>:<target> --sql`) linted. Which revisions were reverted is read from the
 * version table afterwards; Alembic's `Running downgrade` lines time each one.
 */

export interface AlembicDowngradeDeps {
  /** `alembic <args>` with the engine's interpreter and environment; `echo` shows its lines in the log. */
  alembic: (args: string[], echo: boolean) => Promise<AlembicProcess>
  table: VersionTable
  sources: Map<string, RevisionSource>
  envPy: string
  /** Filled as Alembic runs: its versions (and a prepared venv), for the report's chain notes. */
  notes: string[]
}

/** What a revision file's `upgrade()` or `downgrade()` does: nothing (`pass`, a docstring), raises (the usual "irreversible"), or something. */
export function functionBody(source: string, name: 'upgrade' | 'downgrade'): 'missing' | 'empty' | 'raises' | 'code' {
  const found = functionSource(source, name)
  if (!found) return 'missing'
  const code = topLevelStatements(found.body).filter((s) => !/^(pass\b|\.\.\.$|[rRuU]?("|'))/.test(s.text))
  if (code.length === 0) return 'empty'
  return /^raise\b/.test(code[0].text) ? 'raises' : 'code'
}

/** A downgrade() that is missing or raises, or does nothing although upgrade() does something; a merge has nothing to undo. */
function irreversible(revision: Revision, source: string | undefined): boolean {
  if (revision.parents.length > 1 || source === undefined) return false
  const down = functionBody(source, 'downgrade')
  return down === 'missing' || down === 'raises' || (down === 'empty' && functionBody(source, 'upgrade') === 'code')
}

/** The revisions `alembic downgrade <target>` undoes: the applied descendants of the target (all applied ones for base), newest first. */
function revisionsToRevert(revisions: Revision[], current: string[], target: string): Revision[] {
  const applied = ancestorsOf(revisions, current)
  const kept = target === 'base' ? new Set<string>() : ancestorsOf(revisions, [target])
  const above = target === 'base' ? applied : descendantsOf(revisions, target)
  return pendingPath(revisions, [])
    .filter((r) => applied.has(r.id) && above.has(r.id) && !kept.has(r.id))
    .reverse()
}

function descendantsOf(revisions: Revision[], id: string): Set<string> {
  const children = new Map<string, string[]>()
  for (const r of revisions) for (const p of [...r.parents, ...r.dependsOn]) children.set(p, [...(children.get(p) ?? []), r.id])
  const seen = new Set<string>()
  const stack = [...(children.get(id) ?? [])]
  while (stack.length > 0) {
    const next = stack.pop()!
    if (seen.has(next)) continue
    seen.add(next)
    stack.push(...(children.get(next) ?? []))
  }
  return seen
}

export async function planAlembicDowngrade(
  ctx: EngineContext,
  chain: LoadedChain,
  state: DatabaseState,
  target: string,
  deps: AlembicDowngradeDeps
): Promise<DowngradePlan<undefined>> {
  const { sources } = deps
  const applied = ancestorsOf(chain.revisions, state.current)
  if (target !== 'base' && !(sources.has(target) && applied.has(target))) {
    const known = sources.has(target)
    throw new ActionError(
      'downgrade-target-invalid',
      `Input 'target-revision' is '${target}', which ${known ? 'is a revision of the chain the database has not applied' : 'is no revision of the chain'}: ${versionTableName(deps.table)} records ${state.current.join(', ') || 'no revision'}. Nothing was reverted.`,
      {
        location: { input: 'target-revision' },
        hint: `Use base or the full id of an applied revision (${[...applied].slice(0, 6).join(', ') || 'none is applied'}); shortened ids and relative targets such as -1 are not accepted, so the target is exactly the revision reviewed.`
      }
    )
  }
  const steps = revisionsToRevert(chain.revisions, state.current, target)
  if (steps.length === 0) return { target, revisions: [], notes: [], data: undefined }

  const cannot = steps.filter((r) => irreversible(r, readSource(sources.get(r.id)?.absolutePath)))
  if (cannot.length > 0) {
    const first = cannot[0]
    throw new ActionError(
      'downgrade-irreversible',
      `Cannot downgrade to ${target}: the downgrade() of ${cannot.map((r) => r.file).join(', ')} ${cannot.length === 1 ? 'does' : 'do'} nothing or raises, so ${cannot.length === 1 ? 'it' : 'they'} cannot be reverted. Nothing was reverted.`,
      {
        location: { file: first.file, line: first.line, revision: first.id },
        hint: `Write the downgrade() of ${cannot.map((r) => r.id).join(', ')}, or choose a target-revision at or above ${first.id}; restoring the backup is the way back past a revision that cannot be undone.`
      }
    )
  }

  const notes = deps.notes
  if (state.current.length !== 1) {
    const revisions = steps.map((revision) => ({
      revision,
      transactional: !sources.get(revision.id)?.autocommit,
      notes: [`no SQL: the database is at ${state.current.length} heads, and offline --sql takes one start`]
    }))
    return { target, revisions, notes, data: undefined }
  }
  const range = `${state.current[0]}:${target}`
  const offline = await deps.alembic(['downgrade', range, '--sql'], false)
  await registerOfflineSqlSecrets(offline.stdout)
  const run = readOfflineRun(offline, sources, deps.envPy, 'downgrade')
  if (run.stopped) {
    ctx.log.warning(
      `Alembic's offline mode (downgrade ${range} --sql) stopped at ${run.stopped.revision ?? 'env.py'}: ${redact(run.stopped.message)}; the revisions after it are not linted.`
    )
  }
  const revisions = offlinePending(steps, run, sources, true).map((p) => ({ ...p, notes: p.notes.map(redact) }))
  return { target, revisions, notes: [...notes], data: undefined }
}

export async function runAlembicDowngrade(
  ctx: EngineContext,
  chain: LoadedChain,
  state: DatabaseState,
  plan: DowngradePlan<undefined>,
  deps: AlembicDowngradeDeps
): Promise<DowngradeResult> {
  const tableName = versionTableName(deps.table)
  const runs: DowngradeRun[] = plan.revisions.map((p) => ({
    id: p.revision.id,
    description: p.revision.description,
    file: p.revision.file,
    status: 'not-run',
    transactional: p.transactional,
    notes: p.notes.filter((n) => !n.startsWith('no SQL'))
  }))
  if (runs.length === 0) return { target: plan.target, runs, current: state.current }
  if (!ctx.lock) throw new Error('mode: downgrade reverts migrations only while it holds the migration lock (EngineContext.lock).')
  if (await ctx.lock.ensureHeld()) {
    const now = (await readVersionRows(ctx.lock.session, deps.table)) ?? []
    if (now.length !== state.current.length || now.some((id) => !state.current.includes(id))) {
      return {
        target: plan.target,
        runs,
        current: now,
        failure: {
          code: 'revert-failed',
          revision: runs[0].id,
          file: runs[0].file,
          message: `The migration lock was lost and re-acquired before Alembic started, and meanwhile ${tableName} moved from ${state.current.join(', ')} to ${now.join(', ') || 'no revision'}: another run changed this database.`,
          databaseState: `unchanged by this run: ${tableName} records ${now.join(', ') || 'no revision'}`,
          recovery: ['Run again: the next run reads the state anew.']
        }
      }
    }
  }
  const notStarted = cancelSignal(ctx.signal)
  if (notStarted) throw new CancelledError(notStarted, `alembic downgrade ${plan.target} did not start`)
  const proc = await ctx.log.group(`alembic downgrade ${plan.target}`, () => deps.alembic(['downgrade', plan.target], true))
  const after = (await readVersionRows(ctx.lock.session, deps.table)) ?? []
  const stillApplied = ancestorsOf(chain.revisions, after)
  const durations = downgradeDurations(proc)
  const error = proc.exitCode === 0 ? undefined : extractError(proc.stderr + '\n' + proc.stdout)
  const revisionFrame = [...(error?.frames ?? [])].reverse().find((f) => runs.some((r) => samePath(f.file, deps.sources.get(r.id)?.absolutePath)))
  const ran = proc.progress.filter((p) => p.direction === 'downgrade').flatMap((p) => p.from)
  const failedId =
    proc.exitCode === 0
      ? undefined
      : (runs.find((r) => samePath(revisionFrame?.file, deps.sources.get(r.id)?.absolutePath))?.id ?? [...ran].reverse().find((id) => stillApplied.has(id)))
  for (const run of runs) {
    run.durationMs = durations.get(run.id)
    if (!stillApplied.has(run.id)) run.status = 'reverted'
    else if (run.id === failedId) run.status = 'failed'
    else if (ran.includes(run.id)) {
      run.notes.push(`ran, but was rolled back with ${failedId ?? 'the failed downgrade'} (Alembic runs the downgrade in one transaction)`)
      run.durationMs = undefined
    }
  }
  const reverted = runs.filter((r) => r.status === 'reverted').map((r) => r.id)
  const at = (ids: string[]): string => (ids.length === 0 ? 'no revision' : ids.join(', '))
  if (proc.exitCode === 0) {
    const left = runs.filter((r) => r.status !== 'reverted')
    if (left.length === 0) return { target: plan.target, runs, current: after }
    return {
      target: plan.target,
      runs,
      current: after,
      failure: {
        code: 'revert-failed',
        revision: left[0].id,
        file: left[0].file,
        message: `Alembic exited successfully, but ${tableName} in this database still records ${at(after)}: ${left.map((r) => r.id).join(', ')} ${left.length === 1 ? 'is' : 'are'} still recorded as applied.`,
        databaseState: `unknown: Alembic reported success, but the version table ${tableName} does not record ${plan.target}`,
        recovery: [
          `Check that ${path.relative(process.cwd(), deps.envPy)} connects with the DATABASE_URL environment variable (the action sets it) and uses the version table ${tableName}.`
        ],
        log: proc.log
      }
    }
  }
  const failedRun = runs.find((r) => r.id === failedId)
  const failure: MigrationFailure = {
    code: 'revert-failed',
    revision: failedId ?? runs[0].id,
    file: failedRun?.file ?? path.relative(process.cwd(), deps.envPy),
    line: revisionFrame?.line,
    statement: error?.statement ? redact(error.statement) : undefined,
    message: redact(error ? error.summary : `Alembic exited with code ${proc.exitCode} without a Python traceback; see the log.`),
    detail: error?.detail ? redact(error.detail) : undefined,
    serverHint: error?.hint ? redact(error.hint) : undefined,
    databaseState:
      reverted.length === 0
        ? `rolled back: nothing was reverted; ${tableName} still records ${at(after)}`
        : `${plural(reverted.length, 'revision')} reverted (${reverted.join(', ')}); ${tableName} now records ${at(after)}`,
    recovery: [
      failedRun
        ? `Fix the downgrade() of ${failedRun.file}${revisionFrame ? `:${revisionFrame.line}` : ''} (the error above) and run mode: downgrade again: it continues from ${at(after)}.`
        : 'Fix the error above (it happened outside a revision, e.g. in env.py or while connecting) and run again.',
      "If the downgrade cannot be fixed, restore the backup taken before the deploy (the README's rollback section gives the restore)."
    ],
    log: proc.log
  }
  return { target: plan.target, runs, current: after, failure }
}

/** Each revision's time: from its `Running downgrade` line to the next one, or to the end of Alembic's command. */
function downgradeDurations(proc: AlembicProcess): Map<string, number> {
  const lines = proc.progress.filter((p) => p.direction === 'downgrade')
  const durations = new Map<string, number>()
  lines.forEach((p, i) => {
    const end = i + 1 < lines.length ? lines[i + 1].at : (proc.finishedAt ?? proc.durationMs)
    for (const id of p.from) durations.set(id, Math.max(0, end - p.at))
  })
  return durations
}

function readSource(file: string | undefined): string | undefined {
  if (!file) return undefined
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

function samePath(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && path.resolve(a) === path.resolve(b)
}
