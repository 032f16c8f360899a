import { getOctokit } from '@actions/github'
import { defaults } from '@actions/github/lib/utils'
import { retry } from '@octokit/plugin-retry'

/**
 * The GitHub side of the pull request comment, through octokit. Loaded only when a comment is posted
 * (its own chunk of the bundle): octokit and undici would cost every other run their start-up.
 */

export interface UpsertRequest {
  /** GITHUB_API_URL: api.github.com, or a GitHub Enterprise Server's `/api/v3`. */
  apiUrl: string
  token: string
  owner: string
  repo: string
  issueNumber: number
  /** The body's first line, which finds the comment again. */
  marker: string
  body: string
  /** The n-th retry of a failed request (5xx, network) waits n² × this. */
  retryBaseMs: number
  /** For all requests together, retries included: a hung API must not hold the job. */
  timeoutMs: number
}

export interface UpsertResult {
  action: 'created' | 'updated'
  id: number
  url: string
}

type Octokit = ReturnType<typeof getOctokit>
interface IssueComment {
  id: number
  body?: string
  html_url: string
}

/** Edits this chain's comment in place, or creates it; never leaves two. Throws `{ timedOut: true }` past the deadline. */
export async function upsertComment(request: UpsertRequest): Promise<UpsertResult> {
  const signal = AbortSignal.timeout(request.timeoutMs)
  try {
    return await upsert(request, signal)
  } catch (error) {
    // The abort reaches octokit as a network error (status 500, "Unknown Error"): say what it was.
    if (signal.aborted) throw Object.assign(new Error(`GitHub's API did not answer within ${request.timeoutMs / 1000} s`), { timedOut: true })
    throw error
  }
}

async function upsert(request: UpsertRequest, signal: AbortSignal): Promise<UpsertResult> {
  const octokit = getOctokit(
    request.token,
    {
      baseUrl: request.apiUrl.replace(/\/+$/, ''),
      // The defaults carry the runner's proxy settings; given `request` options replace them whole.
      request: { ...defaults.request, signal },
      retry: { retryAfterBaseValue: request.retryBaseMs }
    },
    retry
  )
  const where = { owner: request.owner, repo: request.repo, issue_number: request.issueNumber }
  const [existing] = await markedComments(octokit, where, request.marker, { first: true })
  if (existing) {
    const { data } = await octokit.rest.issues.updateComment({ owner: request.owner, repo: request.repo, comment_id: existing.id, body: request.body })
    return { action: 'updated', id: data.id, url: data.html_url }
  }
  const { data: created } = await octokit.rest.issues.createComment({ ...where, body: request.body })
  // Two runs that both found none, or a create retried after it had in fact succeeded, leave two:
  // every run that created one keeps the oldest (with its own body) and deletes the others.
  const marked = await markedComments(octokit, where, request.marker, { first: false })
  const oldest = marked.reduce<IssueComment>((min, c) => (c.id < min.id ? c : min), { id: created.id, html_url: created.html_url })
  for (const extra of marked.filter((c) => c.id !== oldest.id)) {
    await octokit.rest.issues.deleteComment({ owner: request.owner, repo: request.repo, comment_id: extra.id }).catch((error: unknown) => {
      // Another run deleted it first.
      if ((error as { status?: number }).status !== 404) throw error
    })
  }
  if (oldest.id === created.id) return { action: 'created', id: created.id, url: created.html_url }
  const { data } = await octokit.rest.issues.updateComment({ owner: request.owner, repo: request.repo, comment_id: oldest.id, body: request.body })
  return { action: 'updated', id: data.id, url: data.html_url }
}

/** The comments whose body starts with the marker, oldest first, paging through all of the pull request's comments (100 a page). */
async function markedComments(
  octokit: Octokit,
  where: { owner: string; repo: string; issue_number: number },
  marker: string,
  { first }: { first: boolean }
): Promise<IssueComment[]> {
  const found: IssueComment[] = []
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, { ...where, per_page: 100 })) {
    found.push(...page.data.filter((c) => c.body?.startsWith(marker)))
    if (first && found.length > 0) break
  }
  return found
}
