import { afterAll, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { InputName } from '../../src/inputs.js'
import { silentLogger } from '../../src/logger.js'
import { runPipeline } from '../../src/pipeline/index.js'
import { adminQuery, adminUrl, describeWithDatabase, urlFor, withClient } from '../support/database.js'

/**
 * A database-url without a user logs in as libpq would — PGUSER, then the OS user — and the report
 * names that user, not `postgres`: checked against who the server says applied the migration.
 */
const suffix = randomBytes(4).toString('hex')
const role = `pgma_pguser_${suffix}`
const database = `pgma_pguser_db_${suffix}`
const password = `pw-${suffix}`
const migrations = mkdtempSync(join(tmpdir(), 'pgma-pguser-'))

afterAll(async () => {
  await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined)
  await adminQuery(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined)
  rmSync(migrations, { recursive: true, force: true })
})

describeWithDatabase('a database-url without a user', () => {
  it('connects as PGUSER and the report says so', async () => {
    await adminQuery(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`)
    await adminQuery(`CREATE DATABASE ${database} OWNER ${role}`)
    writeFileSync(join(migrations, '0001_items.sql'), 'CREATE TABLE items (id int PRIMARY KEY);\n')
    const server = new URL(adminUrl!)
    const inputs: Partial<Record<InputName, string>> = {
      'database-url': `postgres://:${password}@${server.host}/${database}`,
      'migrations-path': migrations,
      extensions: ''
    }

    const { report } = await runPipeline((name) => inputs[name], { log: silentLogger(), env: { PGUSER: role } })

    expect(report.error).toBeUndefined()
    expect(report.database).toBe(`${role}@${server.hostname}:${server.port}/${database}`)
    const rows = await withClient(urlFor(database), async (c) => ({
      history: (await c.query('SELECT version, applied_by FROM public.pg_migrate_history')).rows,
      owner: (await c.query("SELECT tableowner FROM pg_tables WHERE tablename = 'items'")).rows
    }))
    expect(rows).toEqual({ history: [{ version: '0001', applied_by: role }], owner: [{ tableowner: role }] })
  })
})
