import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { InputName } from '../../src/inputs.js'
import { clearSecretsForTests } from '../../src/redact.js'
import { commentMarker } from '../../src/report/comment.js'
import type { RunReport } from '../../src/report/model.js'
import { commentOnPullRequest } from '../../src/runner/pr-comment.js'
import { FakeGitHubApi } from '../support/github-api.js'

/**
 * The comment against a stand-in for GitHub's API on loopback, through the real octokit: created,
 * found again and edited in place (also past 100 comments), one per chain, and never a failed step.
 */

const TOKEN = 'ghs_TestToken0123456789abcdefABCDEFxyz'
const PR = 7

let api: FakeGitHubApi
let temp: string
let stdout: string
let env: NodeJS.ProcessEnv

function report(overrides: Partial<RunReport> = {}): RunReport {
  return {
    status: 'success',
    mode: 'plan',
    startedAt: new Date(0),
    durationMs: 10,
    stages: [],
    problems: [],
    warnings: [],
    state: { current: ['0001'], applied: [], versionTableExists: true, problems: [] },
    pending: [{ id: '0002', parents: ['0001'], dependsOn: [], branchLabels: [], description: 'add items', file: 'db/migrations/0002_add_items.sql' }],
    ...overrides
  }
}

function reader(inputs: Partial<Record<InputName, string>> = {}): (name: InputName) => string {
  const given: Partial<Record<InputName, string>> = { 'pr-comment': 'auto', 'github-token': TOKEN, 'migrations-path': 'db/migrations', ...inputs }
  return (name) => given[name] ?? ''
}

function event(payload: unknown): string {
  const file = join(temp, `event-${Math.random()}.json`)
  writeFileSync(file, JSON.stringify(payload))
  return file
}

const samePullRequest = { number: PR, pull_request: { number: PR, head: { sha: 'abcdef0123456789', repo: { full_name: 'octo/app' } }, base: { repo: { full_name: 'octo/app' } } } }

const run = (r: RunReport = report(), inputs: Partial<Record<InputName, string>> = {}): Promise<void> =>
  commentOnPullRequest(r, reader(inputs), { env, retryBaseMs: 5, timeoutMs: 20_000 })

const marked = (path = 'db/migrations'): string => commentMarker({ workflow: 'CI', job: 'migrate', migrationsPath: path })
const warnings = (): string[] => stdout.split('\n').filter((l) => l.startsWith('::warning::'))

beforeEach(async () => {
  clearSecretsForTests()
  temp = mkdtempSync(join(tmpdir(), 'pgma-comment-'))
  api = new FakeGitHubApi(TOKEN)
  await api.start()
  stdout = ''
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk)
    return true
  })
  env = {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event(samePullRequest),
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_API_URL: api.url,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_JOB: 'migrate',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '2',
    RUNNER_TEMP: temp
  }
})

afterEach(async () => {
  jest.restoreAllMocks()
  await api.stop()
  rmSync(temp, { recursive: true, force: true })
})

describe('the pull request comment, against a stand-in for the GitHub API', () => {
  it('creates one comment on the pull request: marker first, the plan, the link to the run', async () => {
    await run()
    const [comment, ...others] = api.commentsOn(PR)
    expect(others).toEqual([])
    expect(comment.body.split('\n')[0]).toBe(marked())
    expect(comment.body).toContain('### ✅ pg-migrate-action · plan: 1 pending migration')
    expect(comment.body).toContain('[Job summary](https://github.example/octo/app/actions/runs/4242/attempts/2)')
    expect(comment.body).toContain('commit `abcdef012345`')
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET /repos/octo/app/issues/${PR}/comments?per_page=100`,
      `POST /repos/octo/app/issues/${PR}/comments`,
      `GET /repos/octo/app/issues/${PR}/comments?per_page=100`
    ])
    expect(stdout).toContain(`Pull request comment created: https://github.example/octo/app/pull/${PR}#issuecomment-${comment.id}`)
    expect(warnings()).toEqual([])
    // The same body as a file, for a workflow_run job to post (pr-comment-path).
    const path = /^::set-output name=pr-comment-path::(.*)$/m.exec(stdout)?.[1]
    expect(path && readFileSync(path, 'utf8')).toBe(comment.body)
  })

  it('edits it in place on the next run, never a second one', async () => {
    await run()
    const [first] = api.commentsOn(PR)
    await run(report({ mode: 'validate', pending: [] }))
    await run(report({ mode: 'validate', pending: [] }))
    const comments = api.commentsOn(PR)
    expect(comments.map((c) => c.id)).toEqual([first.id])
    expect(comments[0].body).toContain('### ✅ pg-migrate-action · validate: chain valid, 0 pending')
    expect(api.requests.filter((r) => r.method === 'PATCH').map((r) => r.url)).toEqual([
      `/repos/octo/app/issues/comments/${first.id}`,
      `/repos/octo/app/issues/comments/${first.id}`
    ])
  })

  it('pages through a long discussion (250 comments) to find it, and does not duplicate it', async () => {
    api.seed(
      PR,
      Array.from({ length: 230 }, (_, i) => `review comment ${i}`)
    )
    await run()
    api.seed(
      PR,
      Array.from({ length: 20 }, (_, i) => `later comment ${i}`)
    )
    await run(report({ mode: 'validate' }))
    const ours = api.commentsOn(PR).filter((c) => c.body.startsWith(marked()))
    expect(ours).toHaveLength(1)
    expect(ours[0].body).toContain('validate: chain valid, 1 pending')
    expect(api.commentsOn(PR)).toHaveLength(251)
    // Found on page 3 of 100: pages 1 and 2 were read through the Link header.
    const lists = api.requests.filter((r) => r.method === 'GET').map((r) => r.url)
    expect(lists.filter((u) => u.includes('page=3')).length).toBeGreaterThan(0)
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(1)
  })

  it('keeps one comment per chain: two migrations paths in one pull request, two comments, each edited in place', async () => {
    await run(report(), { 'migrations-path': 'services/a/migrations' })
    await run(report(), { 'migrations-path': 'services/b/migrations' })
    await run(report({ mode: 'validate' }), { 'migrations-path': './services/a/migrations/' })
    const comments = api.commentsOn(PR)
    expect(comments.map((c) => c.body.split('\n')[0])).toEqual([marked('services/a/migrations'), marked('services/b/migrations')])
    expect(comments[0].body).toContain('validate: chain valid')
    expect(comments[1].body).toContain('plan: 1 pending migration')
  })

  it('leaves one comment when two runs create it at the same time', async () => {
    await Promise.all([run(), run(report({ mode: 'validate' }))])
    expect(api.commentsOn(PR).filter((c) => c.body.startsWith(marked()))).toHaveLength(1)
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(2)
    expect(warnings()).toEqual([])
  })

  it('retries a 5xx with backoff, then succeeds', async () => {
    api.fail(502, { method: 'POST', times: 2, message: 'Bad Gateway' })
    await run()
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(3)
    expect(api.commentsOn(PR)).toHaveLength(1)
    expect(warnings()).toEqual([])
  })

  it('warns, without failing, when GitHub keeps failing', async () => {
    api.fail(503, { message: 'Service Unavailable' })
    await expect(run()).resolves.toBeUndefined()
    // The first request and its 3 retries.
    expect(api.requests).toHaveLength(4)
    expect(warnings()).toEqual([expect.stringContaining(`Could not comment on pull request #${PR}: GitHub's API failed with 503 (Service Unavailable), also after 3 retries.`)])
    expect(process.exitCode ?? 0).toBe(0)
  })

  it('gives up on an API that does not answer, with a warning, within its deadline', async () => {
    api.fail(0)
    const started = Date.now()
    await commentOnPullRequest(report(), reader(), { env, retryBaseMs: 5, timeoutMs: 500 })
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(warnings()).toEqual([expect.stringContaining(`Could not comment on pull request #${PR}: GitHub's API did not answer within 0.5 s.`)])
  })

  it('on a 403 warns with the permission and the workflow_run recipe for forks, and does not retry', async () => {
    api.fail(403, { method: 'POST' })
    await run()
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(1)
    const [warning, ...more] = warnings()
    expect(more).toEqual([])
    expect(warning).toContain(`Could not comment on pull request #${PR}: GitHub answered 403 (Resource not accessible by integration).`)
    expect(warning).toContain('`pull-requests: write`')
    expect(warning).toContain('workflow_run job')
    expect(warning).toContain('docs/recipes/pr-comment-from-fork.yml')
    expect(process.exitCode ?? 0).toBe(0)
  })

  it('says when the pull request comes from a fork, and links the recipe in the action’s repository', async () => {
    api.fail(403, { method: 'POST' })
    env.GITHUB_EVENT_PATH = event({ ...samePullRequest, pull_request: { ...samePullRequest.pull_request, head: { sha: 'abc', repo: { full_name: 'someone/app' } } } })
    env.GITHUB_ACTION_REPOSITORY = 'org/pg-migrate-action'
    env.GITHUB_ACTION_REF = 'v1'
    await run()
    expect(warnings()[0]).toContain('This pull request comes from the fork someone/app')
    expect(warnings()[0]).toContain('https://github.example/org/pg-migrate-action/blob/v1/docs/recipes/pr-comment-from-fork.yml')
  })

  it('honours GITHUB_API_URL of a GitHub Enterprise Server (/api/v3)', async () => {
    await api.stop()
    api = new FakeGitHubApi(TOKEN, 'octo/app', '/api/v3')
    env.GITHUB_API_URL = await api.start()
    await run()
    expect(api.commentsOn(PR)).toHaveLength(1)
  })

  it('never puts the token in a request body, the comment or the log', async () => {
    // A run whose own error text carries the token (a tool that printed its environment).
    await run(report({ status: 'failure', error: { stage: 'apply', code: 'migration-failed', message: `env: GITHUB_TOKEN=${TOKEN}`, details: [], location: {}, bug: false } }))
    api.fail(401, { message: `Bad credentials ${TOKEN}` })
    await run()
    expect(api.requests.length).toBeGreaterThan(3)
    for (const r of api.requests) expect(r.body).not.toContain(TOKEN)
    expect(api.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true)
    expect(api.commentsOn(PR)[0].body).toContain('env: GITHUB_TOKEN=***')
    expect(stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain(TOKEN)
    expect(stdout).toContain(`::add-mask::${TOKEN}`)
    expect(warnings()[0]).toContain("GitHub refused the input 'github-token' (401: Bad credentials ***)")
  })

  it('does nothing outside pull request events, posts nothing with pr-comment: never, and warns on an empty token', async () => {
    await commentOnPullRequest(report(), reader(), { env: { ...env, GITHUB_EVENT_NAME: 'push' } })
    expect(stdout).toBe('')
    await run(report(), { 'pr-comment': 'never' })
    expect(stdout).toMatch(/^::set-output name=pr-comment-path::/m)
    expect(warnings()).toEqual([])
    await run(report(), { 'github-token': '' })
    expect(warnings()).toEqual([expect.stringContaining("No pull request comment: the input 'github-token' is empty")])
    expect(api.requests).toEqual([])
    env.GITHUB_EVENT_NAME = 'pull_request_target'
    await run()
    expect(api.commentsOn(PR)).toHaveLength(1)
  })

  it('refuses an invalid pr-comment with the accepted values, in a warning when the run itself did not stop on it', async () => {
    await run(report(), { 'pr-comment': 'always' })
    expect(warnings()).toEqual([
      "::warning::No pull request comment: Input 'pr-comment' must be one of auto, never; got 'always'. Accepted: auto (comment on pull_request and pull_request_target events) or never."
    ])
    expect(api.requests).toEqual([])
  })
})
