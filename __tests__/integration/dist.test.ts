import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error -- plain ESM scripts without type declarations
import { runAction } from '../../scripts/run-action.mjs'
// @ts-expect-error -- plain ESM scripts without type declarations
import { startPgliteServer } from '../../scripts/pglite-server.mjs'
// @ts-expect-error -- plain ESM scripts without type declarations
import { buildInto, compareDirs } from '../../scripts/check-dist.mjs'
import { SCRATCH_PASSWORD, ScratchServer, scratchServersAvailable } from '../support/scratch-server.js'
import { adminUrl, createTestDatabase, dropTestDatabases } from '../support/database.js'

/** Everything the runner would show, less the `::add-mask::` commands that tell it what to mask. */
function visible(result: ActionRun): string {
  return result.stdout.replace(/^::add-mask::.*$/gm, '') + result.stderr + result.summary + JSON.stringify(result.outputs)
}

interface ActionRun {
  exitCode: number
  stdout: string
  stderr: string
  summary: string
  outputs: Record<string, string>
}

/** The bundle must run under this machine's Node and under the node24 runtime action.yml declares. */
const runtimes: [string, string][] = [[`node ${process.versions.node}`, process.execPath]]
if (process.env.TEST_NODE24) runtimes.push(['node 24', process.env.TEST_NODE24])

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

describe.each(runtimes)('the bundled action under %s, run as the runner runs it', (_label, node) => {
  const run = (inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> => runAction({ inputs, node, env })

  it('rejects a bad input before connecting, naming the input, value and accepted values', async () => {
    const result = await run({ 'database-url': 'postgres://u:Sup3rSecret@127.0.0.1:1/db', mode: 'apply' })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain("::error::Input 'mode' must be one of migrate, validate, plan, check; got 'apply'.")
    expect(result.summary).toContain('failed at **inputs**')
    expect(visible(result)).not.toContain('Sup3rSecret')
    expect(result.stdout).toContain('::add-mask::Sup3rSecret')
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
      expect(result.summary).toContain('## ✅ pg-migrate-action: server ready, extensions verified')
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

const describeReal = adminUrl && scratchServersAvailable ? describe : describe.skip

describeReal('the bundled action against a real PostgreSQL + pgvector', () => {
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
      expect(result.summary).toContain('## ✅ pg-migrate-action: applied')
      expect(result.summary).toMatch(/Ready after \*\*\d+\*\* attempts/)
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
