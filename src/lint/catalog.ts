import type pg from 'pg'
import { tableKey, type RelationRef } from './ast.js'
import type { Catalog, CatalogReader, CatalogRequest, NotNullCheck, SyntaxRejection, TableFacts, Volatility } from './schema-model.js'

/**
 * The lint's view of the live database, over `pg`: which tables, indexes, schemas and functions
 * exist, how big the tables are, what type each column has. Read-only, on the action's own
 * connection, before anything is applied. Existence comes from the system catalogs, which never
 * wait for a lock; sizes and the row probe take ACCESS SHARE locks, so a table locked by someone
 * else must not stall the lint: they run under a short lock_timeout and go without what they could not read.
 */
const LOCK_TIMEOUT = '2s'

/** How many statements the server may reject before the lint stops asking (each one is a round trip). */
const MAX_REJECTIONS = 20

/** `schema.name` as the catalog resolves it: unqualified through the search_path, as the migration will. */
const RESOLVE = `COALESCE(
  CASE WHEN t.schema_name = '' THEN to_regclass(quote_ident(t.rel_name)) END,
  (SELECT c.oid FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE t.schema_name <> '' AND ns.nspname = t.schema_name AND c.relname = t.rel_name)::regclass)`

export function pgCatalogReader(client: pg.Client): CatalogReader {
  return {
    async read(request: CatalogRequest): Promise<Catalog> {
      const catalog: Catalog = {
        tables: new Map(),
        indexes: new Map(),
        schemas: new Set(),
        volatility: new Map(),
        cascades: new Map(),
        domains: new Map(),
        asked: {
          tables: new Set(request.tables.map(tableKey)),
          indexes: new Set(request.indexes.map(tableKey)),
          schemas: new Set(request.schemas),
          domains: new Set(request.domains.map(tableKey))
        }
      }
      await client.query(`BEGIN READ ONLY; SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`)
      try {
        catalog.serverVersion = (await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v
        const tables = new Map(request.tables.map((t) => [tableKey(t), t]))
        for (const [index, table] of await readIndexes(client, request.indexes)) {
          catalog.indexes.set(index, tableKey(table))
          // The index's table is described with the others: a finding on the index shows its size.
          tables.set(tableKey(table), table)
          catalog.asked.tables.add(tableKey(table))
        }
        catalog.tables = await readTables(client, [...tables.values()])
        if (request.schemas.length > 0) {
          const found = await client.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname = ANY($1::text[])`, [request.schemas])
          for (const row of found.rows) catalog.schemas.add(row.nspname)
        }
        catalog.volatility = await readVolatility(client, request.functions)
        catalog.domains = await readDomains(client, request.domains)
        for (const table of request.cascades) {
          const reached = await readCascade(client, table)
          if (reached) catalog.cascades.set(tableKey(table), reached)
        }
      } finally {
        await client.query('ROLLBACK')
      }
      return catalog
    },

    /**
     * Has the server parse each statement with protocol-level Parse messages, pipelined, and run
     * nothing: no Bind, no Execute. A Parse runs the raw parser and, for DDL and other utility
     * statements, nothing else; queries (SELECT, INSERT, UPDATE, DELETE, MERGE) would also be
     * analysed (their tables looked up and locked), so they are sent as `PREPARE … AS <query>`, a
     * utility statement the server only parses. A successful Parse is not an error in the server's
     * log, so only a statement it rejects, which would fail at apply anyway, is logged there.
     */
    async rejectedSyntax(statements: ParseableStatement[]): Promise<SyntaxRejection[]> {
      const rejected: SyntaxRejection[] = []
      const checked = statements.flatMap((statement, index) => {
        const text = parseableText(statement)
        return text === undefined ? [] : [{ index, text }]
      })
      let from = 0
      while (from < checked.length && rejected.length < MAX_REJECTIONS) {
        // Ends with a harmless statement: the session's last query in pg_stat_activity is not a migration's.
        const { parsed, error } = await parseOnly(client, [...checked.slice(from).map((c) => c.text), 'SELECT 1'])
        if (!error || from + parsed >= checked.length) return rejected
        // An error without a position (one statement that the server reads as two) names no syntax to blame.
        if (error.position !== undefined) rejected.push({ index: checked[from + parsed].index, message: error.message })
        from += parsed + 1
      }
      return rejected
    }
  }
}

/** A statement to check, with its parse node type (`IndexStmt`, `InsertStmt`, …). */
export interface ParseableStatement {
  text: string
  kind: string
}

/** Queries: a Parse would analyse them (look up and lock their tables); inside PREPARE they are only parsed. */
const QUERIES = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt'])
/** Utility statements whose Parse analyses a query or looks up a procedure: not sent. */
const ANALYSED = new Set(['CallStmt', 'ExplainStmt', 'CreateTableAsStmt', 'DeclareCursorStmt'])

function parseableText(statement: ParseableStatement): string | undefined {
  if (ANALYSED.has(statement.kind)) return undefined
  return QUERIES.has(statement.kind) ? `PREPARE pgma_syntax_check AS ${statement.text}` : statement.text
}

async function readIndexes(client: pg.Client, indexes: RelationRef[]): Promise<Map<string, RelationRef>> {
  const found = new Map<string, RelationRef>()
  if (indexes.length === 0) return found
  const rows = await client.query<{ i: string; nspname: string; relname: string }>(
    `SELECT t.i, tn.nspname, tc.relname
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(schema_name, rel_name, i)
       JOIN pg_class ic ON ic.oid = ${RESOLVE} AND ic.relkind IN ('i', 'I')
       JOIN pg_index x ON x.indexrelid = ic.oid
       JOIN pg_class tc ON tc.oid = x.indrelid
       JOIN pg_namespace tn ON tn.oid = tc.relnamespace`,
    [indexes.map((t) => t.schema ?? ''), indexes.map((t) => t.name)]
  )
  for (const row of rows.rows) found.set(tableKey(indexes[Number(row.i) - 1]), { schema: row.nspname, name: row.relname })
  return found
}

async function readTables(client: pg.Client, tables: RelationRef[]): Promise<Map<string, TableFacts>> {
  const facts = new Map<string, TableFacts>()
  if (tables.length === 0) return facts
  const found = await client.query<{ i: string; oid: string; regclass: string; reltuples: number; locked: boolean }>(
    `SELECT t.i, c.oid::int8 AS oid, c.oid::regclass::text AS regclass, c.reltuples::float8 AS reltuples,
            EXISTS (SELECT 1 FROM pg_locks WHERE relation = c.oid AND mode = 'AccessExclusiveLock' AND pid <> pg_backend_pid()) AS locked
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(schema_name, rel_name, i)
       JOIN pg_class c ON c.oid = ${RESOLVE}
      WHERE c.relkind IN ('r', 'p', 'm', 'f')`,
    [tables.map((t) => t.schema ?? ''), tables.map((t) => t.name)]
  )
  const oids = found.rows.map((r) => r.oid)
  const columns = await client.query<{ attrelid: string; attname: string; type: string }>(
    `SELECT attrelid::int8 AS attrelid, attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = ANY($1::oid[]) AND attnum > 0 AND NOT attisdropped`,
    [oids]
  )
  const checks = await client.query<{ conrelid: string; conname: string; convalidated: boolean; def: string }>(
    `SELECT conrelid::int8 AS conrelid, conname, convalidated, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'c' AND conrelid = ANY($1::oid[])`,
    [oids]
  )
  for (const row of found.rows) {
    const notNullChecks = new Map<string, NotNullCheck>()
    for (const check of checks.rows.filter((c) => c.conrelid === row.oid)) {
      const proved = notNullColumnsOfDefinition(check.def)
      if (proved.length > 0) notNullChecks.set(check.conname, { columns: proved, validated: check.convalidated })
    }
    const measured = row.locked ? undefined : await measure(client, row.regclass)
    facts.set(tableKey(tables[Number(row.i) - 1]), {
      estimatedRows: row.reltuples >= 0 ? row.reltuples : undefined,
      // Exact where cheap: the vector index memory estimate needs the rows loaded since the last ANALYZE.
      countedRows: measured?.hasRows && measured.bytes <= COUNT_UP_TO_BYTES ? await countRows(client, row.regclass) : measured?.hasRows === false ? 0 : undefined,
      hasRows: measured?.hasRows,
      totalBytes: measured?.bytes,
      columns: new Map(columns.rows.filter((c) => c.attrelid === row.oid).map((c) => [c.attname, c.type])),
      notNullChecks
    })
  }
  return facts
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

/** Size and whether the table has a row: the estimate is -1 until the table is first analyzed, one row read says. */
async function measure(client: pg.Client, regclass: string): Promise<{ bytes: number; hasRows: boolean } | undefined> {
  await client.query('SAVEPOINT pgma_lint_rows')
  try {
    // regclass::text is already quoted as an identifier.
    const result = await client.query<{ bytes: string; e: boolean }>(
      `SELECT pg_total_relation_size('${regclass.replace(/'/g, "''")}'::regclass)::text AS bytes, EXISTS (SELECT 1 FROM ${regclass}) AS e`
    )
    await client.query('RELEASE SAVEPOINT pgma_lint_rows')
    return { bytes: Number(result.rows[0].bytes), hasRows: result.rows[0].e }
  } catch {
    // No SELECT privilege, or locked by someone else since: the estimate has to do.
    await client.query('ROLLBACK TO SAVEPOINT pgma_lint_rows')
    return undefined
  }
}

async function readVolatility(client: pg.Client, functions: RelationRef[]): Promise<Map<string, Volatility>> {
  const volatility = new Map<string, Volatility>()
  if (functions.length === 0) return volatility
  // 'i' < 's' < 'v': the most volatile overload decides (the lint does not resolve argument types).
  const rows = await client.query<{ i: string; v: Volatility }>(
    `SELECT t.i, max(p.provolatile::text) AS v
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(schema_name, fn_name, i)
       JOIN pg_proc p ON p.proname = t.fn_name
       JOIN pg_namespace ns ON ns.oid = p.pronamespace
      WHERE CASE WHEN t.schema_name = '' THEN pg_function_is_visible(p.oid) ELSE ns.nspname = t.schema_name END
      GROUP BY t.i`,
    [functions.map((f) => f.schema ?? ''), functions.map((f) => f.name)]
  )
  for (const row of rows.rows) volatility.set(tableKey(functions[Number(row.i) - 1]), row.v)
  return volatility
}

/** The domains that exist, each with the table columns of its type (what ALTER DOMAIN … ADD CONSTRAINT checks). */
async function readDomains(client: pg.Client, domains: RelationRef[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>()
  if (domains.length === 0) return found
  const rows = await client.query<{ i: string; columns: string[] }>(
    `SELECT t.i, array_remove(array_agg(a.attrelid::regclass::text || '.' || quote_ident(a.attname) ORDER BY 1), NULL) AS columns
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(schema_name, type_name, i)
       JOIN pg_type ty ON ty.oid = to_regtype(CASE WHEN t.schema_name = '' THEN quote_ident(t.type_name) ELSE quote_ident(t.schema_name) || '.' || quote_ident(t.type_name) END) AND ty.typtype = 'd'
       LEFT JOIN pg_attribute a ON a.atttypid = ty.oid AND a.attnum > 0 AND NOT a.attisdropped
        AND EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = a.attrelid AND c.relkind IN ('r', 'p', 'm'))
      GROUP BY t.i`,
    [domains.map((d) => d.schema ?? ''), domains.map((d) => d.name)]
  )
  for (const row of rows.rows) found.set(tableKey(domains[Number(row.i) - 1]), row.columns)
  return found
}

/** The tables TRUNCATE … CASCADE of `table` empties too: those whose foreign keys reference it, transitively; undefined when it does not exist. */
async function readCascade(client: pg.Client, table: RelationRef): Promise<string[] | undefined> {
  const target = await client.query<{ oid: string | null }>(`SELECT ${RESOLVE}::int8 AS oid FROM (SELECT $1::text AS schema_name, $2::text AS rel_name) t`, [
    table.schema ?? '',
    table.name
  ])
  const oid = target.rows[0]?.oid
  if (!oid) return undefined
  // Partitions' copies of a foreign key (conparentid <> 0) are the parent's: counted once, by the parent.
  const reached = await client.query<{ name: string }>(
    `WITH RECURSIVE reach(oid) AS (
       SELECT c.conrelid FROM pg_constraint c WHERE c.contype = 'f' AND c.conparentid = 0 AND c.confrelid = $1::oid
       UNION
       SELECT c.conrelid FROM pg_constraint c JOIN reach r ON c.confrelid = r.oid WHERE c.contype = 'f' AND c.conparentid = 0
     )
     SELECT oid::regclass::text AS name FROM reach WHERE oid <> $1::oid ORDER BY 1`,
    [oid]
  )
  return reached.rows.map((r) => r.name)
}

/**
 * The columns a constraint definition (`pg_get_constraintdef`) proves NOT NULL: `CHECK ((col IS NOT
 * NULL))`, alone or ANDed with other conditions. Anything with OR or NOT proves nothing here.
 */
export function notNullColumnsOfDefinition(definition: string): string[] {
  if (!/^CHECK\b/i.test(definition) || /\bOR\b|\bNOT\s*\(/i.test(definition.replace(/IS NOT NULL/gi, ''))) return []
  const columns: string[] = []
  for (const match of definition.matchAll(/\((?:"((?:[^"]|"")+)"|([a-z_][a-z0-9_$]*)) IS NOT NULL\)/g)) {
    columns.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2])
  }
  return columns
}

/**
 * Parse messages for `texts` and one Sync, through pg's Submittable interface (as pg-cursor talks to
 * the server): how many parsed before the first error, and that error. The server skips every
 * message after an error until the Sync.
 */
function parseOnly(client: pg.Client, texts: string[]): Promise<{ parsed: number; error?: Error & { position?: string } }> {
  return new Promise((resolve) => {
    let parsed = 0
    let connection: ProtocolConnection | undefined
    const counted = (): void => void parsed++
    const done = (error?: Error & { position?: string }): void => {
      connection?.removeListener('parseComplete', counted)
      resolve({ parsed, error })
    }
    const submittable = {
      submit(con: ProtocolConnection): void {
        connection = con
        con.on('parseComplete', counted)
        for (const text of texts) con.parse({ text, types: [] })
        con.sync()
      },
      handleError: done,
      handleReadyForQuery: () => done()
    }
    void client.query(submittable as unknown as pg.QueryConfig)
  })
}

/** What of pg's connection a Submittable uses. */
interface ProtocolConnection {
  parse(query: { text: string; types: number[] }): void
  sync(): void
  on(event: 'parseComplete', listener: () => void): void
  removeListener(event: 'parseComplete', listener: () => void): void
}
