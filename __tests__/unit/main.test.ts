import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as core from '../../__fixtures__/core.js'
import type { InputName, InputReader, Settings } from '../../src/inputs.js'
import type { PipelineOutcome } from '../../src/pipeline/index.js'
import type { RunReport } from '../../src/report/model.js'

/** run() with the runner's I/O and the pipeline mocked at the module boundary (the template's pattern). */
const runPipeline = jest.fn<(read: InputReader) => Promise<PipelineOutcome>>()
jest.unstable_mockModule('@actions/core', () => core)
jest.unstable_mockModule('../../src/pipeline/index.js', () => ({ runPipeline }))
const { run } = await import('../../src/main.js')
const { Outputs } = await import('../../src/runner/outputs.js')
const { ANNOTATIONS_PER_KIND, clearAnnotationsForTests } = await import('../../src/runner/annotations.js')

function report(overrides: Partial<RunReport> = {}): RunReport {
  return { status: 'success', startedAt: new Date(0), durationMs: 42, stages: [], problems: [], warnings: [], ...overrides }
}

const outputs = (): Record<string, string> => Object.fromEntries(core.setOutput.mock.calls.map(([name, value]) => [name, String(value)]))

let temp: string
const savedEnv = { ...process.env }

beforeEach(() => {
  jest.clearAllMocks()
  clearAnnotationsForTests()
  temp = mkdtempSync(join(tmpdir(), 'pgma-run-'))
  process.env.RUNNER_TEMP = temp
  process.env.GITHUB_STEP_SUMMARY = join(temp, 'summary.md')
  delete process.env.DATABASE_URL
})

afterEach(() => {
  process.env = { ...savedEnv }
  rmSync(temp, { recursive: true, force: true })
})

describe('run()', () => {
  it('reads inputs through getInput and masks the database password as it is read', async () => {
    core.getInput.mockImplementation((name) => (name === 'database-url' ? 'postgres://app:Hunter2-pw@db/x' : ''))
    runPipeline.mockImplementation(async (read) => {
      expect(read('database-url' as InputName)).toBe('postgres://app:Hunter2-pw@db/x')
      return { report: report() }
    })
    await run()
    expect(core.getInput).toHaveBeenCalledWith('database-url')
    expect(core.setSecret).toHaveBeenCalledWith('Hunter2-pw')
  })

  it('sets the outputs on failure too, with what was applied before the failure', async () => {
    runPipeline.mockResolvedValue({
      report: report({
        status: 'failure',
        serverVersion: '17.2',
        state: { current: [], applied: [], versionTableExists: false, problems: [] },
        apply: {
          current: ['0001'],
          runs: [
            { id: '0001', description: 'a', file: 'm/0001.sql', status: 'applied', attempts: 1, transactional: true, notes: [], durationMs: 5 },
            { id: '0002', description: 'b', file: 'm/0002.sql', status: 'failed', attempts: 1, transactional: true, notes: [] }
          ],
          failure: { revision: '0002', file: 'm/0002.sql', line: 3, message: 'boom', databaseState: 'rolled back', recovery: ['fix'] }
        },
        error: { stage: 'apply', code: 'migration-failed', message: 'Migration 0002 failed: boom', hint: 'fix', details: [], location: {}, bug: false }
      })
    })
    await run()
    const set = outputs()
    expect(set[Outputs.AppliedCount]).toBe('1')
    expect(set[Outputs.PendingCount]).toBe('1')
    expect(set[Outputs.CurrentVersion]).toBe('0001')
    expect(JSON.parse(set[Outputs.Applied])).toEqual([{ revision: '0001', description: 'a', durationMs: 5 }])
    expect(set[Outputs.ServerVersion]).toBe('17.2')
    expect(readFileSync(set[Outputs.ReportPath], 'utf8')).toContain('Migration `0002` failed: boom')
    expect(core.setFailed).toHaveBeenCalledWith('Migration 0002 failed: boom\nWhat to do: fix')
  })

  it('redacts the failure message', async () => {
    runPipeline.mockResolvedValue({
      report: report({
        status: 'failure',
        error: { stage: 'wait', code: 'connection-failed', message: 'cannot use postgres://u:Sup3r@h/db', details: [], location: {}, bug: false }
      })
    })
    await run()
    expect(core.setFailed).toHaveBeenCalledWith('cannot use postgres://u:***@h/db')
  })

  describe('annotations: GitHub shows at most 10 of each kind per step', () => {
    const problems = (count: number, severity: 'error' | 'warning'): RunReport['problems'] =>
      Array.from({ length: count }, (_, i) => ({
        code: 'checksum-mismatch' as const,
        severity,
        message: `${severity} ${i}`,
        hint: 'h',
        revisions: [],
        file: `m/${i}.sql`,
        line: 1
      }))
    /** `count` low-risk findings: notices. */
    const lint = (count: number): RunReport['lint'] =>
      ({
        result: {
          maxRisk: 'low',
          findings: Array.from({ length: count }, (_, i) => ({
            rule: 'new-table',
            risk: 'low',
            revision: `${i}`,
            file: `m/${i}.sql`,
            line: 1,
            message: `creates table t${i}`,
            saferWay: 'nothing'
          }))
        },
        gate: { failOnRisk: 'critical', blocked: [] }
      }) as unknown as RunReport['lint']
    const failure = { revision: '9', file: 'm/9.sql', line: 2, message: 'bad', databaseState: 's', recovery: [] }
    const summary = (): string => String(core.summary.addRaw.mock.calls[0][0])

    it('makes up to 10 of each kind, the failed migration first and one error left for setFailed, and the summary says how many were left out and where they are', async () => {
      runPipeline.mockResolvedValue({
        report: report({ status: 'failure', problems: [...problems(12, 'error'), ...problems(12, 'warning')], lint: lint(15), apply: { current: [], runs: [], failure } })
      })
      await run()
      expect([core.error.mock.calls.length, core.warning.mock.calls.length, core.notice.mock.calls.length]).toEqual([ANNOTATIONS_PER_KIND - 1, 10, 10])
      expect(core.setFailed).toHaveBeenCalledTimes(1)
      expect(core.error.mock.calls[0][1]).toMatchObject({ title: 'Migration 9 failed', file: 'm/9.sql', startLine: 2 })
      expect(summary()).toContain(
        '**Annotations:** GitHub shows at most 10 annotations of each kind per step, so 11 of 40 (4 errors, 2 warnings, 5 notices) were left out: ' +
          '5 lint findings and 6 chain problems. Each one is listed in this summary (Risk lint, Chain problems), and the `findings` output holds every lint finding as JSON.'
      )
      expect(core.info).toHaveBeenCalledWith('11 of 40 annotations were left out: GitHub shows 10 of each kind per step. The job summary lists every one.')
    })

    it('a migration whose lock waits outlasted lock-timeout is one warning at its file, before the chain problems, and counted when left out', async () => {
      const lockWaits = (waitedMs: number[]): NonNullable<RunReport['apply']>['runs'][number]['lockWaits'] => ({
        blocked: waitedMs.map((ms, i) => ({ pid: 4711 + i, applicationName: 'api-server', mode: 'AccessShareLock', lockType: 'relation', relation: 'chunks', waitedMs: ms })),
        waited: [],
        lockTimeout: { text: '10s', ms: 10_000 }
      })
      const runs = [
        { id: '0001', description: 'a', file: 'm/0001.sql', status: 'applied' as const, attempts: 1, transactional: true, notes: [], lockWaits: lockWaits([12_345, 11_000, 2000]) },
        { id: '0002', description: 'b', file: 'm/0002.sql', status: 'applied' as const, attempts: 1, transactional: true, notes: [], lockWaits: lockWaits([9000]) }
      ]
      runPipeline.mockResolvedValue({ report: report({ problems: problems(10, 'warning'), apply: { current: ['0002'], runs } }) })
      await run()
      expect(core.warning).toHaveBeenCalledTimes(10)
      expect(core.warning.mock.calls[0]).toEqual([
        'While migration 0001 ran, api-server (pid 4711) waited 12.3 s for AccessShareLock on chunks, longer than lock-timeout (10s): ' +
          "its queries stalled behind the migration's lock. 1 more wait outlasted lock-timeout; the job summary lists them.",
        { title: 'Lock wait longer than lock-timeout in 0001', file: 'm/0001.sql' }
      ])
      expect(summary()).toContain('so 1 of 11 (1 warning) were left out: 1 chain problem. Each one is listed in this summary (Chain problems).')

      jest.clearAllMocks()
      clearAnnotationsForTests()
      const { runnerLogger } = await import('../../src/logger.js')
      runPipeline.mockImplementation(async () => {
        for (let i = 0; i < 10; i++) runnerLogger.warning(`warning ${i}`)
        return { report: report({ apply: { current: ['0002'], runs } }) }
      })
      await run()
      expect(summary()).toContain('so 1 of 1 (1 warning) were left out: 1 lock wait warning. Each one is listed in this summary (Migrations).')
    })

    it('a migration that itself waited longer than lock-timeout names the lock and who held it; with lock-timeout 0 no wait is annotated', async () => {
      const ownWait = {
        pid: 9,
        applicationName: 'pg-migrate-action migration',
        mode: 'AccessExclusiveLock',
        lockType: 'relation',
        relation: 'busy',
        waitedMs: 15_000,
        heldBy: [
          { pid: 77, applicationName: 'nightly-report' },
          { pid: 78, applicationName: '' }
        ]
      }
      const waits = (lockTimeout: { text: string; ms: number }): NonNullable<NonNullable<RunReport['apply']>['runs'][number]['lockWaits']> => ({
        blocked: [{ pid: 4711, applicationName: 'api-server', mode: 'AccessShareLock', lockType: 'relation', relation: 'busy', waitedMs: 400 }],
        waited: [ownWait],
        lockTimeout,
        scope: "the run's one transaction"
      })
      const runs = (lockTimeout: { text: string; ms: number }): NonNullable<RunReport['apply']>['runs'] => [
        { id: '0001', description: 'a', file: 'm/0001.sql', status: 'applied', attempts: 1, transactional: true, notes: [], lockWaits: waits(lockTimeout) },
        { id: '0002', description: 'b', file: 'm/0002.sql', status: 'applied', attempts: 1, transactional: true, notes: [] }
      ]
      runPipeline.mockResolvedValue({ report: report({ apply: { current: ['0002'], runs: runs({ text: '10s', ms: 10_000 }) } }) })
      await run()
      expect(core.warning.mock.calls).toEqual([
        [
          "Migration 0001 (the run's one transaction) waited 15.0 s for AccessExclusiveLock on busy, held by nightly-report (pid 77), pid 78, longer than lock-timeout (10s).",
          { title: 'Lock wait longer than lock-timeout in 0001', file: 'm/0001.sql' }
        ]
      ])

      jest.clearAllMocks()
      clearAnnotationsForTests()
      runPipeline.mockResolvedValue({ report: report({ apply: { current: ['0002'], runs: runs({ text: '0', ms: 0 }) } }) })
      await run()
      expect(core.warning).not.toHaveBeenCalled()
      expect(summary()).toContain("🔒 the run's one transaction waited 15.0 s for AccessExclusiveLock on busy, held by nightly-report, pid 78")
    })

    it('counts the warnings the run already logged, and says nothing when everything fits', async () => {
      runPipeline.mockResolvedValue({ report: report({ problems: problems(10, 'warning') }) })
      await run()
      expect(core.warning).toHaveBeenCalledTimes(10)
      expect(summary()).not.toContain('**Annotations:**')

      jest.clearAllMocks()
      clearAnnotationsForTests()
      const { runnerLogger } = await import('../../src/logger.js')
      runPipeline.mockImplementation(async () => {
        runnerLogger.warning('restoring the venv failed')
        runnerLogger.warning('engine release failed')
        return { report: report({ problems: problems(10, 'warning') }) }
      })
      await run()
      expect(core.warning).toHaveBeenCalledTimes(10)
      expect(summary()).toContain('so 2 of 10 (2 warnings) were left out: 2 chain problems. Each one is listed in this summary (Chain problems).')
    })
  })

  it('writes the job summary unless the summary input turned it off', async () => {
    runPipeline.mockResolvedValue({ report: report(), settings: { summary: true } as Settings })
    await run()
    expect(core.summary.addRaw).toHaveBeenCalledTimes(1)
    expect(core.summary.addRaw.mock.calls[0][0]).toContain('pg-migrate-action')
    expect(core.summary.write).toHaveBeenCalledTimes(1)

    jest.clearAllMocks()
    runPipeline.mockResolvedValue({ report: report(), settings: { summary: false } as Settings })
    await run()
    expect(core.summary.write).not.toHaveBeenCalled()
  })

  it('still writes the summary when the inputs were invalid (no settings)', async () => {
    runPipeline.mockResolvedValue({ report: report({ status: 'failure' }) })
    await run()
    expect(core.summary.write).toHaveBeenCalledTimes(1)
    expect(core.setFailed).toHaveBeenCalledWith('pg-migrate-action failed')
  })
})
