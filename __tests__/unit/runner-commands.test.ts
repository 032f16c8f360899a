import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import * as actionsCore from '@actions/core'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ours from '../../src/runner/commands.js'

/**
 * src/runner/commands.ts writes the runner's protocol itself (to keep @actions/core's undici out of
 * the bundle): every call must give the same stdout, output file, summary file and exit code as the
 * real @actions/core, byte for byte — the random output delimiter aside.
 */

type Core = Pick<typeof ours, 'setSecret' | 'info' | 'debug' | 'notice' | 'warning' | 'error' | 'setFailed' | 'group' | 'setOutput' | 'getInput'>

interface Observed {
  stdout: string
  outputFile: string
  exitCode: typeof process.exitCode
  result?: unknown
  thrown?: string
}

let temp: string
const savedEnv = { ...process.env }
const savedExitCode = process.exitCode

beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), 'pgma-commands-'))
})

afterEach(() => {
  process.env = { ...savedEnv }
  process.exitCode = savedExitCode
  rmSync(temp, { recursive: true, force: true })
})

/** Runs `call` against one implementation with fresh files and stdout captured. */
async function observe(name: string, call: () => unknown, env: Record<string, string | undefined> = {}): Promise<Observed> {
  const outputFile = join(temp, `${name}-output`)
  writeFileSync(outputFile, '')
  process.env = { ...savedEnv, GITHUB_OUTPUT: outputFile, ...env }
  process.exitCode = undefined
  let stdout = ''
  const write = process.stdout.write
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk)
    return true
  }) as typeof process.stdout.write
  const observed: Observed = { stdout: '', outputFile: '', exitCode: undefined }
  try {
    observed.result = await call()
  } catch (error) {
    observed.thrown = error instanceof Error ? error.message : String(error)
  } finally {
    process.stdout.write = write
  }
  const delimiters = (s: string): string => s.replace(/ghadelimiter_[0-9a-f-]{36}/g, 'ghadelimiter_UUID')
  return { ...observed, stdout: delimiters(stdout), outputFile: delimiters(readFileSync(outputFile, 'utf8')), exitCode: process.exitCode }
}

async function expectSameAsActionsCore(call: (core: Core) => unknown, env: Record<string, string | undefined> = {}): Promise<Observed> {
  const expected = await observe('core', () => call(actionsCore), env)
  const actual = await observe('ours', () => call(ours), env)
  expect(actual).toEqual(expected)
  return actual
}

const awkward = 'a%25b%\r\nc: d, e::f'

describe('the runner protocol, against @actions/core', () => {
  it.each([
    ['setSecret', (core: Core) => core.setSecret(awkward)],
    ['info', (core: Core) => core.info(awkward)],
    ['debug', (core: Core) => core.debug(awkward)],
    ['notice with a file', (core: Core) => core.notice(awkward, { file: 'db/0001_a.sql' })],
    ['warning without properties', (core: Core) => core.warning(awkward)],
    ['warning with every property escaped', (core: Core) => core.warning(awkward, { title: awkward, file: 'dir,x/f:1.sql', startLine: 12, startColumn: 3 })],
    ['error with only undefined properties', (core: Core) => core.error('e', { title: undefined, file: undefined, startLine: undefined, startColumn: undefined })],
    ['error at line 0 (left out)', (core: Core) => core.error('e', { title: 't', startLine: 0 })],
    ['setFailed', (core: Core) => core.setFailed(`failed:\n${awkward}`)],
    ['setOutput to GITHUB_OUTPUT', (core: Core) => (core.setOutput('applied', `[{"revision":"0001"}]\n${awkward}`), core.setOutput('duration-ms', '42'))]
  ])('%s', async (_name, call) => {
    expect((await expectSameAsActionsCore(call)).thrown).toBeUndefined()
  })

  it('setOutput without GITHUB_OUTPUT falls back to the set-output command', async () => {
    const observed = await expectSameAsActionsCore((core) => core.setOutput('current-version', awkward), { GITHUB_OUTPUT: undefined })
    expect(observed.stdout).toContain('::set-output name=current-version::')
  })

  it('setOutput to a GITHUB_OUTPUT file that does not exist throws', async () => {
    const observed = await expectSameAsActionsCore((core) => core.setOutput('x', 'y'), { GITHUB_OUTPUT: join(temp, 'missing') })
    expect(observed.thrown).toContain('Missing file at path')
  })

  it('group folds the output and returns what the function returns, also closing the group when it throws', async () => {
    const ok = await expectSameAsActionsCore((core) => core.group(awkward, async () => (core.info('inside'), 42)))
    expect(ok.result).toBe(42)
    const failed = await expectSameAsActionsCore((core) =>
      core.group('g', async () => {
        throw new Error('boom')
      })
    )
    expect(failed.thrown).toBe('boom')
    expect(failed.stdout).toBe('::group::g\n::endgroup::\n')
  })

  it('getInput reads INPUT_<NAME> (spaces as underscores, upper case), trimmed, and gives "" when unset', async () => {
    const env = { 'INPUT_DATABASE-URL': '  postgres://h/db \n', INPUT_MIGRATIONS_PATH: 'db', 'INPUT_MIGRATIONS PATH': 'wrong' }
    const observed = await expectSameAsActionsCore((core) => [core.getInput('database-url'), core.getInput('migrations path'), core.getInput('extensions')], env)
    expect(observed.result).toEqual(['postgres://h/db', 'db', ''])
  })

  it('appendSummary appends what summary.addRaw(text, true).write() appends', async () => {
    const markdown = `## Report\n\n| a | b |\n${awkward}`
    const files = { core: join(temp, 'summary-core.md'), ours: join(temp, 'summary-ours.md') }
    for (const file of Object.values(files)) writeFileSync(file, 'before\n')
    process.env.GITHUB_STEP_SUMMARY = files.core
    await actionsCore.summary.addRaw(markdown, true).write()
    process.env.GITHUB_STEP_SUMMARY = files.ours
    await ours.appendSummary(markdown)
    expect(readFileSync(files.ours, 'utf8')).toBe(readFileSync(files.core, 'utf8'))
  })

  it('appendSummary refuses a missing GITHUB_STEP_SUMMARY or an unwritable file, like @actions/core', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    await expect(ours.appendSummary('x')).rejects.toThrow('Unable to find environment variable for $GITHUB_STEP_SUMMARY')
    process.env.GITHUB_STEP_SUMMARY = join(temp, 'no-such-dir', 'summary.md')
    await expect(ours.appendSummary('x')).rejects.toThrow(`Unable to access summary file: '${process.env.GITHUB_STEP_SUMMARY}'`)
  })
})
