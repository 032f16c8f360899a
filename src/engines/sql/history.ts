import pg from 'pg'
import { quoteIdent, quoteQualified } from '../../connection.js'
import { ActionError, errorMessage } from '../../errors.js'
import type { QualifiedName } from '../../inputs.js'
import { compareVersions } from './files.js'

const { escapeLiteral } = pg

/**
 * The SQL engine's history table: one row per applied migration. Identifiers are always quoted, so
 * the table name the user gives is taken literally.
 */

export interface HistoryRow {
  version: string
  name: string
  checksum: string
  appliedAt: Date
  executionMs: number | null
  appliedBy: string | null
  transactional: boolean
  dirty: boolean
  statementsDone: number | null
  statementsTotal: number | null
}

/** Who applied a migration, from the runner's environment. */
export interface Provenance {
  appliedBy: string | null
  gitSha: string | null
  runId: string | null
  repository: string | null
}

export function provenanceFromEnv(env: NodeJS.ProcessEnv = process.env): Provenance {
  const runId = env.GITHUB_RUN_ID ? [env.GITHUB_RUN_ID, env.GITHUB_RUN_ATTEMPT].filter(Boolean).join('/') : null
  return {
    appliedBy: env.GITHUB_ACTOR || null,
    gitSha: env.GITHUB_SHA || null,
    runId,
    repository: env.GITHUB_REPOSITORY || null
  }
}

/**
 * Every column the action reads or writes — the columns of the CREATE TABLE in ensure(); keep the two
 * in step — with the types it works with and how to add it to a table that has rows. All are
 * required: the table has had these 13 columns since its first version, and every insert writes
 * them. `mayBeNull`: the action inserts NULL there (an explicit NULL, which a default does not replace).
 */
const COLUMNS: Array<{ name: string; add: string; types: string[]; mayBeNull?: true }> = [
  { name: 'version', add: 'text', types: ['text', 'character varying'] },
  { name: 'name', add: "text NOT NULL DEFAULT ''", types: ['text', 'character varying'] },
  { name: 'checksum', add: "text NOT NULL DEFAULT ''", types: ['text', 'character varying'] },
  { name: 'applied_at', add: 'timestamptz NOT NULL DEFAULT now()', types: ['timestamp with time zone', 'timestamp without time zone'] },
  { name: 'execution_ms', add: 'integer', types: ['integer', 'bigint'], mayBeNull: true },
  { name: 'applied_by', add: 'text DEFAULT current_user', types: ['text', 'character varying', 'name'] },
  { name: 'transactional', add: 'boolean NOT NULL DEFAULT true', types: ['boolean'] },
  { name: 'dirty', add: 'boolean NOT NULL DEFAULT false', types: ['boolean'] },
  { name: 'statements_done', add: 'integer', types: ['integer', 'bigint'] },
  { name: 'statements_total', add: 'integer', types: ['integer', 'bigint'] },
  { name: 'git_sha', add: 'text', types: ['text', 'character varying'], mayBeNull: true },
  { name: 'run_id', add: 'text', types: ['text', 'character varying'], mayBeNull: true },
  { name: 'repository', add: 'text', types: ['text', 'character varying'], mayBeNull: true }
]

/** Without these the table is some other tool's, not an older or hand-made copy of ours. */
const IDENTIFYING_COLUMNS = ['version', 'checksum']

/** What the history row of an applied transactional migration records about it. */
export interface HistoryEntry {
  version: string
  name: string
  checksum: string
  transactional: boolean
  statements: number
}

/** transaction: all — when the current migration started, transaction-local so nothing of it outlives the run. */
const MIGRATION_STARTED = 'pg_migrate_action.migration_started'
export const MARK_MIGRATION_STARTED = `SELECT set_config('${MIGRATION_STARTED}', clock_timestamp()::text, true)`

interface ColumnFacts {
  name: string
  type: string
  notNull: boolean
  hasDefault: boolean
}

interface TableFacts {
  columns: ColumnFacts[]
  /** A primary key or unique index on version alone: a second insert of one migration fails instead of recording it twice. */
  versionUnique: boolean
}

export class HistoryTable {
  readonly qualified: string
  /** As the user would write it, for messages. */
  readonly display: string

  constructor(readonly name: QualifiedName) {
    this.qualified = quoteQualified(name.schema, name.table)
    this.display = name.schema ? `${name.schema}.${name.table}` : name.table
  }

  /** Null when the table does not exist. Throws ActionError when it exists but is not ours. */
  async read(client: pg.Client): Promise<HistoryRow[] | null> {
    const facts = await this.facts(client)
    if (facts === null) return null
    this.checkShape(facts)
    let result: pg.QueryResult
    try {
      // Cast to the types the rows are read as: varchar and bigint columns are accepted too.
      result = await client.query(
        `SELECT version::text, name::text, checksum::text, applied_at, execution_ms::integer, applied_by::text,
                transactional, dirty, statements_done::integer, statements_total::integer
           FROM ${this.qualified}`
      )
    } catch (error) {
      throw this.unreadable(error)
    }
    const rows = result.rows.map((r): HistoryRow => ({
      version: String(r.version),
      name: r.name ?? '',
      checksum: r.checksum ?? '',
      appliedAt: r.applied_at,
      executionMs: r.execution_ms,
      appliedBy: r.applied_by,
      transactional: r.transactional !== false,
      dirty: r.dirty === true,
      statementsDone: r.statements_done,
      statementsTotal: r.statements_total
    }))
    return rows.sort((a, b) => compareVersions(a.version, b.version))
  }

  /** Columns and the key on version, or null when the table does not exist (its schema may not exist either). */
  private async facts(client: pg.Client): Promise<TableFacts | null> {
    try {
      const exists = await client.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [this.qualified])
      if (!exists.rows[0].exists) return null
      const columns = await client.query<ColumnFacts>(
        `SELECT attname AS name, format_type(atttypid, NULL) AS type, attnotnull AS "notNull", atthasdef AS "hasDefault"
           FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
        [this.qualified]
      )
      const unique = await client.query<{ unique: boolean }>(
        `SELECT EXISTS (
           SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
            WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indnatts = 1 AND i.indpred IS NULL AND a.attname = 'version'
         ) AS unique`,
        [this.qualified]
      )
      return { columns: columns.rows, versionUnique: unique.rows[0].unique }
    } catch (error) {
      throw this.unreadable(error)
    }
  }

  /**
   * Checked before anything is applied: a table of another shape would otherwise fail the first
   * insert, and the failure would point at the migration instead of the table.
   */
  private checkShape({ columns, versionUnique }: TableFacts): void {
    const byName = new Map(columns.map((c) => [c.name, c]))
    const foreign = IDENTIFYING_COLUMNS.filter((c) => !byName.has(c))
    if (foreign.length > 0) {
      throw new ActionError(
        'history-table-incompatible',
        `The table ${this.display} exists but is not a pg-migrate-action history table (it has no column ${foreign.join(', ')}).`,
        {
          location: { input: 'history-table' },
          hint: 'Another tool probably owns it. Set the history-table input to a name no other tool uses, e.g. public.pg_migrate_history.'
        }
      )
    }
    const problems: string[] = []
    const fixes: string[] = []
    for (const column of COLUMNS) {
      const found = byName.get(column.name)
      if (!found) {
        problems.push(`no column ${column.name}`)
        fixes.push(`ALTER TABLE ${this.qualified} ADD COLUMN ${quoteIdent(column.name)} ${column.add};`)
        continue
      }
      if (!column.types.includes(found.type)) {
        const [type] = column.add.split(' ')
        problems.push(`column ${column.name} is ${found.type}, not ${column.types.join(' or ')}`)
        fixes.push(`ALTER TABLE ${this.qualified} ALTER COLUMN ${quoteIdent(column.name)} TYPE ${type} USING ${quoteIdent(column.name)}::${type};`)
      }
      if (column.mayBeNull && found.notNull) {
        problems.push(`column ${column.name} is NOT NULL, but the action records NULL there when it has no value`)
        fixes.push(`ALTER TABLE ${this.qualified} ALTER COLUMN ${quoteIdent(column.name)} DROP NOT NULL;`)
      }
    }
    const known = new Set(COLUMNS.map((c) => c.name))
    for (const extra of columns.filter((c) => !known.has(c.name) && c.notNull && !c.hasDefault)) {
      problems.push(`column ${extra.name} is NOT NULL without a default, and the action does not write it`)
      fixes.push(`ALTER TABLE ${this.qualified} ALTER COLUMN ${quoteIdent(extra.name)} DROP NOT NULL;`)
    }
    if (!versionUnique && byName.has('version')) {
      problems.push('no primary key or unique index on version, so nothing stops a migration from being recorded twice')
      fixes.push(`ALTER TABLE ${this.qualified} ADD PRIMARY KEY (version);`)
    }
    if (problems.length === 0) return
    throw new ActionError(
      'history-table-shape',
      `The history table ${this.display} does not have the shape pg-migrate-action writes: ${problems.join('; ')}. Nothing was applied.`,
      {
        location: { input: 'history-table' },
        hint: `Bring it into shape (as its owner, after checking the statements against your data), or set the history-table input to a new table name and let the action create it:\n${fixes.join('\n')}`
      }
    )
  }

  /**
   * Creates the table (and its schema) when missing. Existence is checked first because
   * CREATE … IF NOT EXISTS still demands CREATE privilege, which a migration role may lack.
   */
  async ensure(client: pg.Client): Promise<void> {
    try {
      const found = await client.query(`SELECT to_regclass($1) IS NOT NULL AS table, to_regnamespace($2) IS NOT NULL AS schema`, [
        this.qualified,
        quoteIdent(this.name.schema || 'public')
      ])
      if (found.rows[0].table) return
      if (this.name.schema && !found.rows[0].schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.name.schema)}`)
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.qualified} (
           version text PRIMARY KEY,
           name text NOT NULL,
           checksum text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now(),
           execution_ms integer,
           applied_by text DEFAULT current_user,
           transactional boolean NOT NULL DEFAULT true,
           dirty boolean NOT NULL DEFAULT false,
           statements_done integer,
           statements_total integer,
           git_sha text,
           run_id text,
           repository text
         )`
      )
    } catch (error) {
      throw new ActionError('history-table-create-failed', `The history table ${this.display} cannot be created: ${errorMessage(error)}.`, {
        location: { input: 'history-table' },
        hint: 'The database user needs CREATE on the schema (or create the table once as its owner), or point history-table at a schema it may write to.',
        cause: error
      })
    }
  }

  /**
   * The statement that records an applied migration, sent in the migration's own transaction and
   * message (simple protocol: values as literals). Its execution time is the server's, from BEGIN.
   */
  insertAppliedSql(entry: HistoryEntry, who: Provenance, startedAt = 'now()'): string {
    const text = (value: string | null): string => (value === null ? 'NULL' : escapeLiteral(value))
    return `INSERT INTO ${this.qualified}
               (version, name, checksum, execution_ms, applied_by, transactional, dirty, statements_done, statements_total, git_sha, run_id, repository)
             VALUES (${text(entry.version)}, ${text(entry.name)}, ${text(entry.checksum)}, (extract(epoch FROM clock_timestamp() - ${startedAt}) * 1000)::integer,
                     COALESCE(${text(who.appliedBy)}, current_user), ${entry.transactional}, false, ${Math.trunc(entry.statements)}, ${Math.trunc(entry.statements)},
                     ${text(who.gitSha)}, ${text(who.runId)}, ${text(who.repository)})`
  }

  /**
   * transaction: all — the history row of one migration among several in the same transaction,
   * where now() is the start of the whole run: its execution time counts from MARK_MIGRATION_STARTED, sent
   * just before the migration's statements, and is returned for the report.
   */
  insertAppliedInRunSql(entry: HistoryEntry, who: Provenance): string {
    return `${this.insertAppliedSql(entry, who, `COALESCE(NULLIF(current_setting('${MIGRATION_STARTED}', true), '')::timestamptz, now())`)} RETURNING execution_ms`
  }

  /** Marks a non-transactional migration as started; it stays dirty until `markClean`. */
  async markDirty(client: pg.Client, entry: { version: string; name: string; checksum: string; statements: number }, who: Provenance): Promise<void> {
    await client.query(
      `INSERT INTO ${this.qualified}
         (version, name, checksum, applied_by, transactional, dirty, statements_done, statements_total, git_sha, run_id, repository)
       VALUES ($1, $2, $3, COALESCE($4, current_user), false, true, 0, $5, $6, $7, $8)`,
      [entry.version, entry.name, entry.checksum, who.appliedBy, entry.statements, who.gitSha, who.runId, who.repository]
    )
  }

  async recordProgress(client: pg.Client, version: string, statementsDone: number): Promise<void> {
    await client.query(`UPDATE ${this.qualified} SET statements_done = $2 WHERE version = $1`, [version, statementsDone])
  }

  async markClean(client: pg.Client, version: string, executionMs: number): Promise<void> {
    await client.query(`UPDATE ${this.qualified} SET dirty = false, applied_at = now(), execution_ms = $2 WHERE version = $1`, [version, executionMs])
  }

  /**
   * `mode: repair`: records a migration the user finished by hand as applied — its dirty row made
   * clean with the checksum of the file as it is now, or a new row when a failure left none.
   */
  async markApplied(client: pg.Client, entry: { version: string; name: string; checksum: string }, who: Provenance): Promise<void> {
    const updated = await client.query(
      `UPDATE ${this.qualified} SET dirty = false, checksum = $2, statements_done = statements_total, applied_by = COALESCE($3, current_user) WHERE version = $1`,
      [entry.version, entry.checksum, who.appliedBy]
    )
    if ((updated.rowCount ?? 0) > 0) return
    await client.query(
      `INSERT INTO ${this.qualified} (version, name, checksum, applied_by, transactional, dirty, git_sha, run_id, repository)
       VALUES ($1, $2, $3, COALESCE($4, current_user), true, false, $5, $6, $7)`,
      [entry.version, entry.name, entry.checksum, who.appliedBy, who.gitSha, who.runId, who.repository]
    )
  }

  /** `mode: repair`: forgets a migration, so the next run applies it again. */
  async remove(client: pg.Client, version: string): Promise<void> {
    await client.query(`DELETE FROM ${this.qualified} WHERE version = $1`, [version])
  }

  async has(client: pg.Client, version: string): Promise<boolean> {
    const result = await client.query(`SELECT 1 FROM ${this.qualified} WHERE version = $1 AND NOT dirty`, [version])
    return (result.rowCount ?? 0) > 0
  }

  /** SQL the user can paste, with the real table name and version. */
  sqlMarkClean(version: string): string {
    return `UPDATE ${this.qualified} SET dirty = false, statements_done = statements_total WHERE version = ${literal(version)};`
  }

  sqlDelete(version: string): string {
    return `DELETE FROM ${this.qualified} WHERE version = ${literal(version)};`
  }

  sqlUpdateChecksum(version: string, checksum: string): string {
    return `UPDATE ${this.qualified} SET checksum = ${literal(checksum)} WHERE version = ${literal(version)};`
  }

  private unreadable(error: unknown): ActionError {
    return new ActionError('history-table-unreadable', `The history table ${this.display} cannot be read: ${errorMessage(error)}.`, {
      location: { input: 'history-table' },
      hint: 'The database user needs SELECT on the history table (and USAGE on its schema).',
      cause: error
    })
  }
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}
