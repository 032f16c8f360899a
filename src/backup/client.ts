import * as exec from '@actions/exec'
import { accessSync, constants, existsSync, readdirSync, realpathSync } from 'node:fs'
import path from 'node:path'
import { libpqDbname, type DatabaseUrl } from '../database-url.js'
import { ActionError } from '../errors.js'

/**
 * Finding a pg_dump that can dump the server: pg_dump refuses a server of a newer major version
 * ("aborting because of server version mismatch"), and GitHub's Ubuntu runners ship an older client
 * than the `pgvector/pgvector:pg17` service image.
 */

export interface PgDumpClient {
  pgDump: string
  /** pg_restore from the same installation, for checking and restoring the archive. */
  pgRestore: string
  major: number
  version: string
}

/** Where Debian and Ubuntu install one directory per client major version. */
export const DEBIAN_INSTALL_ROOT = '/usr/lib/postgresql'

/** The install step for GitHub's Ubuntu runners, as the error and the README give it. */
export function installStep(major: number): string {
  return [
    'sudo apt-get install -y postgresql-common',
    'sudo /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y',
    `sudo apt-get install -y postgresql-client-${major}`
  ].join(' && ')
}

/** `pg_dump (PostgreSQL) 15.8 (Debian 15.8-0+deb12u1)` → 15 and 15.8. */
export function parseClientVersion(output: string): { major: number; version: string } | undefined {
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(output)
  if (!match) return undefined
  return { major: Number(match[1]), version: match[2] === undefined ? match[1] : `${match[1]}.${match[2]}` }
}

/** Every pg_dump on the PATH and under the Debian install root, each path once, PATH first. */
export function candidatePaths(env: NodeJS.ProcessEnv, installRoot = DEBIAN_INSTALL_ROOT): string[] {
  const onPath = (env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, 'pg_dump'))
  const installed = existsSync(installRoot) ? readdirSync(installRoot).map((major) => path.join(installRoot, major, 'bin', 'pg_dump')) : []
  // One entry per file: /bin is a link to /usr/bin on merged-/usr systems (Debian 12, Ubuntu).
  const byFile = new Map<string, string>()
  for (const candidate of [...onPath, ...installed].filter(isExecutable)) {
    const file = realPathOrSelf(candidate)
    if (!byFile.has(file)) byFile.set(file, candidate)
  }
  return [...byFile.values()]
}

function realPathOrSelf(file: string): string {
  try {
    return realpathSync(file)
  } catch {
    return file
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

async function clientVersion(pgDump: string): Promise<{ major: number; version: string } | undefined> {
  try {
    const { stdout, exitCode } = await exec.getExecOutput(pgDump, ['--version'], { silent: true, ignoreReturnCode: true })
    return exitCode === 0 ? parseClientVersion(stdout) : undefined
  } catch {
    return undefined
  }
}

/**
 * The newest pg_dump found whose major version is at least the server's, with the pg_restore next
 * to it. Throws `backup-client-missing` (with the install step) when there is none.
 */
export async function findPgDump(serverMajor: number, env: NodeJS.ProcessEnv, installRoot = DEBIAN_INSTALL_ROOT): Promise<PgDumpClient> {
  const found: PgDumpClient[] = []
  for (const pgDump of candidatePaths(env, installRoot)) {
    const version = await clientVersion(pgDump)
    const pgRestore = path.join(path.dirname(pgDump), 'pg_restore')
    if (version && isExecutable(pgRestore)) found.push({ pgDump, pgRestore, ...version })
  }
  return chooseClient(found, serverMajor)
}

export function chooseClient(found: PgDumpClient[], serverMajor: number): PgDumpClient {
  const newest = [...found].sort((a, b) => b.major - a.major)[0]
  if (newest && newest.major >= serverMajor) return newest
  const seen = found.length === 0 ? 'no pg_dump with a pg_restore next to it was found' : `found only ${found.map((c) => `${c.pgDump} (${c.version})`).join(', ')}`
  throw new ActionError(
    'backup-client-missing',
    `backup needs pg_dump ${serverMajor} or newer for this PostgreSQL ${serverMajor} server, but ${seen} (PATH and ${DEBIAN_INSTALL_ROOT}/*/bin). Nothing was applied.`,
    {
      location: { input: 'backup' },
      hint: `Install the PostgreSQL ${serverMajor} client in a step before this one; on GitHub's Ubuntu runners: ${installStep(serverMajor)}`
    }
  )
}

/**
 * Non-secret settings go on the command line, where the summary can show them; the password only
 * into the child's environment (readable by the runner's user alone, and gone with the process).
 * @actions/exec never prints the environment.
 */
export function childEnv(base: NodeJS.ProcessEnv, url: DatabaseUrl): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(base)) if (value !== undefined) env[name] = value
  if (url.password !== undefined) env.PGPASSWORD = url.password
  const sslmode = libpqSslMode(url.tls)
  if (sslmode) env.PGSSLMODE = sslmode
  return env
}

/** The URL's TLS setting as libpq's sslmode: node-pg's `ssl=true` and `sslmode=no-verify` mean encrypt without verifying. */
function libpqSslMode(tls: string | undefined): string | undefined {
  if (!tls) return undefined
  const [name, value] = tls.split('=')
  if (name === 'sslmode') return value === 'no-verify' ? 'require' : value
  return ['true', '1', 'require'].includes(value) ? 'require' : ['false', '0'].includes(value) ? 'disable' : undefined
}

export function connectionArgs(url: DatabaseUrl): string[] {
  return [`--host=${url.host}`, `--port=${url.port}`, `--username=${url.user}`, `--dbname=${libpqDbname(url.database)}`]
}
