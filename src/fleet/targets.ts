import { closeQuietly } from '../connection.js'
import { parseDatabaseUrl, urlWithDatabase, type DatabaseUrl } from '../database-url.js'
import { echo } from '../echo.js'
import { ActionError, errorMessage, isActionError } from '../errors.js'
import { MAX_TARGETS, type Settings } from '../inputs.js'
import type { Logger } from '../logger.js'
import { sqlState } from '../pg-errors.js'
import { registerUrlSecrets } from '../redact.js'
import { waitForServer, type WaitDependencies } from '../wait.js'
import type { FleetTarget } from './model.js'

/** How long `databases-query` may run: it lists databases, it does not scan tables. */
const QUERY_TIMEOUT = '60s'

export function targetLabel(url: DatabaseUrl): string {
  return `${url.user}@${url.host}:${url.port}/${url.database}`
}

function target(url: string, parsed: DatabaseUrl): FleetTarget {
  return { label: targetLabel(parsed), key: `${parsed.host}:${parsed.port}/${parsed.database}`, url }
}

/** The `databases` input's lines, each parsed as database-url is; a bad one is named by its line number, never echoed (it may hold a password). */
export function listedTargets(lines: string[]): FleetTarget[] {
  return lines.map((line, index) => {
    registerUrlSecrets(line)
    try {
      return target(line, parseDatabaseUrl(line))
    } catch (error) {
      if (!isActionError(error)) throw error
      throw new ActionError('invalid-input', error.message.replace(/^Input 'database-url'/, `Input 'databases', line ${index + 1},`), {
        location: { input: 'databases' },
        hint: error.hint
      })
    }
  })
}

/**
 * Runs `databases-query` on database-url (after waiting for the server, as a run does) and turns each
 * row's first column into a target: a full URL as it is, a database name on database-url's server,
 * with its credentials and parameters.
 */
export async function queriedTargets(query: string, settings: Settings, rawBaseUrl: string, log: Logger, wait: WaitDependencies = {}): Promise<FleetTarget[]> {
  const { client } = await waitForServer(
    settings.databaseUrl,
    { timeoutMs: settings.waitTimeoutMs, retryDelayMs: settings.retryDelayMs, maxRetryDelayMs: settings.maxRetryDelayMs, connectTimeoutMs: settings.connectTimeoutMs },
    log,
    wait
  )
  let values: unknown[]
  try {
    // Read-only: the query only names the targets; anything it would change stays unchanged.
    await client.query(`SET statement_timeout = '${QUERY_TIMEOUT}'`)
    await client.query('BEGIN READ ONLY')
    const result = await client.query({ text: query, rowMode: 'array' })
    await client.query('ROLLBACK')
    values = (Array.isArray(result) ? result.at(-1) : result).rows.map((row: unknown[]) => row[0])
  } catch (error) {
    const state = sqlState(error)
    throw new ActionError('fleet-query-failed', `Input 'databases-query' failed on database-url: ${errorMessage(error)}${state ? ` (SQLSTATE ${state})` : ''}.`, {
      location: { input: 'databases-query' },
      hint: 'Run the query with psql on the database of database-url; it must be one SELECT whose first column is a database name or a postgres:// URL.'
    })
  } finally {
    await closeQuietly(client)
  }
  if (values.length > MAX_TARGETS) {
    throw new ActionError(
      'invalid-input',
      `Input 'databases-query' returned ${values.length.toLocaleString('en-US')} rows; one step takes at most ${MAX_TARGETS.toLocaleString('en-US')}.`,
      {
        location: { input: 'databases-query' },
        hint: 'Give the query an ORDER BY with OFFSET and LIMIT and split the fleet over matrix jobs (docs/recipes/fleet-matrix.yml).'
      }
    )
  }
  return values.map((value, index) => {
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ActionError(
        'fleet-query-failed',
        `Input 'databases-query' returned ${value === null ? 'NULL' : `'${echo(String(value), 60)}'`} in row ${index + 1}, which is not a database name or URL.`,
        {
          location: { input: 'databases-query' },
          hint: 'Return one text column: the database name (e.g. datname from pg_database) or a full postgres:// URL; filter out NULLs.'
        }
      )
    }
    const text = value.trim()
    const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : urlWithDatabase(rawBaseUrl, text)
    registerUrlSecrets(url)
    try {
      return target(url, parseDatabaseUrl(url))
    } catch (error) {
      if (!isActionError(error)) throw error
      throw new ActionError('fleet-query-failed', error.message.replace(/^Input 'database-url'/, `Input 'databases-query', row ${index + 1},`), {
        location: { input: 'databases-query' },
        hint: error.hint
      })
    }
  })
}

/** The same database listed twice would be migrated twice at once: the second one is dropped, with a warning. */
export function distinctTargets(targets: FleetTarget[], warnings: string[]): FleetTarget[] {
  const seen = new Set<string>()
  const kept: FleetTarget[] = []
  for (const target of targets) {
    const key = target.key
    if (seen.has(key)) {
      warnings.push(`The database ${target.label} is listed more than once; it is migrated once.`)
      continue
    }
    seen.add(key)
    kept.push(target)
  }
  return kept
}
