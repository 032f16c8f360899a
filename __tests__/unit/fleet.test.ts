import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseDatabaseUrl, urlWithDatabase } from '../../src/database-url.js'
import { ActionError } from '../../src/errors.js'
import type { FleetReport, TargetRow } from '../../src/fleet/model.js'
import { renderFleetReport } from '../../src/fleet/render.js'
import { runBounded, runFleet } from '../../src/fleet/run.js'
import { fleetReportJson } from '../../src/fleet/report-json.js'
import { summarizeReports } from '../../src/fleet/summarize.js'
import { listedTargets } from '../../src/fleet/targets.js'
import { isFleet, readFleetInputs, readSettings, type InputName } from '../../src/inputs.js'
import { silentLogger } from '../../src/logger.js'
import type { PipelineOutcome } from '../../src/pipeline/index.js'
import { clearSecretsForTests } from '../../src/redact.js'
import type { RunReport } from '../../src/report/model.js'

const reader =
  (inputs: Partial<Record<InputName, string>>) =>
  (name: InputName): string | undefined =>
    inputs[name]

function inputError(fn: () => unknown): ActionError {
  try {
    fn()
  } catch (error) {
    if (error instanceof ActionError) return error
    throw error
  }
  throw new Error('expected an invalid input')
}

afterEach(() => clearSecretsForTests())

describe('fleet inputs', () => {
  it('a step is a fleet when databases or databases-query is given', () => {
    expect(isFleet(reader({}))).toBe(false)
    expect(isFleet(reader({ databases: ' \n ' }))).toBe(false)
    expect(isFleet(reader({ databases: 'postgres://a@h/x' }))).toBe(true)
    expect(isFleet(reader({ 'databases-query': 'SELECT 1' }))).toBe(true)
  })

  it('reads the defaults, the list without blank lines and comments', () => {
    expect(readFleetInputs(reader({ databases: 'postgres://a@h/x\r\n\n  # tenant b is gone\npostgres://a@h/y  \n' }))).toEqual({
      databases: ['postgres://a@h/x', 'postgres://a@h/y'],
      databasesQuery: undefined,
      maxParallel: 4,
      canary: 1,
      onError: 'stop'
    })
  })

  it.each([
    [{ 'max-parallel': '0' }, "Input 'max-parallel' must be from 1 to 64; got '0'.", 'a whole number from 1 to 64 (targets migrated at the same time)'],
    [{ 'max-parallel': 'four' }, "Input 'max-parallel' must be a whole number from 1 to 64; got 'four'.", 'a whole number from 1 to 64'],
    [{ canary: '101' }, "Input 'canary' must be from 0 to 100; got '101'.", 'a whole number from 0 to 100'],
    [{ 'on-error': 'ignore' }, "Input 'on-error' must be one of stop, continue; got 'ignore'.", 'stop (no new target starts after a failure) or continue'],
    [
      { databases: 'postgres://a@h/x', 'databases-query': 'SELECT datname FROM pg_database' },
      "Input 'databases-query' cannot be combined with input 'databases': give the targets as a list or as a query, not both; got 'SELECT datname FROM pg_database'.",
      'a SELECT run on database-url'
    ]
  ])('refuses %j naming the input and what it accepts', (inputs, message, accepts) => {
    const error = inputError(() => readFleetInputs(reader(inputs)))
    expect(error.code).toBe('invalid-input')
    expect(error.message).toBe(message)
    expect(error.hint).toContain(accepts)
  })

  it('a run on one database checks the fleet inputs too, though it does not use them', () => {
    const error = inputError(() => readSettings(reader({ 'database-url': 'postgres://a@h/x', 'on-error': 'later' }), {}))
    expect(error.location.input).toBe('on-error')
  })

  it('refuses more databases than one step takes, without echoing the list', () => {
    const error = inputError(() => readFleetInputs(reader({ databases: Array.from({ length: 10_001 }, (_, i) => `postgres://a:pw${i}@h/t${i}`).join('\n') })))
    expect(error.message).toBe("Input 'databases' lists 10,001 databases; one step takes at most 10,000.")
  })

  it('a bad URL in the list is named by its line, its password neither echoed nor left unmasked', () => {
    const error = inputError(() => listedTargets(['postgres://a:Sekr3t-pw@h/x', 'mysql://a:Sekr3t-pw2@h/y']))
    expect(error.message).toMatch(/^Input 'databases', line 2, /)
    expect(error.message).not.toContain('Sekr3t')
    expect(error.location.input).toBe('databases')
  })

  it('labels targets user@host:port/database', () => {
    expect(listedTargets(['postgres://app:pw@db.internal/tenant_1', 'postgresql://app@db.internal:6432/tenant_2?sslmode=require']).map((t) => t.label)).toEqual([
      'app@db.internal:5432/tenant_1',
      'app@db.internal:6432/tenant_2'
    ])
  })
})

describe('urlWithDatabase', () => {
  it.each([
    ['postgres://app:p%40ss@db:5433/main?sslmode=require', 'tenant_1', 'postgres://app:p%40ss@db:5433/tenant_1?sslmode=require'],
    ['postgresql+psycopg2://app:pw@db/main', 'tenant 2', 'postgresql+psycopg2://app:pw@db/tenant%202'],
    ['postgres://app:pw@db', 'a/b?c', 'postgres://app:pw@db/a%2Fb%3Fc'],
    ['postgres://app:pw@db/?dbname=main&application_name=x', 'tenant_3', 'postgres://app:pw@db/tenant_3?application_name=x']
  ])('%s with %s', (raw, database, expected) => {
    expect(urlWithDatabase(raw, database)).toBe(expected)
    expect(parseDatabaseUrl(expected).database).toBe(database)
  })
})

describe('runBounded', () => {
  it('runs at most limit at once, in order, and starts none once told to stop', async () => {
    let running = 0
    let most = 0
    const started: number[] = []
    await runBounded(
      [1, 2, 3, 4, 5, 6, 7],
      3,
      () => !started.includes(5),
      async (n) => {
        started.push(n)
        most = Math.max(most, ++running)
        await new Promise((resolve) => setTimeout(resolve, 5 + (n % 3) * 5))
        running--
      }
    )
    expect(most).toBe(3)
    expect(started).toEqual([1, 2, 3, 4, 5])
  })
})

function row(i: number, status: TargetRow['status'], callout?: string): TargetRow {
  return {
    target: `app@db.internal:5432/tenant_${String(i).padStart(4, '0')}`,
    status,
    canary: i === 0,
    from: status === 'not-run' ? null : ['0001'],
    to: status === 'not-run' ? null : ['0003'],
    applied: status === 'success' ? 2 : 0,
    pending: status === 'not-run' ? null : 0,
    durationMs: 1234,
    maxRisk: 'medium',
    lockWaitMs: null,
    pgvector: null,
    result: status === 'failure' ? 'failed at **apply** on migration `0002` (0 of 2 applied)' : status === 'success' ? 'applied 2 migrations' : 'not run: stopped',
    ...(callout ? { callout } : {})
  }
}

function fleetReport(targets: TargetRow[]): FleetReport {
  return { status: 'failure', mode: 'migrate', startedAt: new Date(0), durationMs: 65_000, maxParallel: 8, canary: 1, onError: 'continue', targets, warnings: [] }
}

describe('the fleet summary', () => {
  it('stays under the job summary limit with 1,000 targets, every failure in the table, the callouts as many as fit', () => {
    // A failed migration's callout can carry 20,000 characters of SQL.
    const big = '> [!CAUTION]\n> **Migration `0002` failed**\n>\n> ```sql\n' + '> SELECT 1;\n'.repeat(2_000) + '> ```\n'
    const targets = Array.from({ length: 1000 }, (_, i) => (i % 10 === 3 ? row(i, 'failure', big) : row(i, 'success')))
    const markdown = renderFleetReport(fleetReport(targets))
    expect(Buffer.byteLength(markdown)).toBeLessThan(1024 * 1024)
    expect(markdown).toContain('## ❌ pg-migrate-action · migrate 1000 databases: 100 failed, 900 migrated')
    expect(markdown).toContain('All targets are on `app@db.internal:5432`.')
    expect(markdown.match(/^\| (✅|❌)/gm)).toHaveLength(1000)
    // Failed rows first.
    expect(markdown.match(/^\| (✅|❌)/gm)!.slice(0, 100)).toEqual(Array(100).fill('| ❌'))
    const shown = markdown.match(/<details><summary>❌ /g)!.length
    expect(shown).toBeGreaterThan(10)
    expect(shown).toBeLessThan(100)
    expect(markdown).toContain(`… the details of ${100 - shown} more failed targets were cut to fit the job summary limit (1 MiB)`)
  })

  it('with more targets than the table can hold, keeps the failed rows and says how many were left out', () => {
    const targets = Array.from({ length: 10_000 }, (_, i) => row(i, i === 9_999 ? 'failure' : 'success', i === 9_999 ? '> [!CAUTION]\n> **boom**\n' : undefined))
    const markdown = renderFleetReport(fleetReport(targets))
    expect(Buffer.byteLength(markdown)).toBeLessThan(1024 * 1024)
    expect(markdown).toContain('| ❌ `tenant_9999` |')
    expect(markdown).toMatch(/… \d+ more targets \(none of them failed\) left out to fit the job summary limit/)
  })

  it('names each target in full when they are on different servers, and masks passwords the run registered', () => {
    const targets = [
      row(0, 'success'),
      { ...row(1, 'failure', '> [!CAUTION]\n> **password authentication failed for postgres://app:Hunter2-pw@db2/x**\n'), target: 'app@db2:5432/x' }
    ]
    const markdown = renderFleetReport(fleetReport(targets))
    expect(markdown).toContain('| ❌ `app@db2:5432/x` |')
    expect(markdown).toContain('| ✅ `app@db.internal:5432/tenant_0000` <sub>canary</sub> | `0001` → `0003` | 2 | 1.23 s | 🟠 medium | applied 2 migrations |')
    expect(markdown).not.toContain('Hunter2-pw')
  })

  it('shows the lock wait and the pgvector version when a row has them', () => {
    const markdown = renderFleetReport(fleetReport([{ ...row(0, 'success'), lockWaitMs: 2500, pgvector: '0.8.0' }, row(1, 'success')]))
    expect(markdown).toContain('| Target | From → To | Applied | Duration | Lock wait | Max risk | pgvector | Result |')
    expect(markdown).toContain('| ✅ `tenant_0000` <sub>canary</sub> | `0001` → `0003` | 2 | 1.23 s | 2.50 s | 🟠 medium | 0.8.0 | applied 2 migrations |')
    expect(markdown).toContain('| ✅ `tenant_0001` | `0001` → `0003` | 2 | 1.23 s |  | 🟠 medium |  | applied 2 migrations |')
  })
})

describe('runFleet without a database', () => {
  const report = (status: RunReport['status'], database: string): RunReport => ({
    status,
    mode: 'migrate',
    database,
    startedAt: new Date(0),
    durationMs: 5,
    stages: [],
    problems: [],
    warnings: [],
    ...(status === 'failure'
      ? { error: { stage: 'apply', code: 'migration-failed', message: 'Migration 0002 failed: boom', details: [], location: {}, bug: false } }
      : { state: { current: [], applied: [], versionTableExists: false, problems: [] } })
  })

  it('refuses mode: repair for a fleet before any target runs', async () => {
    const runTarget = async (): Promise<PipelineOutcome> => {
      throw new Error('no target may run')
    }
    const result = await runFleet(reader({ databases: 'postgres://a:pw@h/x', mode: 'repair' }), { log: silentLogger(), env: {}, runTarget })
    expect(result.error).toMatchObject({ code: 'invalid-input', input: 'mode' })
    expect(result.targets).toEqual([])
  })

  it('an invalid shared input is reported once, before any target runs', async () => {
    const ran: string[] = []
    const result = await runFleet(reader({ databases: 'postgres://a:pw@h/x\npostgres://a:pw@h/y', 'lock-timeout': 'soon' }), {
      log: silentLogger(),
      env: {},
      runTarget: async (read) => {
        ran.push(read('database-url')!)
        return { report: report('success', 'x') }
      }
    })
    expect(ran).toEqual([])
    expect(result.error).toMatchObject({ code: 'invalid-input', input: 'lock-timeout' })
  })

  it('gives each target its URL as database-url and none of the fleet inputs; a crash in one target is that target failed', async () => {
    const seen: [string | undefined, string | undefined][] = []
    const result = await runFleet(reader({ databases: 'postgres://a:pw@h/x\npostgres://a:pw@h/y\npostgres://a:pw@h/z', 'on-error': 'continue' }), {
      log: silentLogger(),
      env: {},
      runTarget: async (read) => {
        seen.push([read('database-url'), read('databases')])
        if (read('database-url')!.endsWith('/y')) throw new Error('kaboom')
        return { report: report('success', 'x') }
      }
    })
    expect(seen).toEqual([
      ['postgres://a:pw@h/x', ''],
      ['postgres://a:pw@h/y', ''],
      ['postgres://a:pw@h/z', '']
    ])
    expect(result.targets.map((t) => [t.status, t.error?.code])).toEqual([
      ['success', undefined],
      ['failure', 'internal-error'],
      ['success', undefined]
    ])
  })
})

describe('mode: summarize', () => {
  const dirs: string[] = []
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))
  function downloaded(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'pgma-reports-'))
    dirs.push(dir)
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true })
      writeFileSync(join(dir, name), text)
    }
    return dir
  }
  const slice = (rows: TargetRow[], durationMs: number): string => JSON.stringify(fleetReportJson({ ...fleetReport(rows), status: 'success', durationMs }))

  it('merges the slices in path order, the longest job as the wall time, and names the files it could not read', () => {
    const dir = downloaded({
      'pg-migrate-report-1/report.json': slice([row(2, 'success')], 9_000),
      'pg-migrate-report-0/report.json': slice([row(0, 'success'), row(1, 'success')], 4_000),
      'other/package.json': '{"name": "x"}',
      'pg-migrate-report-2/report.json': '{"format": "pg-migrate-action/report", "version": 2, "targets": []}'
    })
    const report = summarizeReports(dir)
    expect(report.status).toBe('success')
    expect(report.targets.map((t) => t.target.split('/').pop())).toEqual(['tenant_0000', 'tenant_0001', 'tenant_0002'])
    expect(report.durationMs).toBe(9_000)
    expect(report).toMatchObject({ mode: 'migrate', maxParallel: 8, canary: 1, onError: 'continue' })
    expect(report.warnings).toEqual([
      `Merged 2 reports from ${dir}.`,
      expect.stringMatching(/other\/package\.json is not a pg-migrate-action report/),
      expect.stringMatching(/pg-migrate-report-2\/report\.json is a report of format version 2; this action reads version 1/)
    ])
  })

  it('is red when a database of any slice failed', () => {
    const dir = downloaded({ 'a.json': slice([row(0, 'success')], 1), 'b.json': slice([row(1, 'failure', '> boom')], 1) })
    expect(summarizeReports(dir).status).toBe('failure')
  })

  it.each([
    ['', 'invalid-input', "Input 'reports-path' is required with mode: summarize"],
    ['/no/such/dir', 'reports-missing', "Input 'reports-path' (/no/such/dir) is not a directory."]
  ])('refuses reports-path %j', (path, code, message) => {
    const report = summarizeReports(path)
    expect(report.status).toBe('failure')
    expect(report.error).toMatchObject({ code, input: 'reports-path' })
    expect(report.error!.message).toContain(message)
  })

  it('a directory without a report is reports-missing', () => {
    expect(summarizeReports(downloaded({ 'x.txt': 'hello' })).error).toMatchObject({ code: 'reports-missing' })
  })

  it('reports-path outside mode: summarize is refused rather than ignored', () => {
    const error = inputError(() => readSettings(reader({ 'database-url': 'postgres://a@h/x', 'reports-path': 'reports' }), {}))
    expect(error.message).toBe("Input 'reports-path' is only used with mode: summarize, but mode is migrate; got 'reports'.")
  })
})
