import type { LookupAddress } from 'node:dns'
import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'
import type pg from 'pg'
import { errorMessage } from '../errors.js'
import type { QualifiedName } from '../inputs.js'
import { plural } from '../report/markdown.js'
import { NOT_FROM_EXTENSION, SYSTEM_SCHEMAS } from './snapshot.js'

/**
 * Whether verify-downgrade may drop what it finds: the round trip runs down migrations, so the
 * target must be a throwaway server (decided on the addresses the driver connects to, never on how
 * the host is spelled: `167772161` is 10.0.0.1) holding a database with nothing in it yet.
 */

export type HostLookup = (host: string) => Promise<LookupAddress[]>

/** The system resolver, as the driver and libpq use it: every address, in the order they would be tried. */
const systemLookup: HostLookup = (host) => lookup(host, { all: true, verbatim: true })

const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')

/** The networks Docker and GitHub's job containers give service containers. */
const PRIVATE = new BlockList()
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4')
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4')
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4')
PRIVATE.addSubnet('fc00::', 7, 'ipv6')

const inList = (list: BlockList, { address, family }: LookupAddress): boolean => list.check(address, family === 6 ? 'ipv6' : 'ipv4')

/**
 * A job's service container is reached by its label (`postgres`, `db`): one DNS label that is a name,
 * not one of the numeric spellings getaddrinfo reads as an address (`167772161`, `0x0a000001`, `012`).
 */
function isServiceContainerName(host: string): boolean {
  return isIP(host) === 0 && /^[a-z0-9_-]+$/i.test(host) && !/^(0x[0-9a-f]*|[0-9]+)$/i.test(host)
}

/** Why the host is not a throwaway server, or undefined for a unix socket, a loopback address or a service container. */
export async function hostNotDisposable(host: string, resolve: HostLookup = systemLookup): Promise<string | undefined> {
  if (host.startsWith('/')) return undefined
  let addresses: LookupAddress[]
  try {
    addresses = await resolve(host)
  } catch (error) {
    return `the host ${host} does not resolve (${errorMessage(error)})`
  }
  if (addresses.length > 0 && addresses.every((a) => inList(LOOPBACK, a))) return undefined
  const listed = addresses.map((a) => a.address).join(', ')
  if (isServiceContainerName(host)) {
    if (addresses.length > 0 && addresses.every((a) => inList(LOOPBACK, a) || inList(PRIVATE, a))) return undefined
    return `the host ${host} resolves to ${listed}, which is neither loopback nor a private address`
  }
  const onlyName = isIP(host) === 0 && !/^[0-9a-fx.]+$/i.test(host) && addresses.every((a) => inList(PRIVATE, a))
  return `the host ${host} resolves to ${listed}, which is not loopback${onlyName ? ' (only a one-label service container name may be a private address)' : ''}`
}

/** Names that other migration tools give their bookkeeping table, for saying what a table is. */
const HISTORY_TABLE_NAME = /(migration|schema_version|alembic_version|goose_db_version|_history$)/i

/**
 * Why the database is not empty, or undefined when it holds no table, materialized view or large
 * object of its own (an extension's tables are the extension's). The chain's own history or version
 * table is left out: the migrations it records are reported apart, as applied before this run.
 * Any other table counts, whatever its name: another history table means migrations recorded elsewhere.
 */
export async function databaseNotEmpty(client: pg.Client, ownTable: QualifiedName | undefined): Promise<string | undefined> {
  const own = ownTable ? [ownTable.schema || 'public', ownTable.table] : ['', '']
  const { rows } = await client.query<{ name: string; history: boolean }>(
    `SELECT format('%s.%s', n.nspname, c.relname) AS name,
            c.relname ~* $3
              OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'version_num' AND NOT a.attisdropped)
              OR (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname IN ('version', 'checksum') AND NOT a.attisdropped) = 2 AS history
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'm', 'f') AND NOT c.relispartition AND ${SYSTEM_SCHEMAS} AND ${NOT_FROM_EXTENSION('pg_class', 'c.oid')}
        AND (n.nspname, c.relname) <> ($1::name, $2::name)
      ORDER BY n.nspname, c.relname`,
    [...own, HISTORY_TABLE_NAME.source]
  )
  const largeObjects = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM pg_largeobject_metadata`)).rows[0].n)
  if (rows.length === 0 && largeObjects === 0) return undefined
  const shown = rows.slice(0, 10).map((r) => (r.history ? `${r.name}, a migration history table` : r.name))
  const more = rows.length > shown.length ? `; and ${rows.length - shown.length} more` : ''
  const tables = rows.length > 0 ? `${plural(rows.length, 'table')} (${shown.join('; ')}${more})` : ''
  const objects = largeObjects > 0 ? plural(largeObjects, 'large object') : ''
  return `the database is not empty: it holds ${[tables, objects].filter(Boolean).join(' and ')}`
}
