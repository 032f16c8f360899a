import { cancellableSleep } from '../cancel.js'
import { closeQuietly } from '../connection.js'
import { errorMessage } from '../errors.js'
import { createEngineContext } from '../engines/context.js'
import type { Engine } from '../engines/engine.js'
import { selectEngine } from '../engines/index.js'
import { readSettings, type InputReader, type Settings } from '../inputs.js'
import type { Logger } from '../logger.js'
import type { RunReport } from '../report/model.js'
import type { WaitDependencies } from '../wait.js'
import { buildReport } from './report.js'
import { StageRunner, StageStopped } from './stage.js'
import { applyStage } from './stages/apply.js'
import { backupStage } from './stages/backup.js'
import { loadChainStage } from './stages/chain.js'
import { checksStage, loadChecksStage } from './stages/checks.js'
import { connectStage } from './stages/connect.js'
import { downgradeLintStage, downgradeStage } from './stages/downgrade.js'
import { driftStage, type DriftStageOutcome } from './stages/drift.js'
import { extensionsStage } from './stages/extensions.js'
import { lintStage } from './stages/lint.js'
import { lockStage } from './stages/lock.js'
import { repairStage } from './stages/repair.js'
import { appliedSchemaChangeStage, pendingSchemaChangeStage, schemaBeforeApply } from './stages/schema-change.js'
import { validateStage } from './stages/validate.js'
import { snapshotStage, verifyDowngradeStage } from './stages/verify.js'
import { plural } from '../report/markdown.js'
import { echo } from '../echo.js'
import { resolveBuildSettings } from '../vector/build-settings.js'

/**
 * The orchestrator: runs the stages in order and hands each one's result to the next. It writes
 * nothing itself: the runner keeps every stage's record and result — also when a stage fails —
 * and the report is built from those once, at the end.
 */

export interface PipelineDependencies {
  log: Logger
  env?: NodeJS.ProcessEnv
  wait?: WaitDependencies
  /** Which engine runs the chain; by default the one the migrations directory calls for. */
  selectEngine?: (settings: Settings) => Engine | Promise<Engine>
  /** Aborted when the runner cancels the run (SIGINT/SIGTERM): the stages stop what is in flight and the run reports what it left. */
  signal?: AbortSignal
}

export interface PipelineOutcome {
  report: RunReport
  /** Undefined when the inputs themselves were invalid. */
  settings?: Settings
}

export async function runPipeline(readInput: InputReader, deps: PipelineDependencies): Promise<PipelineOutcome> {
  const startedAt = new Date()
  const runner = new StageRunner(deps.signal)
  const cleanupWarnings: string[] = []
  try {
    await runStages(runner, readInput, deps)
    runner.stopIfCancelled('every step had finished before it arrived')
  } catch (error) {
    // A stage failure is already recorded; anything else is a bug in the orchestrator itself.
    if (!(error instanceof StageStopped)) runner.fail('report', error)
  } finally {
    // Before the lock goes: nothing may be applied without it. A release that fails must not keep the lock held.
    await Promise.resolve(runner.outcomes.lint?.plan.release?.()).catch((error: unknown) =>
      cleanupWarnings.push(`Could not stop the migration engine cleanly: ${errorMessage(error)}`)
    )
    // Before the connection goes: it drops the scratch database (usually the schema change has already).
    await runner.outcomes.drift?.replay?.dispose()
    await runner.outcomes.lock?.lock.release()
    await closeQuietly(runner.outcomes.wait?.client)
  }
  const report = buildReport({
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    stages: runner.records,
    outcomes: runner.outcomes,
    failure: runner.failure,
    cleanupWarnings
  })
  return { report, settings: runner.outcomes.inputs }
}

async function runStages(runner: StageRunner, readInput: InputReader, deps: PipelineDependencies): Promise<void> {
  const { log } = deps
  const env = deps.env ?? process.env
  const settings = await runner.stage('inputs', async () => {
    const s = readSettings(readInput, env)
    return { result: s, summary: `mode ${s.mode}, engine ${s.engine}, migrations ${echo(s.migrationsPath)}` }
  })
  const checksPath = settings.checks
  // Before connecting: a check that cannot parse stops the run before anything is applied.
  const checks = checksPath === undefined ? undefined : await runner.stage('load checks', () => loadChecksStage(checksPath, env))
  const { client } = await runner.stage('wait', () => connectStage(settings, log, { sleep: cancellableSleep(deps.signal), ...deps.wait }))
  // After apply (also with nothing pending) and in the modes that change nothing: on the database as the run leaves it.
  const runChecks = async (): Promise<void> => {
    if (checks) await runner.stage('checks', () => checksStage(checks, settings, client, log, deps.signal))
  }

  if (settings.extensions.length > 0) await runner.stage('extensions', () => extensionsStage(client, settings, log))
  else runner.skip('extensions', 'no extensions requested')
  if (settings.mode === 'check') {
    await runChecks()
    return
  }

  const { engine, chain } = await runner.stage('load chain', () => loadChainStage(settings, deps.selectEngine ?? selectEngine))
  const changes = settings.mode === 'migrate' || settings.mode === 'repair' || settings.mode === 'downgrade'
  const held = changes ? await runner.stage('lock', () => lockStage(settings, log, deps.signal)) : undefined
  const ctx = createEngineContext(settings, client, log, held?.lock, deps.signal)

  // Instead of validate and apply, which refuse the dirty or mis-stamped state a repair fixes.
  const repair = settings.repair
  if (repair) {
    await runner.stage('repair', () => repairStage(engine, ctx, chain, repair))
    return
  }

  const { state, pending } = await runner.stage('validate', () => validateStage(engine, ctx, chain))

  const target = settings.targetRevision
  if (target !== undefined) {
    // The down steps are planned and linted before the backup and before anything is reverted, as pending migrations are.
    const { downgrade, result: lint } = await runner.stage('lint', () => downgradeLintStage(engine, ctx, chain, state, target))
    const plan = downgrade!
    if (settings.backup !== 'never') {
      const serverVersionNum = runner.outcomes.wait?.wait.serverVersionNum ?? 0
      await runner.stage('backup', () => backupStage(settings, lint.maxRisk, plan.revisions.length, serverVersionNum, client, env, log))
    }
    await runner.stage('downgrade', () => downgradeStage(engine, ctx, chain, state, plan))
    return
  }

  const { plan, result: lint, server: vectorServer } = await runner.stage('lint', () => lintStage(engine, ctx, chain, state, pending))
  let drift: DriftStageOutcome | undefined
  if (settings.mode !== 'plan' && settings.drift !== 'off') {
    // A replay costs a scratch database per run: migrate pays it only when it is about to apply something.
    if (settings.mode === 'migrate' && pending.length === 0) runner.skip('drift', 'nothing to apply (mode: validate checks drift on every run)')
    else drift = await runner.stage('drift', () => driftStage(engine, ctx, chain, state, settings.mode === 'validate' && pending.length > 0))
  }
  const serverVersionNum = runner.outcomes.wait?.wait.serverVersionNum ?? 0
  if (settings.mode === 'validate' || settings.mode === 'plan') {
    if (settings.mode === 'plan') await runner.stage('plan', async () => ({ result: plan, summary: plural(plan.revisions.length, 'pending migration') }))
    await runner.stage('schema change', () => pendingSchemaChangeStage(engine, ctx, chain, state, pending, serverVersionNum, env, drift?.replay))
    if (settings.mode === 'validate') await runChecks()
    return
  }
  // The index build settings of the migration sessions, `maintenance-work-mem: auto` resolved from the lint's estimates.
  const build = resolveBuildSettings(settings, lint, vectorServer)
  if (build.note) {
    log.info(build.note)
    plan.notes.push(build.note)
  }
  const applyCtx = build.settings === settings ? ctx : createEngineContext(build.settings, client, log, held?.lock, deps.signal)
  if (settings.backup !== 'never') {
    await runner.stage('backup', () => backupStage(settings, lint.maxRisk, pending.length, serverVersionNum, client, env, log))
  }
  const verify = settings.verifyDowngrade === 'none' ? undefined : await runner.stage('snapshot', () => snapshotStage(settings, state, ctx, chain))
  const schemaBefore = pending.length > 0 ? await schemaBeforeApply(ctx, chain) : undefined
  const applied = await runner.stage('apply', () => applyStage(engine, applyCtx, chain, state, plan))
  const appliedIds = applied.runs.filter((r) => r.status === 'applied').map((r) => r.id)
  if (schemaBefore && appliedIds.length > 0) await runner.stage('schema change', () => appliedSchemaChangeStage(ctx, chain, schemaBefore, appliedIds))
  if (verify) {
    const byId = new Map(chain.revisions.map((r) => [r.id, r]))
    const revisions = appliedIds.map((id) => byId.get(id)!)
    await runner.stage('verify downgrade', () => verifyDowngradeStage(engine, applyCtx, chain, verify, revisions))
  }
  await runChecks()
}
