import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { getOctokit } from '@actions/github'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse, parseAllDocuments } from 'yaml'
import { INPUTS, type InputName } from '../../src/inputs.js'
import { clearSecretsForTests } from '../../src/redact.js'
import type { RunReport } from '../../src/report/model.js'
import { commentOnPullRequest } from '../../src/runner/pr-comment.js'
import { FakeGitHubApi } from '../support/github-api.js'

/**
 * docs/recipes/pr-comment-from-fork.yml: two workflows that parse, use the action's real inputs and
 * outputs, and whose github-script posts the file the action wrote, run here through the real
 * octokit against the API's stand-in, as actions/github-script runs it.
 */

const RECIPE = 'docs/recipes/pr-comment-from-fork.yml'
const TOKEN = 'ghs_RecipeToken0123456789abcdefABCDEF'

interface Step {
  uses?: string
  id?: string
  if?: string
  run?: string
  with?: Record<string, string | number | boolean>
  env?: Record<string, string>
}
interface Workflow {
  name: string
  on: Record<string, unknown>
  permissions: Record<string, string>
  jobs: Record<string, { if?: string; steps: Step[] }>
}

const documents = parseAllDocuments(readFileSync(RECIPE, 'utf8'))
const [pullRequest, commenter] = documents.map((d) => d.toJS() as Workflow)
const action = parse(readFileSync('action.yml', 'utf8')) as { outputs: Record<string, unknown> }

describe('the workflow_run recipe for pull requests from forks', () => {
  it('is two workflows that parse', () => {
    expect(documents.map((d) => [d.errors, d.warnings])).toEqual([
      [[], []],
      [[], []]
    ])
    expect(Object.keys(pullRequest.on)).toEqual(['pull_request'])
    expect(pullRequest.permissions).toEqual({ contents: 'read' })
    expect(commenter.on).toEqual({ workflow_run: { workflows: [pullRequest.name], types: ['completed'] } })
    expect(commenter.permissions).toEqual({ actions: 'read', 'pull-requests': 'write' })
  })

  it('runs the action with inputs it has, keeps the comment from the output it sets, and downloads the artifact it uploads', () => {
    const steps = pullRequest.jobs.plan.steps
    const migrate = steps.find((s) => s.uses?.startsWith('org/pg-migrate-action@'))!
    for (const input of Object.keys(migrate.with ?? {})) expect(Object.keys(INPUTS)).toContain(input)
    expect(migrate.with?.['pr-comment']).toBe('never')
    expect(Object.keys(action.outputs)).toContain('pr-comment-path')
    expect(steps.find((s) => s.run)?.env?.COMMENT).toBe(`\${{ steps.${migrate.id}.outputs.pr-comment-path }}`)
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!
    const download = commenter.jobs.comment.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'))!
    expect(download.with?.name).toBe(upload.with?.name)
    expect(download.with?.['run-id']).toBe('${{ github.event.workflow_run.id }}')
  })
})

describe('the recipe’s github-script, against a stand-in for the GitHub API', () => {
  const PR = 12
  let api: FakeGitHubApi
  let temp: string

  beforeEach(async () => {
    clearSecretsForTests()
    api = new FakeGitHubApi(TOKEN)
    await api.start()
    temp = mkdtempSync(join(tmpdir(), 'pgma-recipe-'))
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
  })
  afterEach(async () => {
    jest.restoreAllMocks()
    await api.stop()
    rmSync(temp, { recursive: true, force: true })
  })

  /** The comment file the action writes in the fork's pull request job (pr-comment: never), as the artifact holds it. */
  async function artifact(mode: RunReport['mode']): Promise<string> {
    const event = join(temp, 'event.json')
    writeFileSync(
      event,
      JSON.stringify({ number: PR, pull_request: { number: PR, head: { sha: 'f00d', repo: { full_name: 'someone/app' } }, base: { repo: { full_name: 'octo/app' } } } })
    )
    const env = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: 'octo/app', GITHUB_WORKFLOW: 'migrations', GITHUB_JOB: 'plan', RUNNER_TEMP: temp }
    const inputs: Partial<Record<InputName, string>> = { 'pr-comment': 'never', 'github-token': 'ghs_readOnlyForkToken', 'migrations-path': 'db/migrations' }
    const report: RunReport = {
      status: 'success',
      mode,
      startedAt: new Date(0),
      durationMs: 1,
      stages: [],
      problems: [],
      warnings: [],
      state: { current: [], applied: [], versionTableExists: false, problems: [] },
      pending: []
    }
    const before = api.requests.length
    await commentOnPullRequest(report, (name) => inputs[name] ?? '', { env })
    expect(api.requests.length).toBe(before)
    return readFileSync(join(temp, 'pg-migrate-action', 'pr-comment-local-' + process.pid + '.md'), 'utf8')
  }

  /** The script as actions/github-script runs it: an async function of github, context, core and require. */
  async function runScript(body: string | undefined, workflowRun: Record<string, unknown>): Promise<{ info: string[]; warnings: string[] }> {
    const step = commenter.jobs.comment.steps.find((s) => s.uses?.startsWith('actions/github-script@'))!
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<unknown>
    const script = new AsyncFunction('github', 'context', 'core', 'require', String(step.with?.script))
    const info: string[] = []
    const warnings: string[] = []
    const realRequire = createRequire(import.meta.url)
    // The downloaded artifact, where the script reads it (the job's working directory).
    const fs = { existsSync: (p: string) => p === 'pr-comment/body.md' && body !== undefined, readFileSync: () => body }
    await script(
      getOctokit(TOKEN, { baseUrl: api.url }),
      { repo: { owner: 'octo', repo: 'app' }, payload: { workflow_run: workflowRun } },
      { info: (m: string) => info.push(m), warning: (m: string) => warnings.push(m) },
      (name: string) => (name === 'fs' ? fs : realRequire(name))
    )
    return { info, warnings }
  }

  const forkRun = { pull_requests: [], head_sha: 'f00d', head_branch: 'feature', head_repository: { owner: { login: 'someone' } } }

  it('finds the fork’s pull request from the event, posts the comment, then edits it in place', async () => {
    api.pullRequests.push({ number: PR, head: { sha: 'f00d', ref: 'feature', label: 'someone:feature' } })
    api.seed(PR, ['looks good', 'quoting it: <!-- pg-migrate-action:pr-comment workflow=migrations job=plan path=db%2Fmigrations -->'])
    const first = await artifact('plan')
    expect(await runScript(first, forkRun)).toEqual({ info: [], warnings: [] })
    await runScript(await artifact('validate'), forkRun)
    const ours = api.commentsOn(PR).filter((c) => c.user.type === 'Bot')
    expect(ours).toHaveLength(1)
    expect(ours[0].body).toContain('pg-migrate-action · validate: chain valid')
    expect(ours[0].body.split('\n')[0]).toBe(first.split('\n')[0])
    // People's comments are left alone.
    expect(
      api
        .commentsOn(PR)
        .filter((c) => c.user.type !== 'Bot')
        .map((c) => c.body)
    ).toEqual(['looks good', 'quoting it: <!-- pg-migrate-action:pr-comment workflow=migrations job=plan path=db%2Fmigrations -->'])
  })

  it('edits the comment the action posted itself (same repository pull requests), and takes the number from the event', async () => {
    api.seed(PR, [await artifact('plan')], { login: 'github-actions[bot]', type: 'Bot' })
    await runScript(await artifact('validate'), { ...forkRun, pull_requests: [{ number: PR }] })
    expect(api.commentsOn(PR)).toHaveLength(1)
    expect(api.commentsOn(PR)[0].body).toContain('validate: chain valid')
  })

  it('posts nothing without an artifact, refuses a file that is not the action’s comment, and warns without an open pull request', async () => {
    expect(await runScript(undefined, forkRun)).toEqual({ info: ['No pull request comment to post.'], warnings: [] })
    await expect(runScript('@everyone hello', forkRun)).rejects.toThrow('The artifact is not a pg-migrate-action pull request comment.')
    expect((await runScript(await artifact('plan'), forkRun)).warnings).toEqual(['No open pull request has the head commit f00d.'])
    expect(api.comments).toEqual([])
  })
})
