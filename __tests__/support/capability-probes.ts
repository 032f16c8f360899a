import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

/**
 * What the test suites may need beyond Node, each probed once per jest run (in globalSetup, see
 * capabilities-setup.ts) rather than assumed from an environment variable being set: a URL that is
 * set but points at a stopped server, or a Python without Alembic, must skip with its reason
 * locally and fail under CI — not fail deep inside a test.
 */
export const CAPABILITIES = {
  database: 'a PostgreSQL server with pgvector at TEST_DATABASE_URL',
  pglite: 'the embedded PGlite server (PostgreSQL in WebAssembly, with pgvector), standing in when TEST_DATABASE_URL is unset',
  'database-or-pglite': 'a PostgreSQL with pgvector: the server at TEST_DATABASE_URL or, when that is unset, the embedded PGlite server',
  'database-socket': "the unix socket of TEST_DATABASE_URL's server, on this machine",
  alembic: "Python's Alembic and psycopg2, importable by the test Python",
  'alembic-1.13': 'Alembic 1.13+ with SQLAlchemy 2.0 on TEST_ALEMBIC_NEW_PYTHONPATH',
  'python-venv': 'the venv module and pip (ensurepip) in the test Python',
  'scratch-server': 'PostgreSQL server binaries with pgvector, to start throwaway clusters',
  node24: 'a Node 24 binary at TEST_NODE24, the runtime action.yml declares',
  'pg-dump': "pg_dump and pg_restore on PATH (postgresql-client of the server's major version), for the backup tests",
  'tmpfs-mount': 'root or passwordless sudo, allowed to mount a small tmpfs (mount -t tmpfs), to give the backup a read-only or full RUNNER_TEMP'
} as const

export type Capability = keyof typeof CAPABILITIES

/** Whether a capability is there, and if not, why — phrased so that it tells a developer what to set or install. */
export type Probe = { available: true } | { available: false; reason: string }

export type Probes = Record<Capability, Probe>

/** The environment variable that carries the probes from globalSetup to the test files. */
export const CAPABILITIES_VARIABLE = 'PGMA_TEST_CAPABILITIES'

/** The interpreter the Alembic tests run; Debian's python3-alembic lives under /usr/bin/python3. */
export const PYTHON = process.env.TEST_ALEMBIC_PYTHON ?? '/usr/bin/python3'
export const NEW_PYTHONPATH = process.env.TEST_ALEMBIC_NEW_PYTHONPATH

/** PG_BIN, or the newest /usr/lib/postgresql/<major>/bin that has initdb (Debian and Ubuntu's layout). */
export function findPgBin(): string | undefined {
  if (process.env.PG_BIN) return process.env.PG_BIN
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const majors = readdirSync(root)
    .filter((major) => existsSync(join(root, major, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return majors.length > 0 ? join(root, majors[0], 'bin') : undefined
}

const available: Probe = { available: true }
const missing = (reason: string): Probe => ({ available: false, reason })

/** Where the PGlite data-directory template is kept between runs (gitignored, like the provisioned tools). */
export const PGLITE_CACHE = fileURLToPath(new URL('../../.cache', import.meta.url))

export async function probeCapabilities(): Promise<Probes> {
  const database = await probeDatabase()
  const pglite = await probePglite()
  return {
    ...database,
    pglite,
    'database-or-pglite': eitherOf(database.database, pglite),
    alembic: probePython(PYTHON, undefined, 'import alembic, sqlalchemy, psycopg2'),
    'alembic-1.13': NEW_PYTHONPATH
      ? probePython(PYTHON, NEW_PYTHONPATH, "import alembic, sqlalchemy, psycopg2; assert tuple(map(int, alembic.__version__.split('.')[:2])) >= (1, 13), alembic.__version__")
      : missing('TEST_ALEMBIC_NEW_PYTHONPATH is not set'),
    'python-venv': probePython(PYTHON, undefined, 'import venv, ensurepip'),
    'scratch-server': probeScratchServer(),
    node24: probeNode24(),
    'pg-dump': probePgDump(),
    'tmpfs-mount': probeTmpfsMount()
  }
}

async function probeDatabase(): Promise<Pick<Probes, 'database' | 'database-socket'>> {
  const url = process.env.TEST_DATABASE_URL
  const unusable = (reason: string) => ({ database: missing(reason), 'database-socket': missing(reason) })
  if (!url) return unusable('TEST_DATABASE_URL is not set')
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
  try {
    await client.connect()
    const { rows } = await client.query<{ vector: boolean; dir: string }>(
      "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS vector, split_part(current_setting('unix_socket_directories'), ',', 1) AS dir"
    )
    if (!rows[0].vector) return unusable('the server at TEST_DATABASE_URL has no pgvector (vector is not in pg_available_extensions)')
    // A server in a container listens on a socket inside it, unless its socket directory is mounted here.
    const socket = join(rows[0].dir, `.s.PGSQL.${new URL(url).port || 5432}`)
    return { database: available, 'database-socket': existsSync(socket) ? available : missing(`${socket} does not exist here (a server in a container?)`) }
  } catch (error) {
    return unusable(`the server at TEST_DATABASE_URL does not answer: ${(error as Error).message}`)
  } finally {
    await client.end().catch(() => undefined)
  }
}

function eitherOf(first: Probe, second: Probe): Probe {
  if (first.available || second.available) return available
  return missing(`${first.reason}; PGlite: ${second.reason}`)
}

/**
 * PGlite stands in only when no server was named: a URL that is set but does not answer is a
 * mistake to report, not a reason to test something else. Writes the data-directory template each
 * test database starts from (once per PGlite version; it is what makes a database cost one load
 * instead of one initdb).
 */
async function probePglite(): Promise<Probe> {
  if (process.env.TEST_DATABASE_URL) return missing('TEST_DATABASE_URL is set, so the real server is used instead')
  try {
    // @ts-expect-error -- a plain ESM script without type declarations
    const { pgliteTemplatePath, writePgliteTemplate } = await import('../../scripts/pglite-server.mjs')
    await writePgliteTemplate(pgliteTemplatePath(PGLITE_CACHE))
    return available
  } catch (error) {
    return missing(`PGlite does not start: ${(error as Error).message}`)
  }
}

function probePython(python: string, pythonPath: string | undefined, code: string): Probe {
  const env = { ...process.env }
  if (pythonPath) env.PYTHONPATH = pythonPath
  else delete env.PYTHONPATH
  const result = spawnSync(python, ['-c', code], { env, encoding: 'utf8', timeout: 30_000 })
  if (result.error) return missing(`${python} cannot be started (${(result.error as NodeJS.ErrnoException).code ?? result.error.message}); set TEST_ALEMBIC_PYTHON`)
  if (result.status === 0) return available
  const lastLine = result.stderr.trim().split('\n').pop() ?? `exit code ${result.status}`
  return missing(`${python}${pythonPath ? ` with PYTHONPATH=${pythonPath}` : ''}: ${lastLine}`)
}

function probeScratchServer(): Probe {
  const bin = findPgBin()
  if (!bin) return missing('no initdb under /usr/lib/postgresql/*/bin; set PG_BIN')
  if (!existsSync(join(bin, 'initdb'))) return missing(`PG_BIN=${bin} has no initdb`)
  const sharedir = spawnSync(join(bin, 'pg_config'), ['--sharedir'], { encoding: 'utf8' }).stdout?.trim()
  if (!sharedir || !existsSync(join(sharedir, 'extension', 'vector.control')))
    return missing(`the PostgreSQL in ${bin} has no pgvector (no extension/vector.control under pg_config --sharedir)`)
  if (process.getuid?.() === 0 && spawnSync('id', ['postgres']).status !== 0) return missing('running as root, and there is no postgres user for initdb to run as')
  return available
}

function probePgDump(): Probe {
  for (const tool of ['pg_dump', 'pg_restore']) {
    const result = spawnSync(tool, ['--version'], { encoding: 'utf8' })
    if (result.error || result.status !== 0) return missing(`${tool} is not on PATH (install postgresql-client)`)
  }
  return available
}

/** `mount`/`umount` as root: directly when the tests run as root (the CI container), else through passwordless sudo (a GitHub-hosted runner). */
export function asRoot(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? [command, args] : ['sudo', ['-n', command, ...args]]
}

function probeTmpfsMount(): Probe {
  const dir = mkdtempSync(join(tmpdir(), 'pgma-probe-tmpfs-'))
  try {
    const mounted = spawnSync(...asRoot('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]), { encoding: 'utf8' })
    if (mounted.error || mounted.status !== 0)
      return missing(`mount -t tmpfs is not permitted here (as root or with passwordless sudo): ${(mounted.stderr || mounted.error?.message || '').trim()}`)
    spawnSync(...asRoot('umount', [dir]))
    return available
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function probeNode24(): Probe {
  const node = process.env.TEST_NODE24
  if (!node) return missing('TEST_NODE24 is not set')
  const result = spawnSync(node, ['--version'], { encoding: 'utf8' })
  if (result.error) return missing(`TEST_NODE24=${node} cannot be started`)
  return result.stdout.startsWith('v24.') ? available : missing(`TEST_NODE24=${node} is ${result.stdout.trim()}, not Node 24`)
}
