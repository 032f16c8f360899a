import type pg from 'pg'
import { tableKey, type RelationRef } from './ast.js'
import type { CatalogReader, TableFacts } from './schema-model.js'

/**
 * The lint's view of the live database, over `pg`: which tables exist, how big they are and what
 * type each column has. Read-only, on the action's own connection, before anything is applied.
 * Sizes and the row probe take ACCESS SHARE locks, so a table locked by someone else must not stall
 * the lint: it reads under a short lock_timeout and goes without what it could not read.
 */
const LOCK_TIMEOUT = '2s'

export function pgCatalogReader(client: pg.Client): CatalogReader {
  return {
    async describeTables(tables: RelationRef[]): Promise<Map<string, TableFacts>> {
      const facts = new Map<string, TableFacts>()
      if (tables.length === 0) return facts
      await client.query(`BEGIN READ ONLY; SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`)
      try {
        // to_regclass resolves unqualified names through the search_path, as the migration will.
        const found = await client.query<{ i: string; oid: string; regclass: string; reltuples: number; bytes: string | null }>(
          `SELECT t.i, c.oid::int8 AS oid, c.oid::regclass::text AS regclass, c.reltuples::float8 AS reltuples,
                  CASE WHEN l.locked IS NULL THEN pg_total_relation_size(c.oid)::text END AS bytes
             FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(schema_name, rel_name, i)
             JOIN pg_class c ON c.oid = to_regclass(CASE WHEN t.schema_name = '' THEN quote_ident(t.rel_name) ELSE quote_ident(t.schema_name) || '.' || quote_ident(t.rel_name) END)
             LEFT JOIN LATERAL (SELECT true AS locked FROM pg_locks WHERE relation = c.oid AND mode = 'AccessExclusiveLock' AND pid <> pg_backend_pid() LIMIT 1) l ON true
            WHERE c.relkind IN ('r', 'p', 'm')`,
          [tables.map((t) => t.schema ?? ''), tables.map((t) => t.name)]
        )
        for (const row of found.rows) {
          const table = tables[Number(row.i) - 1]
          const columns = await client.query<{ attname: string; type: string }>(
            `SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped`,
            [row.oid]
          )
          const bytes = row.bytes === null ? undefined : Number(row.bytes)
          facts.set(tableKey(table), {
            estimatedRows: row.reltuples >= 0 ? row.reltuples : undefined,
            countedRows: bytes !== undefined && bytes <= COUNT_UP_TO_BYTES ? await countRows(client, row.regclass) : undefined,
            hasRows: await hasRows(client, row.regclass),
            totalBytes: bytes,
            columns: new Map(columns.rows.map((c) => [c.attname, c.type]))
          })
        }
      } catch {
        // A lock that came in between (lock_timeout): lint with what was read.
      } finally {
        await client.query('ROLLBACK')
      }
      return facts
    }
  }
}

/** Tables up to this size are counted: the estimate may be stale (rows loaded since the last ANALYZE) or missing. */
const COUNT_UP_TO_BYTES = 256 * 1024 * 1024
const COUNT_TIMEOUT = '2s'

/** count(*) within COUNT_TIMEOUT; undefined when it takes longer or may not read the table. */
async function countRows(client: pg.Client, regclass: string): Promise<number | undefined> {
  await client.query(`SAVEPOINT pgma_lint_count; SET LOCAL statement_timeout = '${COUNT_TIMEOUT}'`)
  try {
    // regclass::text is already quoted as an identifier.
    const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${regclass}`)
    await client.query('RESET statement_timeout; RELEASE SAVEPOINT pgma_lint_count')
    return Number(result.rows[0].n)
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT pgma_lint_count')
    return undefined
  }
}

/** The estimate is -1 until the table is first analyzed; one row read says whether it is empty. */
async function hasRows(client: pg.Client, regclass: string): Promise<boolean | undefined> {
  await client.query('SAVEPOINT pgma_lint_rows')
  try {
    // regclass::text is already quoted as an identifier.
    const result = await client.query<{ e: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${regclass}) AS e`)
    return result.rows[0].e
  } catch {
    // No SELECT privilege, or locked by someone else: the estimate has to do.
    await client.query('ROLLBACK TO SAVEPOINT pgma_lint_rows')
    return undefined
  }
}
