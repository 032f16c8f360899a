import * as exec from '@actions/exec'
import { chmodSync, mkdtempSync, renameSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { DatabaseUrl } from '../database-url.js'
import { echo } from '../echo.js'
import type { BackupPolicy } from '../inputs.js'
import { ActionError } from '../errors.js'
import { riskRank, type RiskThreshold } from '../lint/rule.js'
import type { Logger } from '../logger.js'
import { redact } from '../redact.js'
import { childEnv, connectionArgs, DEBIAN_INSTALL_ROOT, findPgDump, type PgDumpClient } from './client.js'
import { restorePlan, type DatabaseLocale } from './restore.js'

/**
 * The backup stage: a `pg_dump --format=custom` of the target database, taken before anything is
 * applied, so a risky migration can be undone by restoring it. A dump that fails or that pg_restore
 * cannot read stops the run: applying without the backup the user asked for is the one thing the
 * stage must never do. The password reaches pg_dump in its environment only: a file holding it
 * would outlive a `kill -9` of the action.
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
  /** Restores the dump in place of the target database, ready to paste. */
  restoreCommand?: string
  /** The name the restore keeps the current database under. */
  replacedDatabase?: string
}

export interface BackupInput {
  policy: BackupPolicy
  /** The pending set's highest lint risk. */
  maxRisk: RiskThreshold
  pendingCount: number
  databaseUrl: DatabaseUrl
  /** `server_version_num`, e.g. 150008. */
  serverVersionNum: number
  /** How the database was created, for the restore to create its new database the same way. */
  locale?: DatabaseLocale
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
  const root = input.env.RUNNER_TEMP || tmpdir()
  const dir = privateDirectory(root, input.databaseUrl)
  const takenAt = new Date()
  const file = path.join(dir, `${safeFileName(input.databaseUrl.database)}-${takenAt.toISOString().replace(/[:.]/g, '-')}.dump`)
  // Until pg_restore has read it back, the archive says it is partial: a kill -9 can leave it behind.
  const partial = `${file}.partial`
  try {
    // Created before pg_dump opens it, which keeps the mode: pg_dump itself would create it world-readable under the usual umask.
    writeFileSync(partial, '', { mode: 0o600 })
    input.log.info(`Backing up ${echo(input.databaseUrl.database)} with ${client.pgDump} (${client.version}) to ${file}`)
    await dump(client, partial, root, input, deps.exec ?? exec.exec)
    renameSync(partial, file)
    const restore = restorePlan(client, input.databaseUrl, file, input.locale, takenAt)
    return {
      status: 'written',
      reason,
      path: file,
      sizeBytes: statSync(file).size,
      durationMs: Date.now() - takenAt.getTime(),
      client: { pgDump: client.pgDump, version: client.version },
      restoreCommand: restore.command,
      replacedDatabase: restore.replacedName
    }
  } catch (error) {
    // A partial dump must not be mistaken for a backup later.
    rmSync(dir, { recursive: true, force: true })
    throw isFileSystemError(error) ? writeFailed(input.databaseUrl, root, fileErrorReason(error), { cause: error }) : error
  }
}

/** 0700, because the dump holds every row of the database; a RUNNER_TEMP that cannot take it is the user's to fix, not a bug. */
function privateDirectory(root: string, url: DatabaseUrl): string {
  try {
    const dir = mkdtempSync(path.join(root, 'pg-migrate-action-backup-'))
    // mkdtemp already creates 0700; said explicitly because the dump holds every row of the database.
    chmodSync(dir, 0o700)
    return dir
  } catch (error) {
    throw writeFailed(url, root, fileErrorReason(error), { cause: error })
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
async function dump(client: PgDumpClient, file: string, root: string, input: BackupInput, run: typeof exec.exec): Promise<void> {
  const env = childEnv(input.env, input.databaseUrl)
  const dumped = await capture(run, client.pgDump, ['--format=custom', '--no-password', `--file=${file}`, ...connectionArgs(input.databaseUrl)], env)
  if (dumped.exitCode !== 0) {
    const written = outputFileError(dumped.stderr)
    if (written) throw writeFailed(input.databaseUrl, root, written)
    throw backupFailed(input.databaseUrl, `pg_dump exited with code ${dumped.exitCode}`, dumped.stderr)
  }
  const listed = await capture(run, client.pgRestore, ['--list', file], env)
  if (listed.exitCode !== 0) {
    // pg_dump does not always notice a write that failed for want of space: it can exit 0 with the archive cut short.
    if (noSpaceLeft(file)) throw writeFailed(input.databaseUrl, root, `no space left on device (pg_dump's archive is cut short: ${redact(listed.stderr.trim().split('\n')[0])})`)
    throw backupFailed(input.databaseUrl, `pg_restore --list cannot read the archive (exit code ${listed.exitCode})`, listed.stderr)
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

/** The server cuts names to 63 bytes, so a longer name in the URL is no longer in the file name either. */
function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 63)
}

/** pg_dump's own words when it could not write the archive (a full disk, a read-only directory), not the database's fault. */
function outputFileError(stderr: string): string | undefined {
  const line = stderr.split('\n').find((l) => /could not (open|write to|close) (the )?output file|No space left on device|Read-only file system|Disk quota exceeded/i.test(l))
  return line === undefined ? undefined : redact(line.replace(/^pg_dump: error: /, '').trim())
}

function noSpaceLeft(file: string): boolean {
  try {
    return statfsSync(path.dirname(file)).bavail === 0
  } catch {
    return false
  }
}

/** ENOSPC, EROFS, EACCES…: the file system refused, which is the runner's state, not a bug. */
function isFileSystemError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code
  return typeof code === 'string' && /^E[A-Z]+$/.test(code)
}

/** `ENOSPC: no space left on device, write` → `no space left on device`. */
function fileErrorReason(error: unknown): string {
  // Duck-typed: fs errors can come from another realm (a test's VM context), where instanceof Error is false.
  const message = String((error as { message?: unknown } | undefined)?.message ?? error)
  return /^[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message
}

function writeFailed(url: DatabaseUrl, root: string, reason: string, options: { cause?: unknown } = {}): ActionError {
  return new ActionError(
    'backup-write-failed',
    `The backup of ${echo(url.database)} could not be written under ${root}: ${reason}. Nothing was applied, and no partial file is left.`,
    {
      location: { input: 'backup' },
      hint: `The dump goes to RUNNER_TEMP (${root}), which must be writable and have room for a dump of the database: free space on the runner (df -h "$RUNNER_TEMP") or use a larger runner, then run again; or set backup: never to migrate without a backup.`,
      ...options
    }
  )
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
