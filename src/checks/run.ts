import type pg from 'pg'
import { backendPid } from '../blockers.js'
import { cancelSignal } from '../cancel.js'
import type { ErrorCode } from '../codes.js'
import { closeQuietly, openClient } from '../connection.js'
import type { DatabaseUrl } from '../database-url.js'
import { ActionError, errorMessage } from '../errors.js'
import type { Logger } from '../logger.js'
import { isConnectionLost, sqlState } from '../pg-errors.js'
import { redact } from '../redact.js'
import { serverPositionIndex } from '../sql/error-position.js'
import type { CheckDefinition } from './load.js'

/**
 * Runs the checks on a session of their own, in one read-only transaction that is rolled back at the
 * end, each check in a savepoint so one that fails does not abort the others, under statement_timeout.
 */

/** Rows shown of a failing check; one more is fetched to tell "exactly 10" from "more". */
export const ROWS_SHOWN = 10
/** A cell's text is cut to this many characters: a row of embeddings must not fill the summary. */
export const CELL_CHARS = 80

/** Not a migration session: the next run must not wait for it (lock.ts waits for those). */
const APPLICATION_NAME = 'pg-migrate-action checks'
const CURSOR = 'pgma_check'
const SAVEPOINT = 'pgma_check'

export interface CheckRows {
  columns: string[]
  /** At most ROWS_SHOWN rows, every cell as the server writes it (null for NULL), cut and redacted. */
  rows: (string | null)[][]
  /** More rows than shown came back. */
  more: boolean
}

export interface CheckError {
  code: Extract<ErrorCode, 'check-error' | 'check-read-only' | 'check-timeout'>
  /** The server's message (redacted). */
  message: string
  sqlState?: string
  /** Where in the file the server's error position points, when it gave one. */
  line?: number
  column?: number
  detail?: string
  hint?: string
}

export interface CheckResult {
  check: CheckDefinition
  /** `not-run`: the session was lost or the run cancelled before it. */
  status: 'passed' | 'failed' | 'error' | 'not-run'
  durationMs?: number
  rows?: CheckRows
  error?: CheckError
}

export interface ChecksOutcome {
  results: CheckResult[]
  /** statement_timeout of each check, as the checks-timeout input gave it. */
  timeout: string
  /** Why checks were not run, when some were not. */
  stopped?: string
}

export interface RunChecksOptions {
  databaseUrl: DatabaseUrl
  connectTimeoutMs: number
  timeout: string
  lockTimeout: string
  log: Logger
  /** A session that may cancel a check in flight when the run is cancelled. */
  control?: pg.Client
  signal?: AbortSignal
}

/** Every value as the server writes it: a check's rows are shown, not computed with. */
const AS_TEXT = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig

export async function runChecks(checks: CheckDefinition[], options: RunChecksOptions): Promise<ChecksOutcome> {
  const results: CheckResult[] = checks.map((check) => ({ check, status: 'not-run' }))
  const outcome: ChecksOutcome = { results, timeout: options.timeout }
  let session: pg.Client
  try {
    session = await openClient(options.databaseUrl, { connectTimeoutMs: options.connectTimeoutMs, applicationName: APPLICATION_NAME })
  } catch (error) {
    throw new ActionError('check-error', `Could not open the session the checks run on: ${redact(errorMessage(error))}. No check ran.`, {
      hint: "The server answered the run before: check max_connections (or the pooler's limit) and run again.",
      cause: error
    })
  }
  const cancel = (): void => {
    const pid = backendPid(session)
    if (pid !== null && options.control) void options.control.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined)
  }
  options.signal?.addEventListener('abort', cancel, { once: true })
  try {
    await session.query('BEGIN READ ONLY')
    await session.query(`SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $2, true)`, [options.timeout, options.lockTimeout])
    for (const result of results) {
      const cancelled = cancelSignal(options.signal)
      if (cancelled) {
        outcome.stopped = `the run was cancelled (${cancelled})`
        break
      }
      const started = Date.now()
      await session.query(`SAVEPOINT ${SAVEPOINT}`)
      try {
        result.rows = await runOne(session, result.check)
        result.status = result.rows.rows.length === 0 ? 'passed' : 'failed'
        await session.query(`RELEASE SAVEPOINT ${SAVEPOINT}`)
      } catch (error) {
        if (isConnectionLost(error)) {
          outcome.stopped = `the session was lost while ${result.check.file}:${result.check.line} ran: ${redact(errorMessage(error))}`
          break
        }
        result.status = 'error'
        result.error = checkError(result.check, error, options.timeout)
        await session.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`)
      } finally {
        result.durationMs = Date.now() - started
      }
      const verdict =
        result.status === 'passed' ? 'passed' : result.status === 'failed' ? `returned ${result.rows!.more ? 'more than ' : ''}${result.rows!.rows.length} row(s)` : 'failed'
      options.log.info(`${result.check.file}:${result.check.line} ${result.check.name}: ${verdict} (${result.durationMs} ms)`)
    }
    if (cancelSignal(options.signal) && !outcome.stopped) outcome.stopped = `the run was cancelled (${cancelSignal(options.signal)})`
  } finally {
    options.signal?.removeEventListener('abort', cancel)
    // Nothing of a check may stay: the transaction is rolled back, and closing the session ends it either way.
    await session.query('ROLLBACK').catch(() => undefined)
    await closeQuietly(session)
  }
  return outcome
}

async function runOne(session: pg.Client, check: CheckDefinition): Promise<CheckRows> {
  if (check.runAs === 'direct') {
    const result = await session.query({ text: check.sql, rowMode: 'array', types: AS_TEXT })
    return toRows(result)
  }
  // The newline ends a trailing `--` comment of the check before anything follows it.
  await session.query(`${cursorPrefix()}${check.sql}\n`)
  const fetched = await session.query({ text: `FETCH ${ROWS_SHOWN + 1} FROM ${CURSOR}`, rowMode: 'array', types: AS_TEXT })
  await session.query(`CLOSE ${CURSOR}`)
  return toRows(fetched)
}

function cursorPrefix(): string {
  return `DECLARE ${CURSOR} NO SCROLL CURSOR FOR\n`
}

function toRows(result: pg.QueryResult<unknown[]>): CheckRows {
  const rows = (result.rows ?? []) as unknown as (string | null)[][]
  return {
    columns: (result.fields ?? []).map((f) => cut(f.name, 40)),
    rows: rows.slice(0, ROWS_SHOWN).map((row) => row.map((value) => (value === null ? null : cut(String(value), CELL_CHARS)))),
    more: rows.length > ROWS_SHOWN
  }
}

/** Redacted before it is cut, so a cut cannot leave half a secret unrecognisable. */
function cut(text: string, max: number): string {
  const masked = redact(text)
  const chars = [...masked]
  return chars.length <= max ? masked : `${chars.slice(0, max - 1).join('')}…`
}

function checkError(check: CheckDefinition, error: unknown, timeout: string): CheckError {
  const state = sqlState(error)
  const e = error as { position?: string; detail?: string; hint?: string }
  const sent = check.runAs === 'cursor' ? cursorPrefix() + check.sql : check.sql
  const index = serverPositionIndex(sent, e.position)
  const offset = index === undefined ? undefined : index - (sent.length - check.sql.length)
  const at = offset !== undefined && offset >= 0 ? positionIn(check, offset) : undefined
  const message = redact(errorMessage(error))
  const base = { sqlState: state, line: at?.line, column: at?.column, detail: e.detail && redact(e.detail), hint: e.hint && redact(e.hint) }
  // 25006 read_only_sql_transaction: "cannot execute INSERT in a read-only transaction".
  if (state === '25006') return { ...base, code: 'check-read-only', message }
  // 57014 query_canceled: the statement_timeout (a cancel of the run stops before the next check).
  if (state === '57014') return { ...base, code: 'check-timeout', message: `${message} (checks-timeout is ${timeout})` }
  return { ...base, code: 'check-error', message }
}

/** The file line and column of a character of the check's SQL. */
function positionIn(check: CheckDefinition, offset: number): { line: number; column: number } {
  const before = check.sql.slice(0, offset).split('\n')
  const line = check.line + before.length - 1
  const column = before.length === 1 ? check.column + [...before[0]].length : [...before.at(-1)!].length + 1
  return { line, column }
}
