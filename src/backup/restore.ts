import { accessSync, constants } from 'node:fs'
import path from 'node:path'
import type pg from 'pg'
import { quoteIdent } from '../connection.js'
import { libpqDbname, type DatabaseUrl } from '../database-url.js'
import type { PgDumpClient } from './client.js'

/**
 * The restore the summary prints. `pg_restore --clean` over the live database is not a restore: it
 * drops only what the archive holds, so what the migrations created after the dump stays (the
 * history table of a first run still lists the undone migration), and `DROP EXTENSION vector` fails
 * as soon as a later table has a vector column. Instead the dump is restored into a new database,
 * which is then swapped in by renaming, in one transaction; the current database is kept under
 * another name until the user drops it. Nothing changes unless every step succeeds.
 */

/** How the database was created: the new one must sort and compare text the same way. */
export interface DatabaseLocale {
  encoding: string
  collate: string
  ctype: string
  /** `c` (libc), `i` (ICU) or `b` (builtin, PostgreSQL 17+), from pg_database.datlocprovider (15+). */
  provider: string
  /** The ICU or builtin locale, when the provider is not libc. */
  locale: string | null
}

export async function readDatabaseLocale(client: pg.Client): Promise<DatabaseLocale> {
  // to_jsonb: datlocprovider appeared in 15, daticulocale became datlocale in 17.
  const { rows } = await client.query<DatabaseLocale>(
    `SELECT pg_encoding_to_char(d.encoding) AS encoding, d.datcollate AS collate, d.datctype AS ctype,
            coalesce(to_jsonb(d) ->> 'datlocprovider', 'c') AS provider, coalesce(to_jsonb(d) ->> 'datlocale', to_jsonb(d) ->> 'daticulocale') AS locale
       FROM pg_database d WHERE d.datname = current_database()`
  )
  return rows[0]
}

export interface RestorePlan {
  command: string
  /** The new database the dump is restored into, renamed to the database's name at the end. */
  restoredName: string
  /** The name the current database is kept under. */
  replacedName: string
}

/** template1 takes the rename: a session cannot rename the database it is connected to, which may well be `postgres`. */
const MAINTENANCE_DATABASE = 'template1'

export function restorePlan(tools: PgDumpClient, url: DatabaseUrl, file: string, locale: DatabaseLocale | undefined, takenAt: Date): RestorePlan {
  const stamp = takenAt.toISOString().replace(/\D/g, '').slice(0, 14)
  const restoredName = databaseName(url.database, `_restored_${stamp}`)
  const replacedName = databaseName(url.database, `_replaced_${stamp}`)
  const connection = [`--host=${url.host}`, `--port=${url.port}`, `--username=${url.user}`]
  const steps = [
    [sibling(tools, 'createdb'), ...connection, `--maintenance-db=${MAINTENANCE_DATABASE}`, '--template=template0', ...localeArgs(locale), restoredName],
    [tools.pgRestore, '--no-owner', '--single-transaction', '--exit-on-error', ...connection, `--dbname=${libpqDbname(restoredName)}`, file],
    [
      sibling(tools, 'psql'),
      '--no-psqlrc',
      '--single-transaction',
      '--set=ON_ERROR_STOP=1',
      ...connection,
      `--dbname=${MAINTENANCE_DATABASE}`,
      `--command=ALTER DATABASE ${quoteIdent(url.database)} RENAME TO ${quoteIdent(replacedName)}`,
      `--command=ALTER DATABASE ${quoteIdent(restoredName)} RENAME TO ${quoteIdent(url.database)}`
    ]
  ]
  return { command: steps.map((words) => words.map(shellQuote).join(' ')).join(' \\\n  && '), restoredName, replacedName }
}

function localeArgs(locale: DatabaseLocale | undefined): string[] {
  if (!locale) return []
  const args = [`--encoding=${locale.encoding}`, `--lc-collate=${locale.collate}`, `--lc-ctype=${locale.ctype}`]
  if (locale.provider === 'i' && locale.locale) args.push('--locale-provider=icu', `--icu-locale=${locale.locale}`)
  if (locale.provider === 'b' && locale.locale) args.push('--locale-provider=builtin', `--builtin-locale=${locale.locale}`)
  return args
}

/** The name plus a suffix, within PostgreSQL's 63 bytes for identifiers (longer names would be cut by the server, not by us). */
function databaseName(base: string, suffix: string): string {
  let name = base
  while (Buffer.byteLength(name + suffix) > 63) name = [...name].slice(0, -1).join('')
  return name + suffix
}

/** The client tools of the pg_restore's installation, or the ones on PATH when it has none. */
function sibling(tools: PgDumpClient, tool: string): string {
  const file = path.join(path.dirname(tools.pgRestore), tool)
  try {
    accessSync(file, constants.X_OK)
    return file
  } catch {
    return tool
  }
}

export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}
