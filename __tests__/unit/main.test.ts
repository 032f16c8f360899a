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
const { MAX_ANNOTATIONS } = await import('../../src/runner/annotations.js')

function report(overrides: Partial<RunReport> = {}): RunReport {
  return { status: 'success', startedAt: new Date(0), durationMs: 42, stages: [], problems: [], warnings: [], ...overrides }
}

const outputs = (): Record<string, string> => Object.fromEntries(core.setOutput.mock.calls.map(([name, value]) => [name, String(value)]))

let temp: string
const savedEnv = { ...process.env }

beforeEach(() => {
  jest.clearAllMocks()
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

  it('annotates at most MAX_ANNOTATIONS times, the failed migration first', async () => {
    const problems = Array.from({ length: 12 }, (_, i) => ({
      code: 'checksum-mismatch' as const,
      severity: i % 2 ? ('warning' as const) : ('error' as const),
      message: `problem ${i}`,
      hint: 'h',
      revisions: [],
      file: `m/${i}.sql`,
      line: 1
    }))
    runPipeline.mockResolvedValue({
      report: report({
        status: 'failure',
        problems,
        apply: { current: [], runs: [], failure: { revision: '9', file: 'm/9.sql', line: 2, message: 'bad', databaseState: 's', recovery: [] } }
      })
    })
    await run()
    expect(core.error.mock.calls.length + core.warning.mock.calls.length).toBe(MAX_ANNOTATIONS)
    expect(core.error.mock.calls[0][1]).toMatchObject({ title: 'Migration 9 failed', file: 'm/9.sql', startLine: 2 })
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
