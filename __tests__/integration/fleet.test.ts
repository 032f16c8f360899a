import { afterAll, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FleetReport, TargetRow } from '../../src/fleet/model.js'
import { renderFleetReport } from '../../src/fleet/render.js'
import { NOT_RUN, runFleet } from '../../src/fleet/run.js'
import type { InputName } from '../../src/inputs.js'
import { silentLogger } from '../../src/logger.js'
import { createTestDatabase, describeWithDatabase, dropTestDatabases, urlFor, withClient } from '../support/database.js'

/**
 * Many databases in one step (issue 22), in-process with the real pipeline and SQL engine on the real
 * server: each test makes its own fleet of databases, some already migrated, some broken, and checks
 * what every one of them holds afterwards against what the fleet report says.
 */

const dirs: string[] = []
afterAll(async () => {
  await dropTestDatabases()
  while (dirs.length > 0) rmSync(dirs.pop()!, { recursive: true, force: true })
})

/** 0001 creates documents, which a broken tenant already has by hand; 0003 records each time it runs, so a double apply would show. */
function migrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgma-fleet-'))
  dirs.push(dir)
  writeFileSync(join(dir, '0001_documents.sql'), 'CREATE TABLE documents (id bigint PRIMARY KEY, embedding vector(3));\n')
  writeFileSync(join(dir, '0002_runs.sql'), 'CREATE TABLE migration_runs (version text, at timestamptz DEFAULT clock_timestamp(), backend int DEFAULT pg_backend_pid());\n')
  writeFileSync(
    join(dir, '0003_slow.sql'),
    "INSERT INTO migration_runs (version) VALUES ('0003');\nSELECT pg_sleep(0.3);\nINSERT INTO migration_runs (version) VALUES ('0003 end');\n"
  )
  return dir
}

const CHAIN = ['0001', '0002', '0003']

function reader(inputs: Partial<Record<InputName, string>>): (name: InputName) => string | undefined {
  return (name) => inputs[name]
}

async function fleetOf(count: number, prefix: string): Promise<{ name: string; url: string }[]> {
  const made = []
  for (let i = 0; i < count; i++) made.push(await createTestDatabase(`${prefix}${String(i).padStart(2, '0')}`))
  return made
}

async function historyOf(url: string): Promise<string[]> {
  return withClient(url, async (c) => {
    const exists = (await c.query(`SELECT to_regclass('public.pg_migrate_history') AS t`)).rows[0].t
    if (!exists) return []
    return (await c.query(`SELECT version FROM public.pg_migrate_history ORDER BY version`)).rows.map((r) => r.version as string)
  })
}

async function breakDatabase(url: string): Promise<void> {
  // Made by hand before the migrations: 0001's CREATE TABLE fails on it.
  await withClient(url, (c) => c.query('CREATE TABLE documents (id int)'))
}

function run(inputs: Partial<Record<InputName, string>>): Promise<FleetReport> {
  return runFleet(reader({ 'fail-on-risk': 'none', ...inputs }), { log: silentLogger(), env: process.env })
}

const rowOf = (report: FleetReport, name: string): TargetRow => report.targets.find((t) => t.target.endsWith(`/${name}`))!

describeWithDatabase('many databases in one step', () => {
  it('migrates a fleet of 12 (some already migrated) with bounded parallelism, and the table says what each database holds', async () => {
    const dir = migrations()
    const fleet = await fleetOf(12, 'fl_a')
    // Four are already at head: migrated by a fleet of their own first.
    const first = await run({
      databases: fleet
        .slice(0, 4)
        .map((d) => d.url)
        .join('\n'),
      'migrations-path': dir
    })
    expect(first.status).toBe('success')
    expect(first.targets.map((t) => t.applied)).toEqual([3, 3, 3, 3])

    const report = await run({ databases: fleet.map((d) => d.url).join('\n') + '\n\n# a comment\n', 'migrations-path': dir, 'max-parallel': '3' })
    expect(report.status).toBe('success')
    expect(report.targets.map((t) => [t.target, t.status, t.applied, t.from, t.to])).toEqual(
      fleet.map((d, i) => [expect.stringMatching(new RegExp(`@127\\.0\\.0\\.1:\\d+/${d.name}$`)), 'success', i < 4 ? 0 : 3, i < 4 ? ['0003'] : [], ['0003']])
    )
    expect(report.targets[0].canary).toBe(true)
    expect(report.targets.filter((t) => t.canary)).toHaveLength(1)
    for (const d of fleet) expect(await historyOf(d.url)).toEqual(CHAIN)

    // Bounded: the slow migration's runs overlap, but never more than max-parallel at once.
    const intervals = await Promise.all(
      fleet.slice(4).map((d) =>
        withClient(d.url, async (c) => {
          const rows = (await c.query(`SELECT version, extract(epoch FROM at) * 1000 AS ms FROM migration_runs ORDER BY at`)).rows
          return [Number(rows[0].ms), Number(rows[1].ms)] as const
        })
      )
    )
    const overlapAt = (t: number): number => intervals.filter(([start, end]) => start <= t && t < end).length
    const most = Math.max(...intervals.map(([start]) => overlapAt(start)))
    expect(most).toBeGreaterThan(1)
    expect(most).toBeLessThanOrEqual(3)

    const markdown = renderFleetReport(report)
    expect(markdown).toContain('## ✅ pg-migrate-action · migrate 12 databases: 8 migrated, 4 already up to date')
    expect(markdown).toContain('| Target | From → To | Applied | Duration | Max risk | pgvector | Result |')
    expect(markdown).toMatch(new RegExp(`\\| ✅ \`${fleet[5].name}\` \\| base → \`0003\` \\| 3 \\| [\\d.]+ m?s \\| 🔵 low \\| 0\\.8\\.0 \\|`))
    expect(markdown).toMatch(new RegExp(`\\| ✅ \`${fleet[0].name}\` <sub>canary</sub> \\| \`0003\` → \`0003\` \\| 0 \\|`))
  }, 120_000)

  it('50 databases, 10 already migrated and one broken, on-error: continue with max-parallel 8: each holds what its row says', async () => {
    const dir = migrations()
    const fleet = await fleetOf(50, 'fl_z')
    await run({
      databases: fleet
        .slice(0, 10)
        .map((d) => d.url)
        .join('\n'),
      'migrations-path': dir,
      'max-parallel': '8'
    })
    await breakDatabase(fleet[37].url)
    const report = await run({ databases: fleet.map((d) => d.url).join('\n'), 'migrations-path': dir, 'max-parallel': '8', 'on-error': 'continue' })
    expect(report.targets.map((t) => t.status).filter((s) => s === 'success')).toHaveLength(49)
    expect(rowOf(report, fleet[37].name)).toMatchObject({ status: 'failure', error: { code: 'migration-failed' }, from: [], to: [], applied: 0 })
    for (const [i, d] of fleet.entries()) {
      const row = rowOf(report, d.name)
      const history = await historyOf(d.url)
      // The row's "to" is what the database records.
      expect([i, history]).toEqual([i, i === 37 ? [] : CHAIN])
      expect([i, row.to]).toEqual([i, history.slice(-1)])
      expect([i, row.applied]).toEqual([i, i < 10 || i === 37 ? 0 : 3])
    }
    const markdown = renderFleetReport(report)
    expect(markdown).toContain('## ❌ pg-migrate-action · migrate 50 databases: 1 failed, 39 migrated, 10 already up to date')
    expect(markdown.split('\n').find((l) => l.startsWith('| ❌') || l.startsWith('| ✅'))).toContain(fleet[37].name)
  }, 240_000)

  it('a canary that fails stops the fleet before any other database is touched', async () => {
    const dir = migrations()
    const fleet = await fleetOf(5, 'fl_b')
    await breakDatabase(fleet[0].url)
    const report = await run({ databases: fleet.map((d) => d.url).join('\n'), 'migrations-path': dir, 'on-error': 'continue' })
    expect(report.status).toBe('failure')
    expect(report.targets.map((t) => t.status)).toEqual(['failure', 'not-run', 'not-run', 'not-run', 'not-run'])
    expect(report.targets[0].error).toMatchObject({ code: 'migration-failed', stage: 'apply' })
    expect(report.targets.slice(1).map((t) => t.result)).toEqual(Array(4).fill(NOT_RUN.canary))
    // What the table says: nothing anywhere, the canary rolled back.
    for (const d of fleet) expect(await historyOf(d.url)).toEqual([])
    expect(rowOf(report, fleet[0].name)).toMatchObject({ from: [], to: [], applied: 0 })

    const markdown = renderFleetReport(report)
    expect(markdown).toContain('## ❌ pg-migrate-action · migrate 5 databases: 1 failed, 4 not run')
    expect(markdown).toContain(`<details><summary>❌ ${rowOf(report, fleet[0].name).target}: failed at apply on migration 0001 (0 of 3 applied)</summary>`)
    expect(markdown).toContain('> **Migration `0001` failed: relation &quot;documents&quot; already exists (SQLSTATE `42P07`)**')
    expect(markdown).toMatch(/\| ⏭️ `fl_b01_\w+` \| {2}\| {2}\| {2}\| {2}\| {2}\| not run: a canary failed \|/)
  }, 120_000)

  it('on-error: continue tries every database and reports every failure, failed targets first', async () => {
    const dir = migrations()
    const fleet = await fleetOf(8, 'fl_c')
    await breakDatabase(fleet[3].url)
    await breakDatabase(fleet[6].url)
    const report = await run({ databases: fleet.map((d) => d.url).join('\n'), 'migrations-path': dir, 'on-error': 'continue', 'max-parallel': '2' })
    expect(report.status).toBe('failure')
    expect(report.targets.map((t) => t.status)).toEqual(['success', 'success', 'success', 'failure', 'success', 'success', 'failure', 'success'])
    for (const [i, d] of fleet.entries()) expect(await historyOf(d.url)).toEqual(i === 3 || i === 6 ? [] : CHAIN)

    const markdown = renderFleetReport(report)
    expect(markdown).toContain('migrate 8 databases: 2 failed, 6 migrated')
    const order = [...markdown.matchAll(/^\| (✅|❌|⏭️) `(fl_c\d\d)_/gm)].map((m) => `${m[1]} ${m[2]}`)
    expect(order).toEqual(['❌ fl_c03', '❌ fl_c06', '✅ fl_c00', '✅ fl_c01', '✅ fl_c02', '✅ fl_c04', '✅ fl_c05', '✅ fl_c07'])
    expect(markdown.match(/<details><summary>❌ /g)).toHaveLength(2)
  }, 120_000)

  it('on-error: stop starts no database after a failure; the ones not started are untouched', async () => {
    const dir = migrations()
    const fleet = await fleetOf(6, 'fl_d')
    await breakDatabase(fleet[2].url)
    const report = await run({ databases: fleet.map((d) => d.url).join('\n'), 'migrations-path': dir, 'max-parallel': '1' })
    expect(report.targets.map((t) => t.status)).toEqual(['success', 'success', 'failure', 'not-run', 'not-run', 'not-run'])
    expect(report.targets[3].result).toBe(NOT_RUN.stopped)
    expect(await Promise.all(fleet.map((d) => historyOf(d.url)))).toEqual([CHAIN, CHAIN, [], [], [], []])
  }, 120_000)

  it('two fleets over overlapping databases at once never apply a migration twice', async () => {
    const dir = migrations()
    const fleet = await fleetOf(6, 'fl_e')
    const [one, two] = await Promise.all([
      run({
        databases: fleet
          .slice(0, 4)
          .map((d) => d.url)
          .join('\n'),
        'migrations-path': dir,
        canary: '0',
        'max-parallel': '4'
      }),
      run({
        databases: [...fleet.slice(2)]
          .reverse()
          .map((d) => d.url)
          .join('\n'),
        'migrations-path': dir,
        canary: '0',
        'max-parallel': '4'
      })
    ])
    expect([one.status, two.status]).toEqual(['success', 'success'])
    for (const d of fleet) {
      expect(await historyOf(d.url)).toEqual(CHAIN)
      const runs = await withClient(d.url, async (c) => (await c.query(`SELECT version FROM migration_runs ORDER BY at`)).rows.map((r) => r.version))
      expect(runs).toEqual(['0003', '0003 end'])
    }
    // The shared ones were applied by exactly one of the two fleets; the other found them done.
    for (const d of fleet.slice(2, 4)) {
      const applied = [rowOf(one, d.name).applied, rowOf(two, d.name).applied]
      expect(applied.reduce((a, b) => a + b)).toBe(3)
    }
  }, 120_000)

  it('databases-query names the targets on the server of database-url, which is not migrated unless returned', async () => {
    const dir = migrations()
    const base = await createTestDatabase('fl_base')
    const fleet = await fleetOf(3, 'fl_q')
    const report = await run({
      'database-url': base.url,
      'databases-query': `SELECT datname FROM pg_database WHERE datname IN (${fleet.map((d) => `'${d.name}'`).join(', ')}) ORDER BY 1`,
      'migrations-path': dir
    })
    expect(report.status).toBe('success')
    expect(report.targets.map((t) => t.target.split('/').pop())).toEqual(fleet.map((d) => d.name).sort())
    for (const d of fleet) expect(await historyOf(d.url)).toEqual(CHAIN)
    expect(await historyOf(base.url)).toEqual([])
  }, 120_000)

  it('a databases-query that fails stops the fleet before any database runs, with a code and the input named', async () => {
    const base = await createTestDatabase('fl_bad')
    const report = await run({ 'database-url': base.url, 'databases-query': 'SELECT datname FROM no_such_table', 'migrations-path': migrations() })
    expect(report.status).toBe('failure')
    expect(report.targets).toEqual([])
    expect(report.error).toMatchObject({ code: 'fleet-query-failed', input: 'databases-query' })
    expect(report.error!.message).toContain('relation "no_such_table" does not exist (SQLSTATE 42P01)')
    const markdown = renderFleetReport(report)
    expect(markdown).toContain('failed before any database ran')
    expect(markdown).toContain('no database was changed')
  }, 60_000)

  it('a databases-query that returns no rows migrates nothing and says so', async () => {
    const base = await createTestDatabase('fl_none')
    const report = await run({ 'database-url': base.url, 'databases-query': "SELECT datname FROM pg_database WHERE datname = 'no_such_tenant'", 'migrations-path': migrations() })
    expect(report).toMatchObject({ status: 'success', targets: [], warnings: ['databases-query returned no rows: there was no database to migrate.'] })
    expect(await historyOf(base.url)).toEqual([])
    expect(renderFleetReport(report)).toContain('## ⚠️ pg-migrate-action · migrate 0 databases\n')
  }, 60_000)

  it('a cancelled fleet stops the running database as a single run does and starts no other; each row says what its database holds', async () => {
    const dir = migrations()
    const fleet = await fleetOf(4, 'fl_x')
    const cancel = new AbortController()
    const log = silentLogger()
    const info = log.info
    // Cancelled while the second database applies its slow migration.
    log.info = (line) => {
      if (line.includes(fleet[1].name) && line.includes('0003_slow.sql')) setTimeout(() => cancel.abort(), 50)
      info(line)
    }
    const inputs = { databases: fleet.map((d) => d.url).join('\n'), 'migrations-path': dir, 'max-parallel': '1', 'fail-on-risk': 'none' }
    const report = await runFleet(reader(inputs), { log, env: process.env, signal: cancel.signal })
    expect(report.status).toBe('failure')
    expect(report.targets.map((t) => t.status)).toEqual(['success', 'failure', 'not-run', 'not-run'])
    expect(report.targets[1].error?.code).toBe('cancelled')
    expect(report.targets.slice(2).map((t) => t.result)).toEqual([NOT_RUN.cancelled, NOT_RUN.cancelled])
    const histories = await Promise.all(fleet.map((d) => historyOf(d.url)))
    expect(histories).toEqual([CHAIN, ['0001', '0002'], [], []])
    expect(report.targets[1].to).toEqual(['0002'])
  }, 60_000)

  it('a database listed twice is migrated once, with a warning', async () => {
    const dir = migrations()
    const [d] = await fleetOf(1, 'fl_f')
    const report = await run({ databases: `${d.url}\n${urlFor(d.name)}`, 'migrations-path': dir })
    expect(report.targets).toHaveLength(1)
    expect(report.targets[0].error).toBeUndefined()
    expect(report.warnings).toEqual([expect.stringContaining('is listed more than once; it is migrated once')])
    expect(await historyOf(d.url)).toEqual(CHAIN)
  }, 60_000)
})
