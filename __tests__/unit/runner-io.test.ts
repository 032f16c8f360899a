import { afterAll, afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error -- plain ESM script without type declarations
import { parseOutputs } from '../../scripts/run-action.mjs'
import type { InputReader } from '../../src/inputs.js'
import type { PipelineDependencies, PipelineOutcome } from '../../src/pipeline/index.js'
import { clearSecretsForTests } from '../../src/redact.js'
import { clearAnnotationsForTests } from '../../src/runner/annotations.js'
import type { RunReport } from '../../src/report/model.js'

/**
 * run() with the real `@actions/core` and only the pipeline mocked: what reaches the runner — the
 * GITHUB_OUTPUT file, the job summary file, the exit code, stdout's workflow commands and masking.
 * (The bundle is run the same way against a real server in __tests__/integration/dist.test.ts.)
 */
const runPipeline = jest.fn<(read: InputReader, deps: PipelineDependencies) => Promise<PipelineOutcome>>()
jest.unstable_mockModule('../../src/pipeline/index.js', () => ({ runPipeline }))
const { run } = await import('../../src/main.js')

const PASSWORD = 'Hunter2-runner-io'
const URL = `postgres://app:${PASSWORD}@db.internal:5432/app`

interface RunnerView {
  stdout: string
  outputs: Record<string, string>
  summary: string
  exitCode: typeof process.exitCode
}

// One directory for the file: `core.summary` keeps the summary path it first read for the whole process, as in a real run.
const temp = mkdtempSync(join(tmpdir(), 'pgma-runner-io-'))
const savedEnv = { ...process.env }
const savedExitCode = process.exitCode

beforeEach(() => {
  clearSecretsForTests()
  clearAnnotationsForTests()
})

afterEach(() => {
  process.env = { ...savedEnv }
  process.exitCode = savedExitCode
})

afterAll(() => rmSync(temp, { recursive: true, force: true }))

function report(overrides: Partial<RunReport> = {}): RunReport {
  return { status: 'success', startedAt: new Date(0), durationMs: 42, stages: [], problems: [], warnings: [], ...overrides }
}

/** Runs run() as the runner would, with fresh output and summary files and stdout captured. */
async function runAsRunner(outcome: (read: InputReader, deps: PipelineDependencies) => Promise<PipelineOutcome>): Promise<RunnerView> {
  const outputFile = join(temp, 'output.txt')
  const summaryFile = join(temp, 'summary.md')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, 'an earlier step\n')
  process.env = { ...savedEnv, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, RUNNER_TEMP: temp, 'INPUT_DATABASE-URL': ` ${URL} ` }
  delete process.env.DATABASE_URL
  process.exitCode = undefined
  runPipeline.mockImplementation(outcome)
  let stdout = ''
  const write = process.stdout.write
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk)
    return true
  }) as typeof process.stdout.write
  try {
    await run()
  } finally {
    process.stdout.write = write
  }
  return { stdout, outputs: parseOutputs(readFileSync(outputFile, 'utf8')), summary: readFileSync(summaryFile, 'utf8'), exitCode: process.exitCode }
}

describe('run() through @actions/core', () => {
  it('masks the password before anything prints it, reads the input trimmed, and writes outputs and the summary to their files', async () => {
    const view = await runAsRunner(async (read, { log }) => {
      expect(read('database-url')).toBe(URL)
      await log.group(`Connecting to ${URL}`, async () => log.info(`as ${PASSWORD}`))
      return { report: report({ serverVersion: '15.18', database: 'app@db.internal:5432/app' }) }
    })
    expect(view.exitCode).toBeUndefined()
    const lines = view.stdout.split('\n')
    expect(lines[0]).toBe(`::add-mask::${PASSWORD}`)
    expect(view.stdout).toContain('::group::Connecting to postgres://app:***@db.internal:5432/app\nas ***\n::endgroup::\n')
    expect(view.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain(PASSWORD)
    expect(view.outputs).toMatchObject({ 'server-version': '15.18', 'duration-ms': '42' })
    expect(readFileSync(view.outputs['report-path'], 'utf8')).toContain('pg-migrate-action')
    // Appended after what earlier steps wrote, as the runner expects.
    expect(view.summary.startsWith('an earlier step\n## ✅ pg-migrate-action')).toBe(true)
    expect(view.summary).toContain('`app@db.internal:5432/app`')
  })

  it('a failed run exits with 1 and an error annotation, and still sets its outputs and summary', async () => {
    const view = await runAsRunner(async () => ({
      report: report({
        status: 'failure',
        state: { current: [], applied: [], versionTableExists: false, problems: [] },
        problems: [{ code: 'checksum-mismatch', severity: 'warning', message: `edited, see ${URL}`, hint: 'h', revisions: ['0001'], file: 'db/0001, a.sql', line: 3 }],
        error: { stage: 'validate', code: 'chain-invalid', message: `The chain is invalid: ${URL}`, hint: 'fix it', details: [], location: {}, bug: false }
      })
    }))
    expect(view.exitCode).toBe(1)
    expect(view.stdout).toContain('::error::The chain is invalid: postgres://app:***@db.internal:5432/app%0AWhat to do: fix it\n')
    expect(view.stdout).toContain('::warning title=Migration chain%3A checksum-mismatch,file=db/0001%2C a.sql,line=3::edited, see postgres://app:***@db.internal')
    expect(view.outputs).toMatchObject({ 'applied-count': '0', 'pending-count': '0' })
    expect(view.summary).toContain('failed at **validate**')
    expect(view.stdout.replace(/^::add-mask::.*$/gm, '') + JSON.stringify(view.outputs) + view.summary).not.toContain(PASSWORD)
  })

  it('an output value cannot end its own block and set another output', async () => {
    const view = await runAsRunner(async () => ({ report: report({ serverVersion: '15\nEOF\ninjected<<EOF\nvalue' }) }))
    expect(view.outputs['server-version']).toBe('15\nEOF\ninjected<<EOF\nvalue')
    expect(view.outputs).not.toHaveProperty('injected')
  })
})
