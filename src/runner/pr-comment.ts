import * as core from '@actions/core'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { errorMessage, isActionError } from '../errors.js'
import { INPUTS, readCommentInputs, type CommentInputs, type InputReader } from '../inputs.js'
import { redact, registerSecret } from '../redact.js'
import { commentMarker, renderComment } from '../report/comment.js'
import type { RunReport } from '../report/model.js'
import { Outputs } from './outputs.js'

/**
 * The run's judgement as one comment on the pull request, edited in place on every run. Nothing here
 * may fail the step: the run's result is decided, and a comment that cannot be posted is a warning
 * that says why and what to change.
 */

export const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target']

/** Where the recipe for pull requests from forks lives, next to the README. */
const FORK_RECIPE = 'docs/recipes/pr-comment-from-fork.yml'

export interface CommentOptions {
  env?: NodeJS.ProcessEnv
  /** The n-th retry of a request that failed with a 5xx or on the network waits n² × this (3 retries). */
  retryBaseMs?: number
  /** All requests of the comment together. */
  timeoutMs?: number
}

interface PullRequestEvent {
  number?: number
  pull_request?: { number?: number; head?: { sha?: string; repo?: { full_name?: string } | null }; base?: { repo?: { full_name?: string } } }
}

export async function commentOnPullRequest(report: RunReport, read: InputReader, options: CommentOptions = {}): Promise<void> {
  const env = options.env ?? process.env
  if (!PULL_REQUEST_EVENTS.includes(env.GITHUB_EVENT_NAME ?? '')) return
  let inputs: CommentInputs
  try {
    inputs = readCommentInputs(read)
  } catch (error) {
    // Already the run's own error when the inputs stage stopped on it.
    const input = report.error?.location.input
    const hint = isActionError(error) && error.hint ? ` ${error.hint}` : ''
    if (input !== 'pr-comment' && input !== 'github-token') core.warning(redact(`No pull request comment: ${errorMessage(error)}${hint}`))
    return
  }
  registerSecret(inputs.githubToken)
  let pullRequest: number | undefined
  try {
    const event = readEvent(env)
    pullRequest = event.pull_request?.number ?? event.number
    // One comment per workflow, job and chain: the path as given, since the inputs may be what failed.
    const marker = commentMarker({
      workflow: env.GITHUB_WORKFLOW ?? '',
      job: env.GITHUB_JOB ?? '',
      migrationsPath: (read('migrations-path') ?? '').trim() || INPUTS['migrations-path'].default
    })
    const body = renderComment(report, { marker, runUrl: runUrl(env), commit: event.pull_request?.head?.sha })
    const file = writeCommentFile(body, env)
    if (file) core.setOutput(Outputs.PrCommentPath, file)
    if (inputs.prComment === 'never') return
    if (!inputs.githubToken) {
      core.warning(`No pull request comment: the input 'github-token' is empty (an unset secret, as on a pull request from a fork?). Accepted: ${INPUTS['github-token'].accepts}.`)
      return
    }
    if (!pullRequest) throw new Error(`the ${env.GITHUB_EVENT_NAME} event at GITHUB_EVENT_PATH names no pull request number`)
    const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
    if (!owner || !repo) throw new Error(`GITHUB_REPOSITORY is '${env.GITHUB_REPOSITORY ?? ''}', not owner/repository`)
    // Octokit and undici load here only, in a chunk of their own: runs outside pull requests never pay for them.
    const { upsertComment } = await import('./github-comments.js')
    const result = await upsertComment({
      apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
      token: inputs.githubToken,
      owner,
      repo,
      issueNumber: pullRequest,
      marker,
      body,
      retryBaseMs: options.retryBaseMs ?? 1000,
      timeoutMs: options.timeoutMs ?? 60_000
    })
    core.info(redact(`Pull request comment ${result.action}: ${result.url}`))
  } catch (error) {
    core.warning(redact(commentFailure(error, pullRequest, env)))
  }
}

function readEvent(env: NodeJS.ProcessEnv): PullRequestEvent {
  const file = env.GITHUB_EVENT_PATH
  if (!file || !existsSync(file)) return {}
  return JSON.parse(readFileSync(file, 'utf8')) as PullRequestEvent
}

/** The run's page, with its job summaries; the attempt's own page when the run was re-run. */
export function runUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (!env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID) return undefined
  const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''
  return `${(env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${attempt}`
}

/** The comment as a file (the pr-comment-path output), for a workflow_run job to post when this one may not. */
function writeCommentFile(body: string, env: NodeJS.ProcessEnv): string | undefined {
  try {
    const dir = join(env.RUNNER_TEMP || tmpdir(), 'pg-migrate-action')
    mkdirSync(dir, { recursive: true })
    const file = join(dir, `pr-comment-${env.GITHUB_RUN_ID ?? 'local'}-${env.GITHUB_ACTION ?? process.pid}.md`)
    writeFileSync(file, body)
    return file
  } catch (error) {
    core.warning(redact(`Could not write the pull request comment's file: ${errorMessage(error)}`))
    return undefined
  }
}

/** Why the comment was not posted, and what to change; the run's own result stands. */
function commentFailure(error: unknown, pullRequest: number | undefined, env: NodeJS.ProcessEnv): string {
  const status = (error as { status?: number }).status
  const target = `pull request #${pullRequest ?? '?'}`
  const said = errorMessage(error).split(' - https://')[0]
  const unaffected = ' The run itself is not affected; its job summary has the full report.'
  if ((error as { timedOut?: boolean }).timedOut) return `Could not comment on ${target}: ${said}.${unaffected}`
  if (status === 403 && /rate limit/i.test(said)) return `Could not comment on ${target}: GitHub's API rate limit was hit (${said}).${unaffected}`
  if (status === 403) {
    const fork = forkOf(env)
    return (
      `Could not comment on ${target}: GitHub answered 403 (${said}). The job's token needs the permission \`pull-requests: write\` ` +
      `(add \`permissions: { contents: read, pull-requests: write }\` to the job). ` +
      (fork
        ? `This pull request comes from the fork ${fork}, and on pull_request events from forks the token is read-only whatever the workflow asks; `
        : 'On pull requests from forks the token is read-only whatever the workflow asks: ') +
      `set pr-comment: never there and post the comment from a workflow_run job instead, as in ${recipeUrl(env)}.${unaffected}`
    )
  }
  if (status === 401)
    return `Could not comment on ${target}: GitHub refused the input 'github-token' (401: ${said}); give a valid token, or leave the default, the job's token.${unaffected}`
  if (status === 404) {
    return `Could not comment on ${target}: GitHub answered 404 (${said}): the token cannot see ${env.GITHUB_REPOSITORY ?? 'the repository'}, or GITHUB_API_URL (${env.GITHUB_API_URL ?? 'unset'}) is not its API.${unaffected}`
  }
  if (status !== undefined && status >= 500) return `Could not comment on ${target}: GitHub's API failed with ${status} (${said}), also after 3 retries.${unaffected}`
  return `Could not comment on ${target}: ${said}.${unaffected}`
}

/** The fork a pull_request event's head comes from, when it is not the base repository. */
function forkOf(env: NodeJS.ProcessEnv): string | undefined {
  try {
    const pr = readEvent(env).pull_request
    const head = pr?.head?.repo?.full_name
    return head && head !== pr?.base?.repo?.full_name ? head : undefined
  } catch {
    return undefined
  }
}

function recipeUrl(env: NodeJS.ProcessEnv): string {
  const repository = env.GITHUB_ACTION_REPOSITORY
  if (!repository) return `${FORK_RECIPE} in pg-migrate-action's repository`
  return `${(env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')}/${repository}/blob/${env.GITHUB_ACTION_REF || 'main'}/${FORK_RECIPE}`
}
