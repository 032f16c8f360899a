import { afterAll, afterEach, beforeEach, expect } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { createTestDatabase, describeWithAnyDatabase, dropTestDatabases, itNeedingServer, PGLITE_LACKS } from '../support/database.js'
import { compileSourcesForChild } from '../support/sql-child.js'
import { MigrationDir, SqlHarness } from '../support/sql-engine.js'

let dir: MigrationDir
let url: string
let database: string
let child: ChildProcess | undefined

beforeEach(async () => {
  dir = new MigrationDir()
  ;({ url, name: database } = await createTestDatabase('pgma_sqlkill'))
})

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL')
  dir.cleanup()
})

afterAll(async () => {
  await dropTestDatabases()
})

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

describeWithAnyDatabase('SQL engine: runner killed mid-chain', () => {
  itNeedingServer(PGLITE_LACKS.sleep, 'leaves the database consistent when the runner dies in a migration, and a re-run completes', async () => {
    dir.write({
      '0001_first.sql': 'CREATE TABLE first (id int);',
      '0002_slow.sql': 'CREATE TABLE half_done (id int);\nINSERT INTO half_done VALUES (1);\nSELECT pg_sleep(60);\nCREATE TABLE never (id int);',
      '0003_last.sql': 'CREATE TABLE last (id int);'
    })
    const compiled = compileSourcesForChild()
    const output: string[] = []
    child = spawn(process.execPath, [path.resolve('__tests__/fixtures/sql/child-driver.mjs'), compiled, url, dir.cwd], { stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout!.on('data', (d: Buffer) => output.push(d.toString()))
    child.stderr!.on('data', (d: Buffer) => output.push(d.toString()))

    const observer = new SqlHarness(url, dir)
    try {
      const sleeping = await waitFor('the migration session to reach pg_sleep', async () => {
        const r = await observer.query(
          `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pg-migrate-action migration' AND query LIKE '%SELECT pg_sleep%'`,
          [database]
        )
        return r.rows[0]?.pid as number | undefined
      })
      expect(output.join('')).toContain('Applying migrations/0002_slow.sql (in a transaction)')

      child.kill('SIGKILL')
      await new Promise((resolve) => child!.once('exit', resolve))
      expect(child.signalCode).toBe('SIGKILL')
      expect(output.join('')).not.toContain('RESULT')

      // A backend busy in pg_sleep notices its client is gone only when it next talks to it; end it
      // as an operator would, then wait until it is really gone.
      await observer.query('SELECT pg_terminate_backend($1)', [sleeping])
      await waitFor('the killed runner’s backend to exit', async () => {
        const r = await observer.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'pg%migrat%'`, [database])
        return r.rows[0].n === 0 ? true : undefined
      })

      expect((await observer.history()).map((r) => [r.version, r.dirty])).toEqual([['0001', false]])
      const tables = await observer.query(`SELECT relname FROM pg_class WHERE relname IN ('first', 'half_done', 'never', 'last') ORDER BY 1`)
      expect(tables.rows.map((r) => r.relname)).toEqual(['first'])

      dir.write({ '0002_slow.sql': 'CREATE TABLE half_done (id int);\nINSERT INTO half_done VALUES (1);\nSELECT pg_sleep(0.01);\nCREATE TABLE never (id int);' })
      const rerun = await new SqlHarness(url, dir).run()
      expect(rerun.problems).toEqual([])
      expect(rerun.result!.runs.map((r) => [r.id, r.status])).toEqual([
        ['0002', 'applied'],
        ['0003', 'applied']
      ])
      expect((await observer.history()).map((r) => [r.version, r.dirty])).toEqual([
        ['0001', false],
        ['0002', false],
        ['0003', false]
      ])
      expect((await observer.query('SELECT count(*)::int AS n FROM half_done')).rows[0].n).toBe(1)
    } finally {
      await observer.close()
    }
  })
})
