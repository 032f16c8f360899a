import { afterAll, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { adminUrl, createTestDatabase, describeWithDatabase, dropTestDatabases, withClient } from '../support/database.js'

/**
 * The action under GitHub's own local runner for JavaScript actions, as a new user tries it
 * (README, Develop): `npx local-action run . src/main.ts .env`. local-action runs the TypeScript
 * entry with tsx and swaps `@actions/core` for its own, which records the outputs and writes the
 * summary — so this holds the action to `@actions/core` as the interface to the runner.
 */
const root = fileURLToPath(new URL('../..', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'pgma-local-action-'))

afterAll(async () => {
  await dropTestDatabases()
  rmSync(work, { recursive: true, force: true })
})

/** What local-action prints for each output: the `::set-output` line of its core stub. */
function outputs(stdout: string): Record<string, string> {
  return Object.fromEntries([...stdout.matchAll(/^::set-output name=([\w-]+)::(.*)$/gm)].map((m) => [m[1], m[2]]))
}

describeWithDatabase('the action under @github/local-action', () => {
  it('applies the SQL example chain, sets the outputs and writes the job summary', async () => {
    const { url } = await createTestDatabase('pgma_local_action')
    const password = new URL(adminUrl!).password
    const summaryFile = join(work, 'summary.md')
    // The README's way: .env.example with the database and the summary file changed.
    const envFile = join(work, '.env')
    const example = readFileSync(join(root, '.env.example'), 'utf8')
    writeFileSync(
      envFile,
      example.replace(/^INPUT_DATABASE-URL=.*$/m, `INPUT_DATABASE-URL=${url}`).replace(/^GITHUB_STEP_SUMMARY=.*$/m, `GITHUB_STEP_SUMMARY=${summaryFile}`) + `RUNNER_TEMP=${work}\n`
    )

    const { stdout } = await promisify(execFile)(join(root, 'node_modules/.bin/local-action'), ['run', '.', 'src/main.ts', envFile], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
      maxBuffer: 16 * 1024 * 1024
    })

    expect(stdout).not.toContain('No outputs were set!')
    const set = outputs(stdout)
    // The server's pgvector, whichever it is (Debian's 0.8.0 here, the 0.8.2 image in CI).
    const vector = await withClient(url, (c) => c.query<{ v: string }>("SELECT extversion AS v FROM pg_extension WHERE extname = 'vector'"))
    expect(set).toMatchObject({ 'applied-count': '5', 'pending-count': '0', 'current-version': '0005', 'extension-versions': JSON.stringify({ vector: vector.rows[0].v }) })
    expect(JSON.parse(set.applied).map((r: { revision: string }) => r.revision)).toEqual(['0001', '0002', '0003', '0004', '0005'])
    const summary = readFileSync(summaryFile, 'utf8')
    expect(summary).toContain('pg-migrate-action · migrate: applied 5 migrations')
    // summary.addRaw(markdown, true): the report file's text and a line break.
    expect(summary).toBe(readFileSync(set['report-path'], 'utf8') + '\n')
    // What the summary and outputs say the database holds, read from the database.
    const history = await withClient(url, (c) => c.query<{ version: string }>('SELECT version FROM public.pg_migrate_history ORDER BY version'))
    expect(history.rows.map((r) => r.version)).toEqual(['0001', '0002', '0003', '0004', '0005'])
    expect(stdout + summary).not.toContain(password)
  }, 180_000)
})
