// Shared helpers for the benchmarks: timing child processes, statistics, databases, machine facts.
import { spawn, execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { cpus, loadavg, release } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { repoRoot } from '../../scripts/run-action.mjs'

export { repoRoot }
export const benchDir = join(repoRoot, 'bench')
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin'
/** The server's own psql, not Debian's /usr/bin/psql wrapper (a Perl script that adds ~30 ms per call). */
export const PSQL = join(PG_BIN, 'psql')

/** Wall clock with sub-millisecond resolution, comparable across processes on this machine. */
export const wallNow = () => performance.timeOrigin + performance.now()

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Runs a command to completion and measures its wall time from spawn to exit.
 * @returns {Promise<{ ms: number, code: number, stdout: string, stderr: string }>}
 */
export function timeProcess(command, args, { env = {}, cwd = repoRoot, inheritEnv = true } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { cwd, env: { ...(inheritEnv ? process.env : {}), ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ ms: performance.now() - started, code: code ?? -1, stdout, stderr }))
  })
}

/** Throws with the tool's output when a timed run did not succeed: a failed run is not a fast run. */
export function mustSucceed(label, result) {
  if (result.code !== 0) {
    const out = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-15).join('\n')
    throw new Error(`${label} exited with ${result.code}:\n${out}`)
  }
  return result
}

// ---------------------------------------------------------------------------------------------
// Statistics

/** Linear-interpolated quantile (numpy's default), q in [0, 1]. */
export function quantile(samples, q) {
  if (samples.length === 0) return NaN
  const s = [...samples].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return s[lo] + (s[hi] - s[lo]) * (pos - lo)
}

export function summarize(samples) {
  return {
    n: samples.length,
    median: quantile(samples, 0.5),
    p90: quantile(samples, 0.9),
    min: samples.length ? Math.min(...samples) : NaN,
    max: samples.length ? Math.max(...samples) : NaN,
    samples: samples.map((x) => Math.round(x * 10) / 10)
  }
}

// ---------------------------------------------------------------------------------------------
// Databases

export function adminUrl() {
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL
  if (!url) {
    throw new Error('Set BENCH_DATABASE_URL or TEST_DATABASE_URL to a superuser URL (bash scripts/provision-postgres.sh prints one).')
  }
  return url
}

export function urlFor(base, database) {
  const u = new URL(base)
  u.pathname = '/' + database
  return u.toString()
}

export async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** A fresh database with pgvector already created in it (so every tool starts from the same state). */
export async function createDatabase(admin, name) {
  await withClient(admin, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await c.query(`CREATE DATABASE ${name}`)
  })
  const url = urlFor(admin, name)
  await withClient(url, (c) => c.query('CREATE EXTENSION IF NOT EXISTS vector'))
  return url
}

export async function dropDatabase(admin, name) {
  await withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
}

export async function dropBenchDatabases(admin) {
  await withClient(admin, async (c) => {
    const { rows } = await c.query(`SELECT datname FROM pg_database WHERE datname LIKE 'pgma_bench_%'`)
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`)
  })
}

export async function countTables(url, prefix) {
  return withClient(url, async (c) => {
    const { rows } = await c.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE $1`, [prefix + '%'])
    return rows[0].n
  })
}

// ---------------------------------------------------------------------------------------------
// Machine facts

export async function machineFacts(admin) {
  const server = await withClient(admin, async (c) => {
    const { rows } = await c.query(
      `SELECT current_setting('server_version') AS version,
              (SELECT default_version FROM pg_available_extensions WHERE name = 'vector') AS vector,
              current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit`
    )
    return rows[0]
  })
  const dist = join(repoRoot, 'dist', 'index.js')
  let commit
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim()
  } catch {
    commit = 'unknown'
  }
  return {
    date: new Date().toISOString(),
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    os: `${process.platform} ${release()}`,
    node: process.version,
    postgres: server.version,
    pgvector: server.vector,
    serverSettings: { fsync: server.fsync, synchronous_commit: server.synchronous_commit },
    /** Other work on the machine skews every number; recorded at the start and end of the run. */
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
    commit,
    dist: existsSync(dist)
      ? { sha256: createHash('sha256').update(readFileSync(dist)).digest('hex').slice(0, 12), bytes: statSync(dist).size, mtime: statSync(dist).mtime.toISOString() }
      : null
  }
}
