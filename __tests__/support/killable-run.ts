import type { ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error -- plain ESM script without type declarations
import { runAction } from '../../scripts/run-action.mjs'
import { LOCK_KEY } from '../../src/lock.js'
import type { ActionRun } from './action-run.js'
import { withClient } from './database.js'

/**
 * The bundle started as the runner starts it, to be signalled (a runner's cancel: SIGINT, SIGTERM)
 * or killed (`kill -9`) mid-run, and the database then checked for what it left behind.
 */
export interface StartedRun {
  child: ChildProcess
  /** Resolves when the process has exited, with its summary and outputs as far as it wrote them. */
  result: Promise<ActionRun>
  /** stdout and stderr so far. */
  output(): string
  /** The private TMPDIR the run was given, to check it leaves nothing there. */
  tmp: string
}

export function startAction(options: { inputs: Record<string, string>; cwd: string; env?: Record<string, string> }): StartedRun {
  const tmp = mkdtempSync(join(tmpdir(), 'pgma-killable-tmp-'))
  let child: ChildProcess | undefined
  let output = ''
  const result = runAction({
    ...options,
    env: { TMPDIR: tmp, ...options.env },
    onSpawn: (c: ChildProcess) => {
      child = c
      c.stderr?.on('data', (d: Buffer) => (output += String(d)))
    },
    onStdout: (s: string) => (output += s)
  }) as Promise<ActionRun>
  return { child: child!, result, output: () => output, tmp }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

/** The pid of the backend running a statement that contains `text`, on the test's database. */
export async function backendRunning(url: string, text: string): Promise<{ pid: number; app: string } | undefined> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ pid: number; app: string }>(
      `SELECT pid, application_name AS app FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND strpos(query, $1) > 0`,
      [text]
    )
    return rows[0]
  })
}

/** Every session the action may have opened that is still on the test's database: lock, migration, Alembic, its own. */
export async function actionSessions(url: string): Promise<{ pid: number; app: string; state: string }[]> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ pid: number; app: string; state: string }>(
      `SELECT pid, application_name AS app, state FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name LIKE 'pg-migrate-action%' ORDER BY pid`
    )
    return rows
  })
}

/** Waits until no session of the action is left on the test's database. */
export async function noActionSessionsLeft(url: string, timeoutMs = 15_000): Promise<void> {
  await waitFor('the action’s sessions to end', async () => ((await actionSessions(url)).length === 0 ? true : undefined), timeoutMs)
}

/** Holders of the migration lock on the test's database. */
export async function lockHolders(url: string): Promise<number[]> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [...LOCK_KEY]
    )
    return rows.map((r) => r.pid)
  })
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * A `python` input that records the pid of every interpreter it starts. `exec` keeps the pid (the
 * interpreter is the action's child, PR_SET_PDEATHSIG applies); `fork` runs it as the wrapper's child,
 * as a wrapper script without exec does, so only the stdin watchdog can end it with the action (fd 3:
 * a background job's stdin is /dev/null otherwise).
 */
export class RecordingPython {
  readonly dir = mkdtempSync(join(tmpdir(), 'pgma-recording-python-'))
  readonly path = join(this.dir, 'python3')
  private readonly starts = join(this.dir, 'starts')

  constructor(python: string, how: 'exec' | 'fork') {
    const run =
      how === 'exec' ? `echo $$ >> '${this.starts}'\nexec '${python}' "$@"` : `exec 3<&0\n'${python}' "$@" <&3 3<&- &\nchild=$!\necho $child >> '${this.starts}'\nwait $child`
    writeFileSync(this.path, `#!/bin/sh\n${run}\n`)
    chmodSync(this.path, 0o755)
  }

  /** The interpreters' pids, in start order. */
  pids(): number[] {
    return existsSync(this.starts) ? readFileSync(this.starts, 'utf8').trim().split('\n').filter(Boolean).map(Number) : []
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}

/** What is left in a directory (the run's TMPDIR after it ended). */
export function leftIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : []
}
