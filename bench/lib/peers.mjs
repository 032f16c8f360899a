// Peer tools measured in the same run on the same server. Each one is detected, never assumed:
// an unavailable peer is reported with the reason and left out of the ratios.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { benchDir, repoRoot } from './common.mjs'

const peersDir = join(benchDir, '.peers', 'node_modules')

/** Alembic runs under the system Python that has SQLAlchemy + psycopg2; a newer stack may be put first on PYTHONPATH. */
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3'
const defaultAlembicPath = join(repoRoot, '.cache', 'alembic-trixie', 'usr', 'lib', 'python3', 'dist-packages')
const ALEMBIC_PYTHONPATH = process.env.BENCH_ALEMBIC_PYTHONPATH ?? (existsSync(defaultAlembicPath) ? defaultAlembicPath : '')

function withParam(url, key, value) {
  const u = new URL(url)
  u.searchParams.set(key, value)
  return u.toString()
}

function tryRun(cmd, args, env = {}) {
  try {
    return { ok: true, out: execFileSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }).trim() }
  } catch (error) {
    return {
      ok: false,
      out: String(error.stderr || error.message)
        .trim()
        .split('\n')
        .slice(-1)[0]
    }
  }
}

/**
 * @returns {Array<{ name: string, available: boolean, version?: string, reason?: string, note?: string,
 *   migrate?: (url: string, chains: object) => { command: string, args: string[], env?: object, cwd?: string },
 *   wait?: (url: string) => { command: string, args: string[], env?: object } }>}
 */
export function detectPeers() {
  const peers = []
  const setupHint = 'run `bash bench/setup-peers.sh`'

  // dbmate: the Go binary from the npm package's platform package, called directly (the npm `dbmate`
  // bin is a Node wrapper that would add Node's start-up to every call).
  const arch = { x64: 'x64', arm64: 'arm64', arm: 'arm', ia32: 'ia32' }[process.arch]
  const dbmate = join(peersDir, '@dbmate', `${process.platform}-${arch}`, 'bin', 'dbmate')
  if (existsSync(dbmate)) {
    const v = tryRun(dbmate, ['--version'])
    peers.push({
      name: 'dbmate',
      available: v.ok,
      version: v.ok ? v.out.replace(/^dbmate version /, '') : undefined,
      reason: v.ok ? undefined : v.out,
      note: 'one transaction per migration; sslmode=disable (lib/pq would otherwise require TLS)',
      migrate: (url, chains) => ({ command: dbmate, args: ['--url', withParam(url, 'sslmode', 'disable'), '--migrations-dir', chains.dbmateDir, '--no-dump-schema', 'up'] }),
      // `dbmate wait` polls once a second until the database accepts a connection.
      wait: (url) => ({ command: dbmate, args: ['--url', withParam(url, 'sslmode', 'disable'), '--wait-timeout', '60s', 'wait'] })
    })
  } else {
    peers.push({ name: 'dbmate', available: false, reason: `not installed in bench/.peers (${setupHint})` })
  }

  // node-pg-migrate: SQL migrations, defaults (all pending migrations in one transaction).
  const npmBin = join(peersDir, 'node-pg-migrate', 'bin', 'node-pg-migrate.js')
  if (existsSync(npmBin)) {
    const version = JSON.parse(readFileSync(join(peersDir, 'node-pg-migrate', 'package.json'), 'utf8')).version
    peers.push({
      name: 'node-pg-migrate',
      available: true,
      version,
      note: 'defaults: all pending migrations in one transaction, --verbose off',
      migrate: (url, chains) => ({ command: process.execPath, args: [npmBin, 'up', '-m', chains.npmDir, '--verbose', 'false'], env: { DATABASE_URL: url } })
    })
  } else {
    peers.push({ name: 'node-pg-migrate', available: false, reason: `not installed in bench/.peers (${setupHint})` })
  }

  // Alembic: `python -m alembic upgrade head` on an equivalent chain of op.execute revisions.
  // No bytecode cache for the generated revisions: a CI checkout has no __pycache__ for them either, so
  // every real run compiles them (the same for the action driving Alembic, see migrations.mjs).
  const env = { PYTHONPATH: ALEMBIC_PYTHONPATH, PYTHONDONTWRITEBYTECODE: '1' }
  const v = tryRun(PYTHON, ['-c', 'import alembic, sqlalchemy, psycopg2; print(alembic.__version__, "/ SQLAlchemy", sqlalchemy.__version__)'], env)
  if (v.ok) {
    peers.push({
      name: 'alembic',
      available: true,
      version: v.out,
      python: PYTHON,
      pythonPath: ALEMBIC_PYTHONPATH,
      note: 'generic env.py: all pending revisions in one transaction; psycopg2; PYTHONDONTWRITEBYTECODE=1 (as in a fresh checkout)',
      migrate: (url, chains) => ({ command: PYTHON, args: ['-m', 'alembic', 'upgrade', 'head'], cwd: chains.alembicDir, env: { ...env, DATABASE_URL: url } })
    })
  } else {
    peers.push({ name: 'alembic', available: false, reason: `${PYTHON} cannot import alembic/sqlalchemy/psycopg2: ${v.out}` })
  }
  return peers
}

export const alembicEnv = { python: PYTHON, pythonPath: ALEMBIC_PYTHONPATH, env: { PYTHONPATH: ALEMBIC_PYTHONPATH, PYTHONDONTWRITEBYTECODE: '1' } }
