import { afterAll, afterEach, beforeEach, expect, it } from '@jest/globals'
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
// @ts-expect-error -- plain ESM script without type declarations
import { FAKE_GITHUB_TOKEN, runAction } from '../../scripts/run-action.mjs'
import { commentMarker } from '../../src/report/comment.js'
import { type ActionRun, visible } from '../support/action-run.js'
import { createTestDatabase, describeWithDatabase, dropTestDatabases, withClient } from '../support/database.js'
import { FakeGitHubApi } from '../support/github-api.js'

/**
 * The bundle as the runner runs it (every action.yml default as INPUT_*, `${{ github.token }}`
 * evaluated) on a pull_request event, against the real database and a stand-in for GitHub's API:
 * the comment the reviewers see, then the same comment edited by the next run.
 */
describeWithDatabase('the bundled action comments on the pull request', () => {
  const PR = 31
  let api: FakeGitHubApi
  let work: string

  beforeEach(async () => {
    api = new FakeGitHubApi(FAKE_GITHUB_TOKEN as string)
    await api.start()
    work = mkdtempSync(join(tmpdir(), 'pgma-pr-'))
  })
  afterEach(async () => {
    await api.stop()
    rmSync(work, { recursive: true, force: true })
  })
  afterAll(() => dropTestDatabases())

  function pullRequestEnv(): Record<string, string> {
    const event = join(work, 'event.json')
    writeFileSync(
      event,
      JSON.stringify({
        action: 'synchronize',
        number: PR,
        pull_request: { number: PR, head: { sha: '9f8e7d6c5b4a39281706', repo: { full_name: 'octo/app' } }, base: { repo: { full_name: 'octo/app' } } }
      })
    )
    return {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_API_URL: api.url,
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_REPOSITORY: 'octo/app',
      GITHUB_WORKFLOW: 'CI',
      GITHUB_JOB: 'migrations',
      GITHUB_RUN_ID: '777',
      GITHUB_RUN_ATTEMPT: '1'
    }
  }

  /** Runs the bundle recording which of its chunks it loads (__tests__/support/record-modules.mjs). */
  async function run(inputs: Record<string, string>, env: Record<string, string>): Promise<{ result: ActionRun; loaded: string[] }> {
    const log = join(work, `modules-${Math.random()}.log`)
    const hooks = pathToFileURL(resolve('__tests__/support/record-modules.mjs')).href
    const result = (await runAction({ inputs, env: { ...env, NODE_OPTIONS: `--import=${hooks}`, PGMA_MODULE_LOG: log } })) as ActionRun
    const dist = `${pathToFileURL(resolve('dist')).href}/`
    const urls = existsSync(log) ? readFileSync(log, 'utf8').split('\n') : []
    return { result, loaded: urls.filter((url) => url.startsWith(dist)).map((url) => url.slice(dist.length)) }
  }

  const history = (url: string): Promise<string[]> =>
    withClient(url, async (c) => (await c.query<{ version: string }>('SELECT version FROM public.pg_migrate_history ORDER BY version')).rows.map((r) => r.version))

  const chunkHolding = (marker: string): string[] =>
    readdirSync('dist').filter((name) => /^\d+\.index\.js$/.test(name) && readFileSync(join('dist', name), 'utf8').includes(marker))

  it('plan posts what would happen with the risk (a blocked finding first); migrate edits the same comment with what happened, as the database holds it', async () => {
    const db = await createTestDatabase()
    // The example chain, deployed; then a pull request that adds a risky migration to it.
    const migrations = join(work, 'migrations')
    cpSync('migrations-example/sql', migrations, { recursive: true })
    const inputs = { 'database-url': db.url, 'migrations-path': migrations }
    // The checkout holding the copied chain: the action reads nothing outside GITHUB_WORKSPACE.
    const env = { ...pullRequestEnv(), GITHUB_WORKSPACE: work }
    const deployed = await run({ ...inputs, mode: 'migrate' }, { ...env, GITHUB_EVENT_NAME: 'push' })
    expect(deployed.result.outputs['current-version']).toBe('0005')
    expect(api.requests).toEqual([])
    const drop = join(migrations, '0006_drop_title.sql')
    writeFileSync(drop, '-- migrate:up\nALTER TABLE documents DROP COLUMN title;\n')

    const plan = await run({ ...inputs, mode: 'plan' }, env)
    expect(plan.result.exitCode).toBe(1)
    const [planned, ...others] = api.commentsOn(PR)
    expect(others).toEqual([])
    expect(planned.body.split('\n')[0]).toBe(commentMarker({ workflow: 'CI', job: 'migrations', migrationsPath: migrations }))
    expect(planned.body).toContain('\n### ❌ pg-migrate-action · plan: failed at **lint**\n')
    expect(planned.body).toContain('**The risk lint stopped the run before anything was applied: 1 finding at or above fail-on-risk')
    expect(planned.body).toContain('**What to do:** Make the change the safer way')
    // Nothing applied: the sentence says so, and so does the database.
    expect(planned.body).toContain('Nothing was applied (mode plan); the database this job checked is at `0005`. Migrating would apply 1 pending migration.')
    expect(await history(db.url)).toEqual(['0001', '0002', '0003', '0004', '0005'])
    expect(planned.body).toContain('| `0006` | drop title | `0006_drop_title.sql` | 🛑 critical (1 finding, 1 **blocked**) |')
    const lint = planned.body.slice(planned.body.indexOf('### Risk lint'))
    expect(lint).toMatch(/^### Risk lint\n\n\*\*Blocked:\*\* 1 unacknowledged finding/)
    expect(lint).toMatch(
      /\| 🛑 critical \| \[`drop-column`\]\(docs\/rules\/drop-column\.md\) \| `0006_drop_title\.sql:2` \| drops column documents\.title<br><sub>table documents: empty, [^|]*<\/sub> \| ❌ \*\*blocked\*\* \|/
    )
    expect(planned.body).toContain('[Job summary](https://github.example/octo/app/actions/runs/777/attempts/1)')
    expect(planned.body).toContain('commit `9f8e7d6c5b4a`')
    expect(plan.result.stdout).toContain(`Pull request comment created: https://github.example/octo/app/pull/${PR}#issuecomment-${planned.id}`)
    expect(readFileSync(plan.result.outputs['pr-comment-path'], 'utf8')).toBe(planned.body)
    // Octokit came in its own chunk, for this run only.
    const octokit = chunkHolding('octokit-core.js')
    expect(octokit).toHaveLength(1)
    expect(plan.loaded).toEqual(expect.arrayContaining(['index.js', octokit[0]]))

    // The author acknowledges the reviewed change; the next run applies it and edits the same comment.
    writeFileSync(drop, '-- migrate:up\n-- pg-migrate:allow drop-column reason: title moved to metadata in 0004\nALTER TABLE documents DROP COLUMN title;\n')
    const migrate = await run({ ...inputs, mode: 'migrate' }, env)
    expect(migrate.result.exitCode).toBe(0)
    const comments = api.commentsOn(PR)
    expect(comments.map((c) => c.id)).toEqual([planned.id])
    const applied = await history(db.url)
    expect(applied).toEqual(['0001', '0002', '0003', '0004', '0005', '0006'])
    expect(comments[0].body).toContain('\n### ⚠️ pg-migrate-action · migrate: applied 1 migration, 1 lint finding to review\n')
    expect(comments[0].body).toContain(`This run applied 1 migration. The database is now at \`${applied.at(-1)}\`.`)
    expect(comments[0].body).toContain('| `0006` | drop_title | `0006_drop_title.sql` | ✅ applied | 🛑 critical (1 finding) |')
    expect(comments[0].body).toContain('✔️ acknowledged (line 2): title moved to metadata in 0004')
    // What the run changed in the schema, read from the database's catalogs before and after.
    expect(comments[0].body).toContain('#### Schema changes')
    expect(comments[0].body).toContain('| ➖ dropped | column `public.documents.title` | `text` |')
    const columns = await withClient(db.url, (c) => c.query("SELECT 1 FROM information_schema.columns WHERE table_name = 'documents' AND column_name = 'title'"))
    expect(columns.rowCount).toBe(0)
    expect(migrate.result.stdout).toContain(`Pull request comment updated: https://github.example/octo/app/pull/${PR}#issuecomment-${planned.id}`)

    // The job's token: masked, and never in the log, the summary, the outputs or a request body.
    for (const r of [deployed.result, plan.result, migrate.result]) {
      expect(r.stdout).toContain(`::add-mask::${FAKE_GITHUB_TOKEN}`)
      expect(visible(r)).not.toContain(FAKE_GITHUB_TOKEN)
    }
    for (const r of api.requests) expect(r.body).not.toContain(FAKE_GITHUB_TOKEN)
  }, 120_000)

  it('a 403 (the job lacks pull-requests: write) is a warning: the run still succeeds', async () => {
    const db = await createTestDatabase()
    api.fail(403, { method: 'POST' })
    const { result } = await run({ 'database-url': db.url, 'migrations-path': 'migrations-example/sql', mode: 'validate' }, pullRequestEnv())
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(/^::warning::Could not comment on pull request #31: GitHub answered 403 .*`pull-requests: write`.*workflow_run/m)
    expect(api.commentsOn(PR)).toEqual([])
  }, 60_000)

  it('outside a pull request nothing is requested and the octokit chunk is not loaded', async () => {
    const db = await createTestDatabase()
    const { result, loaded } = await run(
      { 'database-url': db.url, 'migrations-path': 'migrations-example/sql', mode: 'validate' },
      { ...pullRequestEnv(), GITHUB_EVENT_NAME: 'push' }
    )
    expect(result.exitCode).toBe(0)
    expect(api.requests).toEqual([])
    expect(result.outputs['pr-comment-path']).toBeUndefined()
    expect(loaded).not.toContain(chunkHolding('octokit-core.js')[0])
  }, 60_000)
})
