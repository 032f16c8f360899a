import * as core from '@actions/core'
import { mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type pg from 'pg'
import { analyzeGraph } from './chain/graph.js'
import { closeQuietly } from './connection.js'
import { createEngineContext } from './engines/context.js'
import { selectEngine } from './engines/index.js'
import type { PendingRevision } from './engines/engine.js'
import { ActionError, isActionError } from './errors.js'
import { ensureExtensions, extensionsFailure } from './extensions.js'
import { describeLintStage, findingsJson, lintAnnotations, runLintStage } from './lint/index.js'
import { readSettings, type InputName, type InputReader, type Settings } from './inputs.js'
import { MigrationLock } from './lock.js'
import { runnerLogger, type Logger } from './logger.js'
import { redact, registerUrlSecrets } from './redact.js'
import type { RunReport, StageName, StageRecord } from './report/model.js'
import { renderReportSafely } from './report/render.js'
import { formatMs, waitForServer, type WaitDependencies } from './wait.js'

/**
 * The orchestrator: runs the stages in order, hands each one's result forward, and records every
 * result — also when a stage throws — so the report always says what was known.
 */

export interface PipelineDependencies {
  log: Logger
  env?: NodeJS.ProcessEnv
  wait?: WaitDependencies
}

/** Thrown after a stage failure has been recorded, to stop the pipeline without recording it twice. */
class StageFailed extends Error {}

class RunRecorder {
  readonly report: RunReport
  private readonly started = Date.now()

  constructor() {
    this.report = { status: 'success', startedAt: new Date(), durationMs: 0, stages: [], problems: [], warnings: [] }
  }

  async stage<T>(name: StageName, fn: () => Promise<T>, describe: (value: T) => string | Pick<StageRecord, 'status' | 'summary'>): Promise<T> {
    const start = Date.now()
    try {
      const value = await fn()
      const described = describe(value)
      const record = typeof described === 'string' ? { status: 'ok' as const, summary: described } : described
      this.report.stages.push({ name, durationMs: Date.now() - start, ...record })
      return value
    } catch (error) {
      if (error instanceof StageFailed) throw error
      this.report.stages.push({ name, status: 'failed', durationMs: Date.now() - start, summary: isActionError(error) ? error.message : 'internal error' })
      this.fail(name, error)
      throw new StageFailed()
    }
  }

  fail(stage: StageName | 'report', error: unknown): void {
    this.report.status = 'failure'
    if (this.report.error) return
    const bug = !isActionError(error)
    this.report.error = {
      stage,
      code: isActionError(error) ? error.code : 'internal-error',
      message: bug ? `Internal error: ${error instanceof Error ? error.message : String(error)}` : error.message,
      hint: isActionError(error) ? error.hint : 'This is a bug in pg-migrate-action, not in your migrations.',
      details: isActionError(error) ? error.details : [],
      location: isActionError(error) ? error.location : {},
      bug,
      stack: error instanceof Error ? error.stack : undefined
    }
  }

  finish(): RunReport {
    this.report.durationMs = Date.now() - this.started
    return this.report
  }
}

export interface PipelineOutcome {
  report: RunReport
  /** Undefined when the inputs themselves were invalid. */
  settings?: Settings
}

export async function runPipeline(readInput: InputReader, deps: PipelineDependencies): Promise<PipelineOutcome> {
  const { log } = deps
  const env = deps.env ?? process.env
  const recorder = new RunRecorder()
  const report = recorder.report
  let client: pg.Client | undefined
  let lock: MigrationLock | undefined
  let validSettings: Settings | undefined

  try {
    const settings = await recorder.stage('inputs', async () => readSettings(readInput, env), (s) => `mode ${s.mode}, engine ${s.engine}, migrations ${s.migrationsPath}`)
    validSettings = settings
    report.mode = settings.mode
    report.database = `${settings.databaseUrl.user}@${settings.databaseUrl.host}:${settings.databaseUrl.port}/${settings.databaseUrl.database}`

    const waited = await recorder.stage(
      'wait',
      () =>
        waitForServer(
          settings.databaseUrl,
          { timeoutMs: settings.waitTimeoutMs, retryDelayMs: settings.retryDelayMs, maxRetryDelayMs: settings.maxRetryDelayMs, connectTimeoutMs: settings.connectTimeoutMs },
          log,
          deps.wait
        ),
      ({ result }) => `ready after ${result.attempts} attempt(s), ${formatMs(result.waitedMs)}`
    )
    client = waited.client
    report.wait = waited.result
    report.serverVersion = waited.result.serverVersion
    const actionClient = client

    if (settings.extensions.length > 0) {
      await recorder.stage(
        'extensions',
        async () => {
          const result = await log.group('Extensions', () => ensureExtensions(actionClient, settings.extensions, log, { create: settings.mode === 'migrate' || settings.mode === 'check' }))
          report.extensions = result
          report.warnings.push(...result.warnings)
          const failure = extensionsFailure(result)
          if (failure && settings.requireExtensions) throw failure
          if (failure) report.warnings.push(`${failure.message} (continuing: require-extensions is false)`)
          return { result, failure }
        },
        ({ result, failure }) => ({
          status: failure || result.warnings.length > 0 ? 'warning' : 'ok',
          summary:
            result.extensions.map((e) => `${e.name} ${e.version ?? e.status}`).join(', ') +
            (result.smoke.length ? `; smoke test ${result.smoke.filter((c) => c.ok).length}/${result.smoke.length} passed` : '')
        })
      )
    } else {
      report.stages.push({ name: 'extensions', status: 'skipped', durationMs: 0, summary: 'no extensions requested' })
    }
    if (settings.mode === 'check') return { report: recorder.finish(), settings }

    const { engine, chain } = await recorder.stage(
      'load chain',
      async () => {
        const engine = selectEngine(settings)
        report.engine = engine.name
        report.migrationsPath = settings.migrationsPath
        return { engine, chain: await engine.loadChain() }
      },
      ({ engine, chain }) => `${chain.revisions.length} revision(s) in ${chain.directory} (engine ${engine.name})`
    )
    report.chain = chain
    const analysis = analyzeGraph(chain.revisions)
    report.graph = analysis.summary

    if (settings.mode === 'migrate') {
      const migrationLock = (lock = new MigrationLock(settings, log))
      report.lock = await recorder.stage('lock', () => migrationLock.acquire(), (l) =>
        l.waitedMs > 0 ? `waited ${formatMs(l.waitedMs)} for another run` : 'acquired'
      )
    }
    const ctx = createEngineContext(settings, actionClient, log, lock)

    const state = await recorder.stage(
      'validate',
      async () => {
        const state = await engine.readState(ctx, chain)
        report.state = state
        report.problems = [...analysis.problems, ...engine.checkChain(chain), ...state.problems]
        const errors = report.problems.filter((p) => p.severity === 'error')
        report.warnings.push(...report.problems.filter((p) => p.severity === 'warning').map((p) => p.message))
        if (errors.length > 0) {
          throw new ActionError('chain-invalid', errors.length === 1 ? errors[0].message : `${errors.length} problems in the migration chain; the first: ${errors[0].message}`, {
            hint: errors[0].hint,
            location: { file: errors[0].file, line: errors[0].line, revision: errors[0].revisions[0] },
            details: errors.slice(1).map((p) => `${p.message} — ${p.hint}`)
          })
        }
        return state
      },
      (s) => `valid; database at ${s.current.join(', ') || 'nothing applied'}`
    )

    const pending = engine.pending(chain, state)

    // ── risk lint (issue 9) ── BEGIN: between validate and plan/apply, in every mode that has a chain.
    const lint = await recorder.stage(
      'lint',
      async () => {
        const outcome = await runLintStage({ engine, ctx, chain, state, pending })
        report.lint = outcome
        // The gate: stop before anything of the pending set is applied.
        if (outcome.gate.error) throw outcome.gate.error
        return outcome
      },
      describeLintStage
    )
    // ── risk lint ── END
    if (settings.mode === 'validate') {
      report.pending = pending.map((revision) => ({ revision, transactional: true, notes: [] }))
      return { report: recorder.finish(), settings }
    }

    if (settings.mode === 'plan') {
      report.pending = await recorder.stage('plan', async () => lint.rendered, (p) => `${p.length} pending migration(s)`)
      return { report: recorder.finish(), settings }
    }

    report.pending = pending.map((revision): PendingRevision => ({ revision, transactional: true, notes: [] }))
    await recorder.stage(
      'apply',
      async () => {
        const result = pending.length === 0 ? { runs: [], current: state.current } : await log.group(`Applying ${pending.length} migration(s)`, () => engine.apply(ctx, chain, state, pending))
        report.apply = result
        if (result.failure) {
          const f = result.failure
          throw new ActionError('migration-failed', `Migration ${f.revision} failed: ${f.message}`, {
            location: { file: f.file, line: f.line, column: f.column, revision: f.revision },
            hint: f.recovery[0],
            details: [f.databaseState]
          })
        }
        return result
      },
      (r) => (r.runs.length === 0 ? 'nothing to apply' : `applied ${r.runs.filter((x) => x.status === 'applied').length} migration(s)`)
    )
  } catch (error) {
    if (!(error instanceof StageFailed)) recorder.fail('report', error)
  } finally {
    await lock?.release()
    await closeQuietly(client)
  }
  return { report: recorder.finish(), settings: validSettings }
}

/** The entry point the runner calls: all runner I/O lives here. */
export async function run(): Promise<void> {
  const rawUrl = core.getInput('database-url') || process.env.DATABASE_URL || ''
  registerUrlSecrets(rawUrl)
  const readInput: InputReader = (name: InputName) => (inputGiven(name) ? core.getInput(name) : undefined)
  const { report, settings } = await runPipeline(readInput, { log: runnerLogger })

  const markdown = renderReportSafely(report)
  const reportPath = writeReportFile(markdown)
  setOutputs(report, reportPath)
  annotate(report)

  // Invalid inputs still get a summary: that is where the user looks for what went wrong.
  if ((settings?.summary ?? true) && process.env.GITHUB_STEP_SUMMARY) {
    try {
      await core.summary.addRaw(markdown, true).write()
    } catch (error) {
      core.warning(redact(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`))
    }
  }
  if (report.status === 'failure') {
    const e = report.error
    core.setFailed(redact(e ? `${e.message}${e.hint ? `\nWhat to do: ${e.hint}` : ''}` : 'pg-migrate-action failed'))
  }
}

/** The runner sets INPUT_<NAME> for every input it knows, so "absent" means "not given". */
function inputGiven(name: InputName): boolean {
  return process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] !== undefined
}

function writeReportFile(markdown: string): string | undefined {
  try {
    const dir = join(process.env.RUNNER_TEMP || tmpdir(), 'pg-migrate-action')
    mkdirSync(dir, { recursive: true })
    const path = join(dir, `report-${process.env.GITHUB_RUN_ID ?? 'local'}-${process.env.GITHUB_ACTION ?? process.pid}.md`)
    writeFileSync(path, markdown)
    return path
  } catch (error) {
    core.warning(redact(`Could not write the report file: ${error instanceof Error ? error.message : String(error)}`))
    return undefined
  }
}

function setOutputs(report: RunReport, reportPath: string | undefined): void {
  const set = (name: string, value: string | number | undefined): void => {
    if (value !== undefined) core.setOutput(name, redact(String(value)))
  }
  set('server-version', report.serverVersion)
  if (report.extensions) {
    set('extension-versions', JSON.stringify(Object.fromEntries(report.extensions.extensions.filter((e) => e.version).map((e) => [e.name, e.version]))))
  }
  const applied = report.apply?.runs.filter((r) => r.status === 'applied') ?? []
  if (report.state || report.apply) {
    set('applied-count', applied.length)
    set('applied', JSON.stringify(applied.map((r) => ({ revision: r.id, description: r.description, durationMs: r.durationMs ?? null }))))
    const notApplied = report.apply ? report.apply.runs.filter((r) => r.status !== 'applied').length : (report.pending?.length ?? 0)
    set('pending-count', notApplied)
    set('current-version', (report.apply?.current ?? report.state?.current ?? []).join(','))
  }
  // ── risk lint (issue 9) outputs
  if (report.lint) {
    set('max-risk', report.lint.result.maxRisk)
    set('findings', findingsJson(report.lint))
  }
  set('report-path', reportPath)
  set('duration-ms', report.durationMs)
}

const MAX_ANNOTATIONS = 8

function annotate(report: RunReport): void {
  let budget = MAX_ANNOTATIONS
  const failure = report.apply?.failure
  if (failure) {
    core.error(redact([failure.message, failure.detail, failure.serverHint && `Hint: ${failure.serverHint}`].filter(Boolean).join('\n')), {
      title: redact(`Migration ${failure.revision} failed${failure.sqlState ? ` (${failure.sqlState})` : ''}`),
      file: failure.file,
      startLine: failure.line,
      startColumn: failure.column
    })
    budget--
  }
  // ── risk lint (issue 9) annotations, blocking findings first
  for (const a of report.lint ? lintAnnotations(report.lint) : []) {
    if (budget-- <= 0) break
    core[a.level](redact(a.message), { title: redact(a.title), file: a.file, startLine: a.line })
  }
  for (const problem of report.problems.filter((p) => p.file)) {
    if (budget-- <= 0) break
    const annotation = { title: `Migration chain: ${problem.code}`, file: problem.file, startLine: problem.line }
    const text = redact(`${problem.message}\n${problem.hint}`)
    if (problem.severity === 'error') core.error(text, annotation)
    else core.warning(text, annotation)
  }
}
