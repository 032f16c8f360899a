import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { ancestorsOf } from '../../chain/graph.js'
import { redact } from '../../redact.js'
import { excerptAround } from '../../sql/error-position.js'
import type { ApplyResult, Chain, EngineContext, MigrationFailure, Revision, RevisionRun } from '../engine.js'
import { extractError, type ExtractedError } from './output.js'
import type { RevisionSource } from './project.js'
import { runAlembic, type AlembicProcess, type AlembicVersions } from './run.js'
import { readVersionRows, versionTableName, type VersionTable } from './version-table.js'

/**
 * `alembic upgrade head`, then the truth from the version table: Alembic on PostgreSQL runs the
 * whole upgrade in one transaction by default, so after a failure the revisions that "ran" before
 * it may have been rolled back with it.
 */
export interface ApplyOptions {
  python: string
  cwd: string
  env: NodeJS.ProcessEnv
  envPy: string
  sources: Map<string, RevisionSource>
  table: VersionTable
  onVersions?: (versions: AlembicVersions) => void
}

export async function applyAlembic(ctx: EngineContext, chain: Chain, before: string[], pending: Revision[], options: ApplyOptions): Promise<ApplyResult> {
  if (pending.length === 0) return { runs: [], current: before }
  const proc = await ctx.log.group('alembic upgrade head', () =>
    runAlembic({ python: options.python, args: ['upgrade', 'head'], cwd: options.cwd, env: options.env, log: ctx.log, echo: true, onVersions: options.onVersions })
  )
  const after = (await readVersionRows(ctx.client, options.table)) ?? []
  const result = buildResult(chain, before, after, pending, proc, options)
  if (result.failure?.line) result.failure.excerpt = await excerpt(result.failure.file, result.failure.line)
  return result
}

/** A few numbered lines of `file` around `line`, for the summary. */
async function excerpt(file: string, line: number): Promise<string | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined)
  return text === undefined ? undefined : excerptAround(text, line)
}

/** Pure: what happened, from the process output and the version table before and after. */
export function buildResult(chain: Chain, before: string[], after: string[], pending: Revision[], proc: AlembicProcess, options: Pick<ApplyOptions, 'sources' | 'table' | 'envPy'>): ApplyResult {
  const appliedBefore = ancestorsOf(chain.revisions, before)
  const appliedAfter = ancestorsOf(chain.revisions, after)
  const nowApplied = new Set(pending.filter((r) => appliedAfter.has(r.id) && !appliedBefore.has(r.id)).map((r) => r.id))
  const durations = progressDurations(proc)
  const ran = new Set(proc.progress.map((p) => p.to))
  const tableName = versionTableName(options.table)
  const at = (ids: string[]): string => (ids.length === 0 ? 'no revision (nothing applied)' : ids.join(', '))

  const error = proc.exitCode === 0 ? undefined : extractError(proc.stderr + '\n' + proc.stdout)
  const failedId = proc.exitCode === 0 ? undefined : failingRevision(error, proc, pending, nowApplied, options.sources)
  const runs: RevisionRun[] = pending.map((revision) => {
    const source = options.sources.get(revision.id)
    const notes: string[] = []
    let status: RevisionRun['status']
    if (nowApplied.has(revision.id)) status = 'applied'
    else if (revision.id === failedId) status = 'failed'
    else status = 'not-run'
    if (status === 'not-run' && ran.has(revision.id)) {
      notes.push(`ran, but was rolled back with ${failedId ?? 'the failed upgrade'} (Alembic runs the upgrade in one transaction)`)
    }
    if (status === 'applied' && !ran.has(revision.id)) notes.push('no "Running upgrade" line from Alembic (logging below INFO?), so no duration')
    if (source?.autocommit) notes.push('uses autocommit_block(): part of it runs outside the migration transaction')
    return {
      id: revision.id,
      description: revision.description,
      file: revision.file,
      status,
      durationMs: status === 'not-run' ? undefined : durations.get(revision.id),
      attempts: 1,
      transactional: !source?.autocommit,
      notes
    }
  })

  if (proc.exitCode === 0) {
    const missing = pending.filter((r) => !nowApplied.has(r.id))
    if (missing.length === 0) return { runs, current: after }
    // Alembic succeeded, yet the table the action reads did not move: env.py migrated something else.
    const first = missing[0]
    return {
      runs: runs.map((r) => (r.status === 'applied' ? r : { ...r, status: 'not-run' as const })),
      current: after,
      failure: {
        revision: first.id,
        file: first.file,
        line: first.line,
        message:
          `Alembic exited successfully, but ${tableName} in this database still records ${at(after)}: ` +
          `${missing.map((r) => r.id).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not recorded as applied.`,
        databaseState: `unknown: Alembic reported success, but the version table ${tableName} was not updated to head`,
        recovery: [
          `Check that ${path.relative(process.cwd(), options.envPy)} connects with the DATABASE_URL environment variable (the action sets it) rather than sqlalchemy.url.`,
          `Check that env.py and the action use the same version table (${tableName}; set version_table in alembic.ini or the alembic-version-table input).`
        ],
        log: proc.log
      }
    }
  }

  const failedRevision = pending.find((r) => r.id === failedId)
  const failedSource = failedId ? options.sources.get(failedId) : undefined
  const frame = failedSource ? [...(error?.frames ?? [])].reverse().find((f) => samePath(f.file, failedSource.absolutePath)) : undefined
  const rolledBack = pending.filter((r) => ran.has(r.id) && !nowApplied.has(r.id) && r.id !== failedId).map((r) => r.id)
  const committed = [...nowApplied]
  let databaseState: string
  if (committed.length === 0) {
    databaseState = `rolled back: nothing of this run was applied; ${tableName} still records ${at(after)}`
    if (rolledBack.length > 0) databaseState += ` (${rolledBack.join(', ')} ran but rolled back with ${failedId})`
  } else {
    databaseState = `partly applied: ${committed.join(', ')} committed; ${tableName} now records ${at(after)}`
  }
  if (failedSource?.autocommit) databaseState += `; ${failedId} uses autocommit_block(), so statements in it may have been committed`
  const recovery = [
    failedRevision
      ? `Fix ${failedRevision.file}${frame ? `:${frame.line}` : ''} (the error above) and re-run; ${after.length === 0 ? 'Alembic starts again from the first revision' : `Alembic continues from ${after.join(', ')}`}.`
      : `Fix the error above (it happened outside a revision, e.g. in env.py or while connecting) and re-run.`,
    `Reproduce locally from ${path.relative(process.cwd(), options.envPy).replace(/\/?[^/]*\/env\.py$/, '') || '.'}: DATABASE_URL=<url> python -m alembic upgrade head`
  ]
  if (committed.length > 0) recovery.push('Revisions applied before the failure stay applied (transaction_per_migration or autocommit); the next run starts after them.')

  const envFrame = failedRevision ? undefined : [...(error?.frames ?? [])].reverse().find((f) => samePath(f.file, options.envPy))
  const exception = error ? error.summary : `Alembic exited with code ${proc.exitCode} without a Python traceback; see the log.`
  const failure: MigrationFailure = {
    // The interface needs a revision: when env.py failed first, name the one that was about to run.
    revision: failedId ?? pending[0].id,
    file: failedRevision?.file ?? path.relative(process.cwd(), options.envPy),
    line: failedRevision ? (frame?.line ?? failedRevision.line) : envFrame?.line,
    statement: error?.statement ? redact(error.statement) : undefined,
    message: redact(failedRevision ? exception : `Alembic failed before running ${pending[0].id}: ${exception}`),
    detail: error?.detail ? redact(error.detail) : undefined,
    serverHint: error?.hint ? redact(error.hint) : undefined,
    databaseState,
    recovery,
    log: proc.log
  }
  return { runs, failure, current: after }
}

/** Each revision's time: from its "Running upgrade" line to the next one, or to the process's exit. */
function progressDurations(proc: AlembicProcess): Map<string, number> {
  const durations = new Map<string, number>()
  proc.progress.forEach((p, i) => {
    const end = i + 1 < proc.progress.length ? proc.progress[i + 1].at : proc.durationMs
    durations.set(p.to, Math.max(0, end - p.at))
  })
  return durations
}

/**
 * Which revision failed: the revision file deepest in the traceback, else the last "Running
 * upgrade" line, else the first pending revision not applied.
 */
function failingRevision(
  error: ExtractedError | undefined,
  proc: AlembicProcess,
  pending: Revision[],
  nowApplied: Set<string>,
  sources: Map<string, RevisionSource>
): string | undefined {
  for (const frame of [...(error?.frames ?? [])].reverse()) {
    for (const [id, source] of sources) if (samePath(frame.file, source.absolutePath)) return id
  }
  const last = proc.progress[proc.progress.length - 1]
  if (last && !nowApplied.has(last.to)) return last.to
  // No revision in the traceback and none started: env.py failed first (import error, connection
  // refused, a missing variable). Guessing a revision would send the user to the wrong file.
  if (proc.progress.length === 0) return undefined
  return pending.find((r) => !nowApplied.has(r.id))?.id
}

function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b)
}
