import { afterAll, beforeAll, expect, it } from '@jest/globals'
import type { ApplyResult, DatabaseState, Engine, LoadedChain, Plan, Revision, StepOutcome } from '../../src/engines/engine.js'
import type { InputName } from '../../src/inputs.js'
import { LOCK_KEY } from '../../src/lock.js'
import { silentLogger } from '../../src/logger.js'
import { runPipeline } from '../../src/pipeline/index.js'
import { createTestDatabase, describeWithAnyDatabase, dropTestDatabases, itNeedingServer, onPglite, PGLITE_LACKS, withClient } from '../support/database.js'

/**
 * The real orchestrator, in-process, against a real server, with a fake engine: what each mode
 * runs, what the stages record, and what the report keeps when something goes wrong.
 */

const revision = (id: string, parents: string[]): Revision => ({ id, parents, dependsOn: [], branchLabels: [], description: `step ${id}`, file: `m/${id}.sql` })
const CHAIN = [revision('1', []), revision('2', ['1']), revision('3', ['2'])]

/** An engine whose database is a set of applied ids; it records which of its methods ran. */
class FakeEngine implements Engine<undefined, string[]> {
  readonly name = 'sql' as const
  readonly calls: string[] = []
  readonly applied = new Set<string>()
  revisions = CHAIN
  planNotes: string[] = []
  releaseError: Error | undefined
  /** What apply does: apply the ids it is given, then optionally fail or throw. */
  applyBehaviour: 'ok' | 'fail-second' | 'throw-after-first' = 'ok'
  /** Run inside apply, e.g. to look at the lock. */
  duringApply?: () => Promise<void>
  checkChainThrows = false

  async loadChain(): Promise<LoadedChain<undefined>> {
    this.calls.push('loadChain')
    return { engine: 'sql', directory: 'm', revisions: this.revisions, notes: ['fake chain'], data: undefined }
  }
  checkChain(): [] {
    this.calls.push('checkChain')
    if (this.checkChainThrows) throw new Error('engine check crashed')
    return []
  }
  async readState(): Promise<DatabaseState> {
    this.calls.push('readState')
    const applied = CHAIN.filter((r) => this.applied.has(r.id))
    return { current: applied.slice(-1).map((r) => r.id), applied: applied.map((r) => ({ id: r.id })), versionTableExists: true, problems: [] }
  }
  pending(_chain: LoadedChain<undefined>, state: DatabaseState): Revision[] {
    const done = new Set(state.applied.map((a) => a.id))
    return this.revisions.filter((r) => !done.has(r.id))
  }
  async plan(_ctx: unknown, _chain: unknown, _state: unknown, pending: Revision[]): Promise<Plan<string[]>> {
    this.calls.push('plan')
    return {
      revisions: pending.map((r) => ({ revision: r, sql: `-- ${r.id}`, transactional: true, notes: [] })),
      notes: this.planNotes,
      data: pending.map((r) => r.id),
      ...(this.releaseError ? { release: async () => Promise.reject(this.releaseError) } : {})
    }
  }
  async apply(_ctx: unknown, _chain: unknown, state: DatabaseState, plan: Plan<string[]>): Promise<ApplyResult> {
    this.calls.push(`apply(${plan.data.join(',')})`)
    await this.duringApply?.()
    const runs: ApplyResult['runs'] = []
    for (const [i, id] of plan.data.entries()) {
      const base = { id, description: `step ${id}`, file: `m/${id}.sql`, attempts: 1, transactional: true, notes: [] }
      if (this.applyBehaviour === 'throw-after-first' && i === 1) throw new Error('history bookkeeping exploded')
      if (this.applyBehaviour === 'fail-second' && i === 1) {
        runs.push({ ...base, status: 'failed' })
        const failure = { revision: id, file: base.file, line: 1, message: 'syntax error', databaseState: 'rolled back', recovery: ['fix it'] }
        return { runs, failure, current: [...this.applied].slice(-1), notes: this.planNotes }
      }
      this.applied.add(id)
      runs.push({ ...base, status: 'applied', durationMs: 1 })
    }
    return { runs, current: [...this.applied].slice(-1).length ? [...this.applied].slice(-1) : state.current, notes: this.planNotes }
  }
  /** The safety nets are not what these tests are about; their own suites drive the real engines. */
  async repair(): Promise<never> {
    throw new Error('FakeEngine has no repair')
  }
  async downgradeOne(): Promise<never> {
    throw new Error('FakeEngine has no downgrade')
  }
  async planDowngrade(): Promise<never> {
    throw new Error('FakeEngine has no mode: downgrade')
  }
  async downgrade(): Promise<never> {
    throw new Error('FakeEngine has no mode: downgrade')
  }
  async upgradeOne(): Promise<never> {
    throw new Error('FakeEngine has no single-step upgrade')
  }
  /** The schema change runs the pending migrations on a scratch database: the fake's change nothing there. */
  async upgradeTo(_ctx: unknown, _chain: unknown, revisions: Revision[]): Promise<StepOutcome> {
    this.calls.push(`upgradeTo(${revisions.map((r) => r.id).join(',')})`)
    return { status: 'ok' }
  }
}

let url: string

beforeAll(async () => {
  url = (await createTestDatabase('pgma_pipeline')).url
})

afterAll(async () => {
  await dropTestDatabases()
})

async function runWith(engine: FakeEngine, inputs: Partial<Record<InputName, string>>) {
  // The fake engine has no scratch database to replay on: drift has suites of its own.
  const given: Partial<Record<InputName, string>> = { 'database-url': url, extensions: '', 'migrations-path': '.', drift: 'off', ...inputs }
  return runPipeline((name) => given[name], { log: silentLogger(), env: {}, selectEngine: () => engine })
}

const stagesOf = (report: { stages: { name: string; status: string }[] }): string[] => report.stages.map((s) => `${s.name}: ${s.status}`)
/** PGlite answers every connection with its one database, so no scratch database is used there: the schema change is skipped. */
const scratchStatus = (): string => (onPglite() ? 'skipped' : 'ok')
const scratchCalls = (): string[] => (onPglite() ? [] : ['upgradeTo(1,2,3)'])

async function lockIsFree(): Promise<boolean> {
  return withClient(url, async (c) => {
    const got = (await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [...LOCK_KEY])).rows[0].ok
    if (got) await c.query('SELECT pg_advisory_unlock($1, $2)', [...LOCK_KEY])
    return got
  })
}

describeWithAnyDatabase('runPipeline', () => {
  it('check mode stops after the extensions, without touching the engine', async () => {
    const engine = new FakeEngine()
    const { report, settings } = await runWith(engine, { mode: 'check' })
    expect(report.status).toBe('success')
    expect(stagesOf(report)).toEqual(['inputs: ok', 'wait: ok', 'extensions: skipped'])
    expect(engine.calls).toEqual([])
    expect(settings?.mode).toBe('check')
    expect(report.serverVersion).toMatch(/^\d+/)
  })

  it('validate mode lints the pending SQL but reports the revisions as pending, not planned', async () => {
    const engine = new FakeEngine()
    const { report } = await runWith(engine, { mode: 'validate' })
    expect(stagesOf(report)).toEqual(['inputs: ok', 'wait: ok', 'extensions: skipped', 'load chain: ok', 'validate: ok', 'lint: ok', `schema change: ${scratchStatus()}`])
    expect(engine.calls).toEqual(['loadChain', 'checkChain', 'readState', 'plan', ...scratchCalls()]) // on a scratch database: the schema change
    expect(report.lint?.result.findings).toEqual([])
    expect(report.pending?.map((r) => r.id)).toEqual(['1', '2', '3'])
    expect(report.plan).toBeUndefined()
    expect(report.graph).toMatchObject({ roots: ['1'], heads: ['3'] })
  })

  it('plan mode plans with SQL and applies nothing', async () => {
    const engine = new FakeEngine()
    const { report } = await runWith(engine, { mode: 'plan' })
    expect(stagesOf(report)).toEqual([
      'inputs: ok',
      'wait: ok',
      'extensions: skipped',
      'load chain: ok',
      'validate: ok',
      'lint: ok',
      'plan: ok',
      `schema change: ${scratchStatus()}`
    ])
    expect(engine.calls).toEqual(['loadChain', 'checkChain', 'readState', 'plan', ...scratchCalls()]) // on a scratch database: the schema change
    expect(report.plan?.map((p) => p.sql)).toEqual(['-- 1', '-- 2', '-- 3'])
    expect(report.apply).toBeUndefined()
  })

  itNeedingServer(PGLITE_LACKS.sessions, 'migrate mode takes the lock, plans once for lint and apply, and releases the lock', async () => {
    const engine = new FakeEngine()
    let lockHeldDuringApply: boolean | undefined
    engine.duringApply = async () => void (lockHeldDuringApply = !(await lockIsFree()))
    engine.planNotes = ['Tool 1.0']
    const { report } = await runWith(engine, { mode: 'migrate' })
    expect(report.status).toBe('success')
    expect(stagesOf(report)).toEqual(['inputs: ok', 'wait: ok', 'extensions: skipped', 'load chain: ok', 'lock: ok', 'validate: ok', 'lint: ok', 'apply: ok', 'schema change: ok'])
    expect(engine.calls).toEqual(['loadChain', 'checkChain', 'readState', 'plan', 'apply(1,2,3)'])
    expect(lockHeldDuringApply).toBe(true)
    expect(await lockIsFree()).toBe(true)
    expect(report.apply?.runs.map((r) => r.status)).toEqual(['applied', 'applied', 'applied'])
    // Plan and apply both reported the same fact: the report's chain notes carry it once.
    expect(report.chain?.notes).toEqual(['fake chain', 'Tool 1.0'])
    expect(report.chain).not.toHaveProperty('data')
  })

  it('releases the lock and reports a warning when the engine cannot be stopped cleanly', async () => {
    const engine = new FakeEngine()
    engine.releaseError = new Error('interpreter did not exit')
    const { report } = await runWith(engine, { mode: 'migrate' })
    expect(report.status).toBe('success')
    expect(report.warnings).toContain('Could not stop the migration engine cleanly: interpreter did not exit')
    expect(await lockIsFree()).toBe(true)
  })

  it('records a returned migration failure on the apply stage, keeps the runs, and releases the lock', async () => {
    const engine = new FakeEngine()
    engine.applyBehaviour = 'fail-second'
    const { report } = await runWith(engine, { mode: 'migrate' })
    expect(report.status).toBe('failure')
    expect(stagesOf(report).slice(-1)).toEqual(['apply: failed'])
    expect(report.error).toMatchObject({ stage: 'apply', code: 'migration-failed', message: 'Migration 2 failed: syntax error', hint: 'fix it', bug: false })
    expect(report.apply?.runs.map((r) => r.status)).toEqual(['applied', 'failed'])
    expect(await lockIsFree()).toBe(true)
  })

  it('keeps which migrations were applied when an engine throws during apply', async () => {
    const engine = new FakeEngine()
    engine.applyBehaviour = 'throw-after-first'
    const { report } = await runWith(engine, { mode: 'migrate' })
    expect(report.error).toMatchObject({ stage: 'apply', code: 'internal-error', bug: true })
    expect(report.apply?.runs.map((r) => [r.id, r.status])).toEqual([
      ['1', 'applied'],
      ['2', 'not-run'],
      ['3', 'not-run']
    ])
    expect(report.apply?.current).toEqual(['1'])
    expect(await lockIsFree()).toBe(true)
  })

  it('blames a crash in the graph analysis on the validate stage', async () => {
    const engine = new FakeEngine()
    // A revision without a parents list makes the analysis itself throw.
    engine.revisions = [{ ...revision('1', []), parents: undefined as unknown as string[] }]
    const { report } = await runWith(engine, { mode: 'validate' })
    expect(report.error).toMatchObject({ stage: 'validate', code: 'internal-error', bug: true })
    expect(stagesOf(report).slice(-1)).toEqual(['validate: failed'])
  })

  it('stops on an invalid chain with its problems and the database state in the report', async () => {
    const engine = new FakeEngine()
    engine.revisions = [revision('1', []), revision('2', ['1']), revision('2b', ['1'])]
    const { report } = await runWith(engine, { mode: 'migrate' })
    expect(report.error).toMatchObject({ stage: 'validate', code: 'chain-invalid' })
    expect(report.problems.map((p) => p.code)).toEqual(['multiple-heads'])
    expect(report.state?.current).toEqual([])
    expect(report.pending).toBeUndefined()
    expect(engine.calls).not.toContain('plan')
    expect(await lockIsFree()).toBe(true)
  })

  it("lists the inputs' warnings in the report", async () => {
    const { report } = await runWith(new FakeEngine(), { mode: 'check', 'history-table': 'public.MyHistory' })
    expect(report.warnings).toEqual([expect.stringContaining(`Input 'history-table' 'public.MyHistory' has upper-case letters`)])
  })

  it('reports invalid inputs on the inputs stage, without settings', async () => {
    const { report, settings } = await runWith(new FakeEngine(), { mode: 'apply' })
    expect(settings).toBeUndefined()
    expect(stagesOf(report)).toEqual(['inputs: failed'])
    expect(report.error).toMatchObject({ stage: 'inputs', code: 'invalid-input', location: { input: 'mode' } })
  })
})
