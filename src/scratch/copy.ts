import { spawn } from 'node:child_process'
import type pg from 'pg'
import { childEnv, connectionArgs, findPgDump } from '../backup/client.js'
import { quoteQualified } from '../connection.js'
import type { DatabaseUrl } from '../database-url.js'
import { errorMessage } from '../errors.js'
import type { QualifiedName } from '../inputs.js'
import type { Logger } from '../logger.js'
import { redact } from '../redact.js'

/**
 * A copy of the target's schema in a scratch database: `pg_dump --schema-only` piped into
 * `pg_restore`, nothing on disk (a schema can hold secrets in function bodies), and the rows of
 * the history or version table, so the engine sees the same applied migrations. The target is
 * only read: pg_dump takes ACCESS SHARE locks, which block nothing but DDL.
 */

/** Why the copy could not be made: the schema change falls back to a replay of the applied migrations. */
export class CopyFailed extends Error {}

export interface CopyInput {
  target: DatabaseUrl
  scratch: DatabaseUrl
  serverVersionNum: number
  env: NodeJS.ProcessEnv
  log: Logger
}

/** Options the copy needs or must not have: no owners or grants (other roles), no subscriptions (they would connect), no comments. */
const DUMP_OPTIONS = ['--schema-only', '--format=custom', '--no-password', '--no-comments', '--no-publications', '--no-subscriptions', '--no-security-labels', '--no-tablespaces']
const RESTORE_OPTIONS = ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--no-password']

export async function copySchema({ target, scratch, serverVersionNum, env, log }: CopyInput): Promise<void> {
  let client
  try {
    client = await findPgDump(Math.floor(serverVersionNum / 10_000), env)
  } catch (error) {
    throw new CopyFailed(
      errorMessage(error)
        .replace(/^backup needs/, 'the copy needs')
        .replace(/\.? Nothing was applied\.$/, '')
    )
  }
  log.info(`Copying the schema of ${target.database} into ${scratch.database} with ${client.pgDump} (${client.version}) and pg_restore`)
  const dump = spawn(client.pgDump, [...DUMP_OPTIONS, ...connectionArgs(target)], { env: childEnv(env, target), stdio: ['ignore', 'pipe', 'pipe'] })
  const restore = spawn(client.pgRestore, [...RESTORE_OPTIONS, ...connectionArgs(scratch)], { env: childEnv(env, scratch), stdio: ['pipe', 'ignore', 'pipe'] })
  // A restore that exits early closes its end of the pipe; the dump then fails on its own, with its own message.
  restore.stdin.on('error', () => undefined)
  dump.stdout.pipe(restore.stdin)
  const [dumped, restored] = await Promise.all([finished(dump), finished(restore)])
  if (dumped.code !== 0) throw new CopyFailed(`pg_dump of the target failed (exit code ${dumped.code}): ${firstLine(dumped.stderr)}`)
  if (restored.code !== 0) throw new CopyFailed(`pg_restore into the scratch database failed (exit code ${restored.code}): ${firstLine(restored.stderr)}`)
}

interface Finished {
  code: number
  stderr: string
}

function finished(child: ReturnType<typeof spawn>): Promise<Finished> {
  let stderr = ''
  child.stderr?.on('data', (data: Buffer) => void (stderr += data.toString('utf8')))
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ code: -1, stderr: error.message }))
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }))
  })
}

function firstLine(stderr: string): string {
  const line = stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /error|fatal/i.test(l))
  return redact(line ?? (stderr.trim().split('\n')[0] || 'no output'))
}

/**
 * The bookkeeping table's rows, as JSON, so any column types round-trip; nothing when the target
 * has no such table yet (nothing applied).
 */
export async function copyRows(target: pg.Client, scratch: pg.Client, table: QualifiedName): Promise<number> {
  const name = quoteQualified(table.schema || 'public', table.table)
  const exists = await target.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [name])
  if (!exists.rows[0].exists) return 0
  const { rows } = await target.query<{ rows: unknown[] }>(`SELECT coalesce(json_agg(t), '[]'::json) AS rows FROM ${name} t`)
  await scratch.query(`INSERT INTO ${name} SELECT * FROM json_populate_recordset(NULL::${name}, $1::json)`, [JSON.stringify(rows[0].rows)])
  return rows[0].rows.length
}
