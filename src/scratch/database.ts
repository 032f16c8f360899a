import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { readDatabaseLocale, type DatabaseLocale } from '../backup/restore.js'
import { closeQuietly, openClient, quoteIdent } from '../connection.js'
import { withDatabase, type DatabaseUrl } from '../database-url.js'
import { echo } from '../echo.js'
import { ActionError, errorMessage } from '../errors.js'
import type { Settings } from '../inputs.js'
import type { Logger } from '../logger.js'
import { plural } from '../report/markdown.js'
import { emptyShadowDatabase } from './shadow.js'

/**
 * Scratch databases, where the schema change and the drift check run migrations instead of the
 * target. Created on the target's server (or the shadow database of shadow-database-url is used)
 * and dropped after use, also when the run fails. A run killed outright (kill -9, a job cancelled
 * past its grace period) cannot drop its own: the name says when it was made, and every later run
 * that creates one first removes those older than an hour.
 */

export const SCRATCH_PREFIX = 'pg_migrate_scratch_'
/** Older than this, a scratch database belongs to no running run: none takes that long to replay a chain. */
export const STALE_AFTER_MS = 60 * 60 * 1000
const SCRATCH_NAME = /^pg_migrate_scratch_(\d{10,})_[0-9a-f]{8}$/

/** `pg_migrate_scratch_<unix seconds>_<8 hex>`: recognisable, unique, and dated for the stale clean-up. */
export function scratchName(now: Date = new Date()): string {
  return `${SCRATCH_PREFIX}${Math.floor(now.getTime() / 1000)}_${randomBytes(4).toString('hex')}`
}

/** When a scratch database was created, from its name; undefined for any other name. */
export function scratchCreatedAt(name: string): Date | undefined {
  const match = SCRATCH_NAME.exec(name)
  return match ? new Date(Number(match[1]) * 1000) : undefined
}

export interface ScratchDatabase {
  /** The database's name, for the log and the report. */
  name: string
  /** created: made for this use on the target's server; shadow: the database of shadow-database-url, emptied. */
  kind: 'created' | 'shadow'
  url: DatabaseUrl
  /** The action's own session on it: snapshots and the engine's reads. */
  client: pg.Client
}

export interface ScratchRequest {
  settings: Settings
  /** The action's connection to the target: it creates and drops scratch databases, and is compared with the shadow database. */
  target: pg.Client
  log: Logger
}

/** Why no scratch database could be had, in one line: the check that needed it is skipped. */
export class ScratchUnavailable extends Error {}

/**
 * Runs `use` on a scratch database and removes it afterwards, whatever `use` did. Throws
 * ScratchUnavailable when there is none to be had (no CREATEDB, and no shadow-database-url).
 */
export async function withScratchDatabase<T>(request: ScratchRequest, use: (scratch: ScratchDatabase) => Promise<T>): Promise<T> {
  const { scratch, dispose } = await openScratchDatabase(request)
  try {
    return await use(scratch)
  } finally {
    await dispose()
  }
}

export interface OpenedScratch {
  scratch: ScratchDatabase
  /** Never throws, and does nothing the second time: a database that cannot be removed is a warning in the log, and the next run removes it. */
  dispose: () => Promise<void>
}

/** A scratch database the caller disposes of: one that outlives a stage (drift hands its replay to the schema change). */
export async function openScratchDatabase(request: ScratchRequest): Promise<OpenedScratch> {
  const opened = request.settings.shadowDatabaseUrl ? await openShadow(request, request.settings.shadowDatabaseUrl) : await createScratch(request)
  let disposed: Promise<void> | undefined
  return { scratch: opened.scratch, dispose: () => (disposed ??= opened.dispose()) }
}

async function createScratch({ settings, target, log }: ScratchRequest): Promise<OpenedScratch> {
  const role = await target.query<{ name: string; may: boolean }>(`SELECT current_user AS name, rolcreatedb OR rolsuper AS may FROM pg_roles WHERE rolname = current_user`)
  const { name: user, may } = role.rows[0] ?? { name: settings.databaseUrl.user, may: false }
  if (!may) {
    throw new ScratchUnavailable(`the role ${echo(user)} may not create databases (no CREATEDB), and no shadow-database-url is set`)
  }
  await removeStaleScratchDatabases(target, log)
  const name = scratchName()
  const locale = await readDatabaseLocale(target).catch(() => undefined)
  try {
    await target.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0${localeClause(locale)}`)
  } catch (error) {
    throw new ScratchUnavailable(`creating a scratch database failed: ${errorMessage(error)}`)
  }
  log.info(`Created the scratch database ${name}; it is dropped after use.`)
  const drop = async (): Promise<void> => {
    try {
      await dropDatabase(target, name)
      log.info(`Dropped the scratch database ${name}.`)
    } catch (error) {
      log.warning(`Could not drop the scratch database ${name}: ${errorMessage(error)}. A later run removes it once it is an hour old; or drop it by hand: DROP DATABASE ${name};`)
    }
  }
  await target
    .query(`COMMENT ON DATABASE ${quoteIdent(name)} IS ${pg.escapeLiteral(`pg-migrate-action scratch database, created ${new Date().toISOString()}; dropped after use`)}`)
    .catch(() => undefined)
  const url = withDatabase(settings.databaseUrl, name)
  let client: pg.Client
  try {
    client = await openClient(url, { connectTimeoutMs: settings.connectTimeoutMs, applicationName: 'pg-migrate-action scratch' })
  } catch (error) {
    await drop()
    throw new ScratchUnavailable(`connecting to the scratch database failed: ${errorMessage(error)}`)
  }
  // A server that serves one database whatever the connection asks for (PGlite) would hand back the
  // target itself: whatever ran on the "scratch database" would run there.
  const reached = await client
    .query<{ db: string }>('SELECT current_database() AS db')
    .then((r) => r.rows[0].db)
    .catch(() => undefined)
  if (reached !== name || (await databaseIdentity(client).catch(() => '')) === (await databaseIdentity(target).catch(() => undefined))) {
    await closeQuietly(client)
    await drop()
    throw new ScratchUnavailable(
      `the server answered a connection to the new scratch database ${name} with the database ${echo(reached ?? 'unknown')}: it serves one database to every connection (as PGlite does), so nothing is run on a scratch database there`
    )
  }
  return {
    scratch: { name, kind: 'created', url, client },
    dispose: async () => {
      await closeQuietly(client)
      await drop()
    }
  }
}

/** The target's encoding and collation: text sorts and compares in the scratch database as it does there. */
function localeClause(locale: DatabaseLocale | undefined): string {
  if (!locale) return ''
  const parts = [`ENCODING ${pg.escapeLiteral(locale.encoding)}`, `LC_COLLATE ${pg.escapeLiteral(locale.collate)}`, `LC_CTYPE ${pg.escapeLiteral(locale.ctype)}`]
  if (locale.provider === 'i' && locale.locale) parts.push(`LOCALE_PROVIDER icu ICU_LOCALE ${pg.escapeLiteral(locale.locale)}`)
  if (locale.provider === 'b' && locale.locale) parts.push(`LOCALE_PROVIDER builtin BUILTIN_LOCALE ${pg.escapeLiteral(locale.locale)}`)
  return ' ' + parts.join(' ')
}

/** WITH (FORCE): a migration's session a killed Alembic left behind must not keep the database. */
async function dropDatabase(client: pg.Client, name: string): Promise<void> {
  await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)
}

/**
 * Scratch databases older than STALE_AFTER_MS, left by runs that were killed: dropped, each on its
 * own, and quietly when another role owns one (its own runs remove it).
 */
export async function removeStaleScratchDatabases(client: pg.Client, log: Logger, now: Date = new Date()): Promise<string[]> {
  const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [SCRATCH_PREFIX])
  const removed: string[] = []
  for (const { datname } of rows) {
    const createdAt = scratchCreatedAt(datname)
    if (!createdAt || now.getTime() - createdAt.getTime() < STALE_AFTER_MS) continue
    try {
      await dropDatabase(client, datname)
      removed.push(datname)
      log.info(`Dropped the stale scratch database ${datname}, left by a run that ended before it could drop it (created ${createdAt.toISOString()}).`)
    } catch (error) {
      log.debug(`Could not drop the stale scratch database ${datname}: ${errorMessage(error)}`)
    }
  }
  return removed
}

/** Session advisory lock on the shadow database: two runs sharing it take turns. Visible in pg_locks as classid 'pgma', objid 2. */
export const SHADOW_LOCK_KEY = [1885824353, 2] as const

/**
 * The database of shadow-database-url, emptied before and after each use. Refused when it turns
 * out to be the target itself, by what the server says (a name, an address or a port spelled
 * differently in the two URLs can still reach the same database).
 */
async function openShadow({ settings, target, log }: ScratchRequest, url: DatabaseUrl): Promise<OpenedScratch> {
  let client: pg.Client
  try {
    client = await openClient(url, { connectTimeoutMs: settings.connectTimeoutMs, applicationName: 'pg-migrate-action shadow' })
  } catch (error) {
    throw new ScratchUnavailable(`connecting to shadow-database-url (${url.display}) failed: ${errorMessage(error)}`)
  }
  try {
    if ((await databaseIdentity(client)) === (await databaseIdentity(target))) {
      throw new ActionError(
        'invalid-input',
        `Input 'shadow-database-url' reaches the same database as database-url (${echo(url.database)}); the action empties its shadow database.`,
        {
          location: { input: 'shadow-database-url' },
          hint: 'Give a database of its own that nothing else uses, e.g. one created with CREATE DATABASE app_shadow.'
        }
      )
    }
    await lockShadow(client, settings.waitTimeoutMs)
    const left = await emptyShadowDatabase(client, settings.extensions)
    if (left.length > 0) {
      throw new ScratchUnavailable(
        `the shadow database could not be emptied: it still holds ${plural(left.length, 'object')} (${left.slice(0, 5).join('; ')}${left.length > 5 ? '; …' : ''})`
      )
    }
  } catch (error) {
    await closeQuietly(client)
    throw error instanceof ActionError || error instanceof ScratchUnavailable ? error : new ScratchUnavailable(`preparing the shadow database failed: ${errorMessage(error)}`)
  }
  log.info(`Using the shadow database ${url.database} (emptied before and after use).`)
  return {
    scratch: { name: url.database, kind: 'shadow', url, client },
    dispose: async () => {
      try {
        await emptyShadowDatabase(client, settings.extensions)
      } catch (error) {
        log.warning(`Could not empty the shadow database ${url.database} after use: ${errorMessage(error)}. The next run empties it before use.`)
      }
      await closeQuietly(client)
    }
  }
}

/** The server instance and the database on it, as the server reports them. */
async function databaseIdentity(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ id: string }>(
    `SELECT concat_ws(' ', pg_postmaster_start_time(), (SELECT oid FROM pg_database WHERE datname = current_database()), current_database()) AS id`
  )
  return rows[0].id
}

async function lockShadow(client: pg.Client, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [...SHADOW_LOCK_KEY])
    if (rows[0].ok) return
    if (Date.now() >= deadline) throw new ScratchUnavailable(`another run kept the shadow database busy for longer than wait-timeout (${timeoutMs / 1000} s)`)
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}
