import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
// @ts-expect-error -- plain ESM scripts without type declarations
import { runAction } from '../../scripts/run-action.mjs'
// @ts-expect-error -- plain ESM scripts without type declarations
import { startPgliteServer } from '../../scripts/pglite-server.mjs'
// @ts-expect-error -- plain ESM scripts without type declarations
import { buildInto, compareDirs } from '../../scripts/check-dist.mjs'
import { describeEachNeeding, describeNeeding, itNeeding, type Capability } from '../support/capabilities.js'
import { SCRATCH_PASSWORD, ScratchServer } from '../support/scratch-server.js'
import { adminQuery, adminUrl, createTestDatabase, dropTestDatabases } from '../support/database.js'
import { type ActionRun, visible } from '../support/action-run.js'

/** The bundle must run under this machine's Node and under the node24 runtime action.yml declares. */
const runtimes: { name: string; node: string; needs: Capability[] }[] = [
  { name: `node ${process.versions.node}`, node: process.execPath, needs: [] },
  { name: 'node 24', node: process.env.TEST_NODE24 ?? '', needs: ['node24'] }
]

describe('dist/ is what the sources build to', () => {
  it('matches a fresh ncc build of src/ (run `npm run build` and commit dist/ when this fails)', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'pgma-dist-'))
    try {
      buildInto(scratch)
      expect(compareDirs(scratch, 'dist')).toEqual([])
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  }, 120_000)
})

describeEachNeeding([], runtimes, 'the bundled action under $name, run as the runner runs it', ({ node }) => {
  const run = (inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> => runAction({ inputs, node, env })

  it('rejects a bad input before connecting, naming the input, value and accepted values', async () => {
    const result = await run({ 'database-url': 'postgres://u:Sup3rSecret@127.0.0.1:1/db', mode: 'apply' })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain("::error::Input 'mode' must be one of migrate, validate, plan, check, repair, downgrade; got 'apply'.")
    expect(result.summary).toContain('failed at **inputs**')
    expect(visible(result)).not.toContain('Sup3rSecret')
    expect(result.stdout).toContain('::add-mask::Sup3rSecret')
  })

  it('refuses a password with a raw @ before connecting: masked whole, no piece of it printed, the encoding shown', async () => {
    const result = await run({ 'database-url': 'postgresql://u:p@ss@w0rd@127.0.0.1:1/db' })
    expect(result.exitCode).toBe(1)
    expect(result.summary).toContain('failed at **inputs**')
    expect(result.summary).toContain('@ as %40')
    expect(result.stdout).toContain('::add-mask::p@ss@w0rd')
    expect(result.stdout).not.toMatch(/^::add-mask::.{0,2}$/m)
    for (const piece of ['ss@w0rd', 'w0rd', 'p@ss']) expect(visible(result)).not.toContain(piece)
  })

  it.each([
    [{ 'database-url': 'postgres://u:pw@127.0.0.1:1/db?sslrootcert=/missing/root.crt' }, 'sslrootcert=/missing/root.crt'],
    [{ 'database-url': 'postgres://u:pw@127.0.0.1:1/db', 'lock-timeout': '99999999999999999999s' }, "'lock-timeout' exceeds PostgreSQL's limit"],
    [{ 'database-url': 'postgres://u:pw@127.0.0.1:1/db', 'statement-timeout': '0.0001us' }, "'statement-timeout' rounds to 0 ms"]
  ])('fails at the inputs, not after waiting, on %j', async (inputs, message) => {
    const result = await run({ ...inputs, 'wait-timeout': '60' })
    expect(result.exitCode).toBe(1)
    expect(result.summary).toContain('failed at **inputs**')
    expect(result.stdout).toContain(message)
    expect(result.durationMs).toBeLessThan(20_000)
  })

  describe('on the embedded PGlite server', () => {
    let db: { url: string; stop: () => Promise<void> }
    beforeAll(async () => {
      db = await startPgliteServer()
    }, 60_000)
    afterAll(async () => db?.stop())

    it('checks the server and pgvector and writes the summary and outputs', async () => {
      const result = await run({ 'database-url': db.url, mode: 'check' })
      expect(result.exitCode).toBe(0)
      expect(result.summary).toContain('## ✅ pg-migrate-action · check: server ready, extensions verified')
      expect(result.summary).toContain('✅ index-backed nearest-neighbour query')
      expect(result.outputs['server-version']).toMatch(/^\d+\.\d+/)
      expect(Object.keys(JSON.parse(result.outputs['extension-versions']))).toEqual(['vector'])
      expect(result.outputs['report-path']).toMatch(/\.md$/)
      expect(Number(result.outputs['duration-ms'])).toBeGreaterThan(0)
    })

    it('writes no job summary with summary: False (any spelling the input accepts), but still the report file', async () => {
      const result = await run({ 'database-url': db.url, mode: 'check', summary: 'False' })
      expect(result.exitCode).toBe(0)
      expect(result.summary).toBe('')
      expect(readFileSync(result.outputs['report-path'], 'utf8')).toContain('## ✅ pg-migrate-action')
    })
  })
})

describeNeeding(['database', 'scratch-server'], 'the bundled action against a real PostgreSQL + pgvector', () => {
  afterAll(() => dropTestDatabases())

  it('waits for a server that starts late, smoke-tests pgvector and applies the example chain', async () => {
    const server = await ScratchServer.create()
    try {
      const starter = setTimeout(() => server.start({ wait: false }), 1500)
      const result = (await runAction({
        inputs: { 'database-url': server.url, 'migrations-path': 'migrations-example/sql', 'wait-timeout': '60' }
      })) as ActionRun
      clearTimeout(starter)
      expect(result.stdout).toMatch(/attempt \d+ \(\+[\d.]+ m?s\): connection refused/)
      expect(result.exitCode).toBe(0)
      expect(result.summary).toContain('## ✅ pg-migrate-action · migrate: applied')
      expect(result.summary).toMatch(/Readiness: ready after \d+ attempts/)
      expect(result.summary).toContain('✅ HNSW index build')
      expect(Number(result.outputs['applied-count'])).toBeGreaterThan(2)
      expect(result.outputs['pending-count']).toBe('0')
      const applied = JSON.parse(result.outputs.applied) as { revision: string }[]
      expect(result.outputs['current-version']).toBe(applied[applied.length - 1].revision)
      expect(visible(result)).not.toContain(SCRATCH_PASSWORD)
    } finally {
      server.destroy()
    }
  }, 90_000)

  itNeeding({ needs: ['database-socket'], timeout: 60_000 }, 'applies the example chain over a unix socket named by host= with an empty host', async () => {
    const db = await createTestDatabase()
    const admin = new URL(adminUrl!)
    const socketDir = (await adminQuery(`SELECT split_part(current_setting('unix_socket_directories'), ',', 1) AS dir`)).rows[0].dir as string
    const result = (await runAction({
      inputs: { 'database-url': `postgresql://${admin.username}:${admin.password}@/${db.name}?host=${socketDir}&port=${admin.port}`, 'migrations-path': 'migrations-example/sql' }
    })) as ActionRun
    expect(result.exitCode).toBe(0)
    expect(result.summary).toContain('## ✅ pg-migrate-action · migrate: applied')
    expect(result.stdout).toContain(`Waiting for PostgreSQL at ${socketDir}:${admin.port}/${db.name}`)
  })

  itNeeding({ needs: ['alembic'], timeout: 90_000 }, 'hands Alembic the password the action connected with, special characters and all, and never prints it', async () => {
    const db = await createTestDatabase()
    const role = `pgma_url_${db.name.slice(-10)}`
    const password = 'p@ss/w?o#r%d: ä&x=1'
    await adminQuery(`CREATE ROLE ${role} LOGIN SUPERUSER PASSWORD '${password}'`)
    try {
      const admin = new URL(adminUrl!)
      const result = (await runAction({
        inputs: {
          'database-url': `postgresql+psycopg2://${role}:${encodeURIComponent(password)}@${admin.host}/${db.name}`,
          'migrations-path': 'migrations-example/alembic',
          python: '/usr/bin/python3'
        }
      })) as ActionRun
      expect(result.exitCode).toBe(0)
      expect(result.summary).toContain('## ✅ pg-migrate-action · migrate: applied')
      expect(Number(result.outputs['applied-count'])).toBe(6)
      expect(visible(result)).not.toContain(password)
      expect(visible(result)).not.toContain(encodeURIComponent(password))
    } finally {
      await adminQuery(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`)
      await adminQuery(`DROP ROLE IF EXISTS ${role}`)
    }
  })

  it('fails fast on a wrong password and never prints it', async () => {
    const db = await createTestDatabase()
    const wrong = 'Wr0ng%40Pass-word'
    const url = new URL(db.url)
    url.password = wrong
    const result = (await runAction({ inputs: { 'database-url': url.toString(), 'migrations-path': 'migrations-example/sql' } })) as ActionRun
    expect(result.exitCode).toBe(1)
    expect(result.summary).toContain('failed at **wait**')
    expect(result.summary).toContain('password authentication failed')
    expect(result.summary).toContain('POSTGRES_PASSWORD')
    const everything = visible(result)
    expect(everything).not.toContain(wrong)
    expect(everything).not.toContain(decodeURIComponent(wrong))
  })
})

describeEachNeeding(['database-or-pglite'], runtimes, 'the bundle under $name loads a chunk only when the run needs it', ({ node }) => {
  afterAll(() => dropTestDatabases())

  /** Runs the bundle with every module file it loads recorded (__tests__/support/record-modules.mjs); `loaded` names those in dist/. */
  async function runRecordingModules(inputs: Record<string, string>, cwd?: string): Promise<{ result: ActionRun; loaded: string[] }> {
    const scratch = mkdtempSync(join(tmpdir(), 'pgma-modules-'))
    const log = join(scratch, 'modules.log')
    try {
      const hooks = pathToFileURL(resolve('__tests__/support/record-modules.mjs')).href
      const result = (await runAction({ inputs, node, cwd, env: { NODE_OPTIONS: `--import=${hooks}`, PGMA_MODULE_LOG: log } })) as ActionRun
      const dist = `${pathToFileURL(resolve('dist')).href}/`
      const urls = existsSync(log) ? readFileSync(log, 'utf8').split('\n') : []
      return { result, loaded: urls.filter((url) => url.startsWith(dist)).map((url) => url.slice(dist.length)) }
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  }

  /** The one chunk file of dist/ (not the entry) whose code holds `marker`. */
  function chunkHolding(marker: string): string {
    const chunks = readdirSync('dist').filter((name) => /^\d+\.index\.js$/.test(name) && readFileSync(join('dist', name), 'utf8').includes(marker))
    expect(chunks).toHaveLength(1)
    return chunks[0]
  }

  it('applying loads the SQL parser and the lint rules; the up-to-date run after it loads dist/index.js alone, dbmate sections and all', async () => {
    const db = await createTestDatabase()
    const migrations = mkdtempSync(join(tmpdir(), 'pgma-chunks-'))
    writeFileSync(join(migrations, '0001_items.sql'), 'CREATE TABLE items (id bigserial PRIMARY KEY, embedding vector(3));\n')
    writeFileSync(join(migrations, '0002_items_embedding.sql'), 'CREATE INDEX items_embedding ON items USING hnsw (embedding vector_l2_ops);\n')
    // dbmate sections after a function body: only the lexer can place that marker, unless the history's checksum confirms it.
    writeFileSync(
      join(migrations, '0003_first_item.sql'),
      '-- migrate:up\nCREATE FUNCTION first_item() RETURNS bigint LANGUAGE sql AS $$ SELECT min(id) FROM items $$;\n-- migrate:down\nDROP FUNCTION first_item();\n'
    )
    // The migrations directory is the workspace: the action reads nothing from outside it.
    const inputs = { 'database-url': db.url, 'migrations-path': '.' }
    const apply = await runRecordingModules(inputs, migrations)
    expect(apply.result.exitCode).toBe(0)
    expect(Number(apply.result.outputs['applied-count'])).toBeGreaterThan(0)
    expect(apply.loaded).toEqual(expect.arrayContaining(['index.js', chunkHolding('libpg-query.wasm'), chunkHolding('vector-index-without-opclass')]))

    const upToDate = await runRecordingModules(inputs, migrations)
    expect(upToDate.result.exitCode).toBe(0)
    expect(upToDate.result.outputs['applied-count']).toBe('0')
    expect(upToDate.loaded).toEqual(['index.js'])
    rmSync(migrations, { recursive: true, force: true })
  })
})
