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
        asked: {
          tables: new Set(request.tables.map(tableKey)),
          indexes: new Set(request.indexes.map(tableKey)),
          schemas: new Set(request.schemas)
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
     * Sends the statements to the server in one protocol-level Parse message, which runs the server's
     * raw parser over the whole text and nothing else: with more than one statement the server stops
     * at "cannot insert multiple commands into a prepared statement" before any parse analysis, so
     * nothing is executed, planned or locked. A syntax error comes back with its position instead,
     * which names the statement; the statements after it are asked again.
     */
    async rejectedSyntax(statements: string[]): Promise<SyntaxRejection[]> {
      const rejected: SyntaxRejection[] = []
      let from = 0
      while (from < statements.length && rejected.length < MAX_REJECTIONS) {
        const batch = statements.slice(from)
        // Two statements at least, so that a text the server accepts never reaches parse analysis.
        const pieces = [...batch, 'SELECT 1']
        const starts: number[] = []
        let text = ''
        let codePoints = 0
        for (const piece of pieces) {
          starts.push(codePoints)
          const chunk = `${piece}\n;\n`
          text += chunk
          codePoints += [...chunk].length
        }
        const error = await parseOnly(client, text)
        // The position counts characters (code points) of the sent text, from 1.
        const position = Number(error?.position)
        if (!error || !Number.isFinite(position) || position < 1) return rejected
        let at = starts.length - 1
        while (at >= 0 && starts[at] > position - 1) at--
        if (at < 0 || at >= batch.length) return rejected
        rejected.push({ index: from + at, message: error.message })
        from += at + 1
      }
      return rejected
    }
  }
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
      hasRows: measured?.hasRows,
      totalBytes: measured?.bytes,
      columns: new Map(columns.rows.filter((c) => c.attrelid === row.oid).map((c) => [c.attname, c.type])),
      notNullChecks
    })
  }
  return facts
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

/** A Parse message and a Sync, through pg's Submittable interface (as pg-cursor talks to the server): nothing is bound or executed. */
function parseOnly(client: pg.Client, text: string): Promise<(Error & { position?: string }) | undefined> {
  return new Promise((resolve) => {
    const submittable = {
      submit(connection: { parse(query: { text: string; types: number[] }): void; sync(): void }): void {
        connection.parse({ text, types: [] })
        connection.sync()
      },
      handleError(error: Error & { position?: string }): void {
        resolve(error)
      },
      handleReadyForQuery(): void {
        resolve(undefined)
      }
    }
    void client.query(submittable as unknown as pg.QueryConfig)
  })
}
