import * as exec from '@actions/exec'
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { libpqDbname, type DatabaseUrl } from '../database-url.js'
import { echo } from '../echo.js'
import type { BackupPolicy } from '../inputs.js'
import { ActionError } from '../errors.js'
import { riskRank, type RiskThreshold } from '../lint/rule.js'
import type { Logger } from '../logger.js'
import { redact } from '../redact.js'
import { DEBIAN_INSTALL_ROOT, findPgDump, type PgDumpClient } from './client.js'

/**
 * The backup stage: a `pg_dump --format=custom` of the target database, taken before anything is
 * applied, so a risky migration can be undone by restoring it. A dump that fails or that pg_restore
 * cannot read stops the run: applying without the backup the user asked for is the one thing the
 * stage must never do.
 */

/** `auto` backs up when the pending set's highest lint risk is at least this. */
export const AUTO_BACKUP_RISK = 'high'

export interface BackupResult {
  status: 'written' | 'skipped'
  /** Why the backup was taken or skipped, for the summary. */
  reason: string
  path?: string
  sizeBytes?: number
  durationMs?: number
  client?: { pgDump: string; version: string }
  /** Restores the dump over the target database, ready to paste. */
  restoreCommand?: string
}

export interface BackupInput {
  policy: BackupPolicy
  /** The pending set's highest lint risk. */
  maxRisk: RiskThreshold
  pendingCount: number
  databaseUrl: DatabaseUrl
  /** `server_version_num`, e.g. 150008. */
  serverVersionNum: number
  env: NodeJS.ProcessEnv
  log: Logger
}

export interface BackupDependencies {
  exec?: typeof exec.exec
  installRoot?: string
}

export async function runBackup(input: BackupInput, deps: BackupDependencies = {}): Promise<BackupResult> {
  const skip = skipReason(input)
  if (skip) return { status: 'skipped', reason: skip }
  const reason = input.policy === 'always' ? 'backup: always' : `backup: auto, and the pending set's highest risk is ${input.maxRisk}`
  const client = await findPgDump(Math.floor(input.serverVersionNum / 10_000), input.env, deps.installRoot ?? DEBIAN_INSTALL_ROOT)
  const dir = mkdtempSync(path.join(input.env.RUNNER_TEMP || tmpdir(), 'pg-migrate-action-backup-'))
  // mkdtemp already creates 0700; said explicitly because the dump holds every row of the database.
  chmodSync(dir, 0o700)
  const file = path.join(dir, `${safeFileName(input.databaseUrl.database)}-${new Date().toISOString().replace(/[:.]/g, '-')}.dump`)
  // Created before pg_dump opens it, which keeps the mode: pg_dump itself would create it world-readable under the usual umask.
  writeFileSync(file, '', { mode: 0o600 })
  const started = Date.now()
  input.log.info(`Backing up ${echo(input.databaseUrl.database)} with ${client.pgDump} (${client.version}) to ${file}`)
  await dump(client, file, input, deps.exec ?? exec.exec)
  const durationMs = Date.now() - started
  return {
    status: 'written',
    reason,
    path: file,
    sizeBytes: statSync(file).size,
    durationMs,
    client: { pgDump: client.pgDump, version: client.version },
    restoreCommand: restoreCommand(client, input.databaseUrl, file)
  }
}

function skipReason({ policy, maxRisk, pendingCount }: BackupInput): string | undefined {
  if (policy === 'never') return 'backup: never'
  if (pendingCount === 0) return 'nothing to apply'
  if (policy === 'auto' && (maxRisk === 'none' || riskRank(maxRisk) < riskRank(AUTO_BACKUP_RISK))) {
    return `backup: auto, and the pending set's highest risk is ${maxRisk} (below ${AUTO_BACKUP_RISK})`
  }
  return undefined
}

/** Runs pg_dump, then reads the archive's table of contents back: an archive pg_restore cannot list is no backup. */
async function dump(client: PgDumpClient, file: string, input: BackupInput, run: typeof exec.exec): Promise<void> {
  const passfile = input.databaseUrl.password === undefined ? undefined : writePassfile(path.dirname(file), input.databaseUrl.password)
  const env = childEnv(input.env, input.databaseUrl, passfile)
  try {
    const dumped = await capture(run, client.pgDump, ['--format=custom', '--no-password', `--file=${file}`, ...connectionArgs(input.databaseUrl)], env)
    if (dumped.exitCode !== 0) throw backupFailed(input.databaseUrl, `pg_dump exited with code ${dumped.exitCode}`, dumped.stderr)
    const listed = await capture(run, client.pgRestore, ['--list', file], env)
    if (listed.exitCode !== 0) throw backupFailed(input.databaseUrl, `pg_restore --list cannot read the archive (exit code ${listed.exitCode})`, listed.stderr)
  } catch (error) {
    // A partial dump must not be mistaken for a backup later.
    rmSync(path.dirname(file), { recursive: true, force: true })
    throw error
  } finally {
    if (passfile) rmSync(passfile, { force: true })
  }
}

async function capture(run: typeof exec.exec, tool: string, args: string[], env: Record<string, string>): Promise<{ exitCode: number; stderr: string }> {
  let stderr = ''
  try {
    const exitCode = await run(tool, args, { env, silent: true, ignoreReturnCode: true, listeners: { stderr: (data) => void (stderr += data.toString('utf8')) } })
    return { exitCode, stderr }
  } catch (error) {
    return { exitCode: -1, stderr: error instanceof Error ? error.message : String(error) }
  }
}

/**
 * One line, `*:*:*:*:password`: the file serves this one connection only. libpq ignores a passfile
 * that others can read, so 0600 is required, not just tidy.
 */
function writePassfile(dir: string, password: string): string {
  const file = path.join(dir, '.pgpass')
  writeFileSync(file, `*:*:*:*:${password.replace(/\\/g, '\\\\').replace(/:/g, '\\:')}\n`, { mode: 0o600 })
  return file
}

/** Non-secret settings go on the command line, where the summary can show them; the password only through PGPASSFILE. */
function childEnv(base: NodeJS.ProcessEnv, url: DatabaseUrl, passfile: string | undefined): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(base)) if (value !== undefined) env[name] = value
  if (passfile) {
    // PGPASSWORD would win over the passfile.
    delete env.PGPASSWORD
    env.PGPASSFILE = passfile
  }
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

function connectionArgs(url: DatabaseUrl): string[] {
  return [`--host=${url.host}`, `--port=${url.port}`, `--username=${url.user}`, `--dbname=${libpqDbname(url.database)}`]
}

function restoreCommand(client: PgDumpClient, url: DatabaseUrl, file: string): string {
  const args = ['--clean', '--if-exists', '--no-owner', '--single-transaction', ...connectionArgs(url), file]
  return [client.pgRestore, ...args].map(shellQuote).join(' ')
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

/** The server cuts names to 63 bytes, so a longer name in the URL is no longer in the file name either. */
function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 63)
}

function backupFailed(url: DatabaseUrl, what: string, stderr: string): ActionError {
  const output = redact(stderr.trim())
  return new ActionError('backup-failed', `The backup of ${echo(url.database)} failed: ${what}${output ? `: ${output.split('\n')[0]}` : ''}. Nothing was applied.`, {
    location: { input: 'backup' },
    hint:
      'pg_dump needs SELECT on every table, sequence and large object of the database (a role that owns them, or pg_read_all_data on PostgreSQL 14+) and a client at least as new as the server. ' +
      'Fix the cause and run again, or set backup: never to migrate without a backup.',
    details: output ? [output] : []
  })
}
