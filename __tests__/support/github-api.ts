import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A stand-in for the part of GitHub's REST API the pull request comment uses, on loopback: list an
 * issue's comments (paged, with a Link header, as GitHub does), create, update and delete one, and
 * list open pull requests by head. It
 * checks the token, records every request, and fails the requests a test asks it to.
 */

export interface StoredComment {
  id: number
  issue: number
  body: string
  user: { login: string; type: string }
}

export interface RecordedRequest {
  method: string
  /** Path and query, without the API's base path. */
  url: string
  authorization?: string
  body: string
}

interface Fault {
  method?: string
  status: number
  message: string
  /** How many matching requests fail; Infinity for all. */
  times: number
}

export class FakeGitHubApi {
  readonly comments: StoredComment[] = []
  readonly requests: RecordedRequest[] = []
  /** Open pull requests, for `GET /repos/{repo}/pulls?head=owner:branch` (the fork recipe looks its pull request up there). */
  readonly pullRequests: { number: number; head: { sha: string; ref: string; label: string } }[] = []
  private readonly faults: Fault[] = []
  private nextId = 1000
  private server?: Server

  /** @param basePath GitHub Enterprise Server serves its API under `/api/v3`. */
  constructor(
    readonly token: string,
    readonly repository = 'octo/app',
    private readonly basePath = ''
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
      req.on('end', () => this.handle(req, res, body))
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    return this.url
  }

  get url(): string {
    const { port } = this.server!.address() as AddressInfo
    return `http://127.0.0.1:${port}${this.basePath}`
  }

  async stop(): Promise<void> {
    const server = this.server
    if (!server) return
    // undici keeps connections alive; close would wait for them.
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** Comments already on a pull request, e.g. a long discussion. */
  seed(issue: number, bodies: string[], user = { login: 'reviewer', type: 'User' }): void {
    for (const body of bodies) this.comments.push({ id: this.nextId++, issue, body, user })
  }

  /** The next `times` requests (of `method`, when given) fail with `status`; status 0: never answered. */
  fail(status: number, options: { method?: string; times?: number; message?: string } = {}): void {
    this.faults.push({ status, method: options.method, times: options.times ?? Infinity, message: options.message ?? 'Resource not accessible by integration' })
  }

  commentsOn(issue: number): StoredComment[] {
    return this.comments.filter((c) => c.issue === issue)
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const route = url.pathname.startsWith(this.basePath) ? url.pathname.slice(this.basePath.length) : url.pathname
    this.requests.push({ method: req.method ?? '', url: route + url.search, authorization: req.headers.authorization, body })
    const send = (status: number, data?: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
      res.end(data === undefined ? undefined : JSON.stringify(data))
    }
    if (req.headers.authorization !== `token ${this.token}`) return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' })
    const fault = this.faults.find((f) => f.times > 0 && (!f.method || f.method === req.method))
    if (fault) {
      fault.times--
      if (fault.status === 0) return
      return send(fault.status, { message: fault.message, documentation_url: 'https://docs.github.com/rest/issues/comments' })
    }
    const repo = `/repos/${this.repository}`
    if (route === `${repo}/pulls` && req.method === 'GET') {
      const head = url.searchParams.get('head')
      return send(
        200,
        this.pullRequests.filter((p) => !head || p.head.label === head)
      )
    }
    const list = new RegExp(`^${repo}/issues/(\\d+)/comments$`).exec(route)
    const one = new RegExp(`^${repo}/issues/comments/(\\d+)$`).exec(route)
    if (list && req.method === 'GET') return this.list(Number(list[1]), url, send)
    if (list && req.method === 'POST') {
      const comment = { id: this.nextId++, issue: Number(list[1]), body: (JSON.parse(body) as { body: string }).body, user: { login: 'github-actions[bot]', type: 'Bot' } }
      this.comments.push(comment)
      return send(201, this.view(comment))
    }
    const index = one ? this.comments.findIndex((c) => c.id === Number(one[1])) : -1
    if (one && index < 0) return send(404, { message: 'Not Found' })
    if (one && req.method === 'PATCH') {
      this.comments[index].body = (JSON.parse(body) as { body: string }).body
      return send(200, this.view(this.comments[index]))
    }
    if (one && req.method === 'DELETE') {
      this.comments.splice(index, 1)
      return send(204)
    }
    send(404, { message: 'Not Found' })
  }

  private list(issue: number, url: URL, send: (status: number, data?: unknown, headers?: Record<string, string>) => void): void {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100)
    const page = Number(url.searchParams.get('page') ?? 1)
    const all = this.commentsOn(issue)
    const last = Math.max(1, Math.ceil(all.length / perPage))
    const link = (p: number, rel: string): string => `<${this.url}/repos/${this.repository}/issues/${issue}/comments?per_page=${perPage}&page=${p}>; rel="${rel}"`
    const links = [...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []), ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])]
    send(
      200,
      all.slice((page - 1) * perPage, page * perPage).map((c) => this.view(c)),
      links.length ? { link: links.join(', ') } : {}
    )
  }

  private view(c: StoredComment): Record<string, unknown> {
    return { id: c.id, body: c.body, user: c.user, html_url: `https://github.example/${this.repository}/pull/${c.issue}#issuecomment-${c.id}` }
  }
}
