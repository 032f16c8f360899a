import type pg from 'pg'
import { quoteQualified } from '../../connection.js'
import type { SqlStatement } from '../../sql/parse.js'

/**
 * A CREATE INDEX CONCURRENTLY that fails after its first phase leaves its index behind, marked
 * INVALID (pg_index.indisvalid = false): queries do not use it, every write still maintains it, and
 * running the same statement again fails with "relation … already exists" (or, with IF NOT EXISTS,
 * succeeds without building anything). The runner reads which INVALID indexes a failed statement
 * left, for the summary, and drops the one a named CREATE INDEX CONCURRENTLY is about to create
 * again, so a retried migration builds it instead of failing.
 */

/** The table and index a CREATE INDEX CONCURRENTLY names, as written. */
export interface ConcurrentIndex {
  /** The table as written, quoted (`"public"."t"` or `"t"`), for to_regclass under the session's search_path. */
  table: string
  /** The index name as written; undefined when the server picks one. */
  name?: string
}

export function concurrentIndexOf(statement: SqlStatement): ConcurrentIndex | undefined {
  if (statement.noTransaction?.what !== 'CREATE INDEX CONCURRENTLY') return undefined
  const body = (statement.node as { IndexStmt?: { idxname?: string; relation?: { schemaname?: string; relname?: string } } }).IndexStmt
  if (!body?.relation?.relname) return undefined
  return { table: quoteQualified(body.relation.schemaname ?? '', body.relation.relname), name: body.idxname }
}

/** The table's oid and the INVALID indexes it has before the statement runs; undefined when the table does not exist (the statement fails before creating anything). */
export interface InvalidBefore {
  tableOid: number
  invalid: string[]
}

const INVALID_OF_TABLE = `
  SELECT format('%I.%I', n.nspname, c.relname) AS name
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE i.indrelid = $1 AND NOT i.indisvalid
   ORDER BY 1`

/** Read on the migration session, so the table resolves under the search_path the file set. */
export async function invalidBefore(session: pg.Client, index: ConcurrentIndex): Promise<InvalidBefore | undefined> {
  const table = await session.query<{ oid: number | null }>(`SELECT to_regclass($1)::oid AS oid`, [index.table])
  const oid = table.rows[0]?.oid
  if (oid === null || oid === undefined) return undefined
  const invalid = await session.query<{ name: string }>(INVALID_OF_TABLE, [oid])
  return { tableOid: Number(oid), invalid: invalid.rows.map((r) => r.name) }
}

/**
 * The INVALID indexes of the table that were not there before the failed statement: the one it left.
 * Read on another session (the lock's): the migration session may be gone with the failure.
 */
export async function invalidLeftBehind(client: pg.Client, before: InvalidBefore): Promise<string[]> {
  const now = await client.query<{ name: string }>(INVALID_OF_TABLE, [before.tableOid])
  return now.rows.map((r) => r.name).filter((name) => !before.invalid.includes(name))
}

/**
 * The INVALID index of that name on that table, left by an earlier failed build, when no build of it
 * is running now (an in-progress CREATE INDEX CONCURRENTLY is INVALID too until it finishes).
 */
export async function leftoverInvalidIndex(session: pg.Client, index: ConcurrentIndex): Promise<string | undefined> {
  if (!index.name) return undefined
  const found = await session.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indexrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE i.indrelid = to_regclass($1) AND c.relname = $2 AND NOT i.indisvalid
        AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = i.indexrelid)`,
    [index.table, index.name]
  )
  return found.rows[0]?.name
}

export function dropIndexCommand(qualifiedName: string): string {
  return `DROP INDEX CONCURRENTLY IF EXISTS ${qualifiedName};`
}
