import type pg from 'pg'
import { ancestorsOf } from '../../chain/graph.js'
import { quoteQualified } from '../../connection.js'
import { ActionError } from '../../errors.js'
import type { Settings } from '../../inputs.js'
import type { AppliedRevision, Chain, DatabaseState, Problem } from '../engine.js'
import type { AlembicIni } from './ini.js'

/** Where Alembic records the database's revision(s). Read directly with `pg`, never through Python. */
export interface VersionTable {
  /** Undefined: the connection's default schema (Alembic's default). */
  schema?: string
  table: string
  source: 'input' | 'alembic.ini' | 'default'
}

export function resolveVersionTable(settings: Pick<Settings, 'alembicVersionTable'>, ini: Pick<AlembicIni, 'versionTable' | 'versionTableSchema'>): VersionTable {
  const input = settings.alembicVersionTable
  if (input) return { schema: input.schema || undefined, table: input.table, source: 'input' }
  if (ini.versionTable || ini.versionTableSchema) {
    return { schema: ini.versionTableSchema, table: ini.versionTable ?? 'alembic_version', source: 'alembic.ini' }
  }
  return { table: 'alembic_version', source: 'default' }
}

export function versionTableName(table: VersionTable): string {
  return table.schema ? `${table.schema}.${table.table}` : table.table
}

function qualified(table: VersionTable): string {
  return quoteQualified(table.schema ?? '', table.table)
}

interface ColumnFacts {
  name: string
  type: string
  notNull: boolean
  hasDefault: boolean
}

/** The version rows, or undefined when the table does not exist (a database Alembic never touched). */
export async function readVersionRows(client: pg.Client, table: VersionTable): Promise<string[] | undefined> {
  // to_regclass resolves an unqualified name through search_path, as SQLAlchemy's default schema does.
  const found = await client.query<{ oid: string | null; columns: ColumnFacts[] | null }>(
    `SELECT to_regclass($1)::text AS oid,
            (SELECT json_agg(json_build_object('name', attname, 'type', format_type(atttypid, NULL), 'notNull', attnotnull, 'hasDefault', atthasdef) ORDER BY attnum)
               FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped) AS columns`,
    [qualified(table)]
  )
  if (found.rows[0]?.oid == null) return undefined
  checkShape(table, found.rows[0].columns ?? [])
  const rows = await client.query<{ version_num: string }>(`SELECT version_num::text FROM ${qualified(table)}`)
  return rows.rows.map((r) => r.version_num)
}

/**
 * Alembic's version table is one column, version_num varchar(32). Any other table under that name
 * would fail the read (or Alembic's stamp) with a bare SQL error; say what it is instead.
 */
function checkShape(table: VersionTable, columns: ColumnFacts[]): void {
  const versionNum = columns.find((c) => c.name === 'version_num')
  const textual = versionNum !== undefined && ['character varying', 'text'].includes(versionNum.type)
  // Alembic inserts version_num alone; another column it cannot fill makes every stamp fail.
  const unfillable = columns.filter((c) => c.name !== 'version_num' && c.notNull && !c.hasDefault)
  if (textual && unfillable.length === 0) return
  const name = versionTableName(table)
  const has = columns.length === 0 ? 'no columns' : `columns ${columns.map((c) => `${c.name} (${c.type})`).join(', ')}`
  const from = table.source === 'input' ? 'the alembic-version-table input' : table.source === 'alembic.ini' ? 'version_table in alembic.ini' : "Alembic's default name"
  throw new ActionError(
    'alembic-version-table-incompatible',
    `The table ${name} (from ${from}) is not an Alembic version table: it has ${has}, where Alembic keeps one varchar column version_num${textual ? ` (and cannot fill ${unfillable.map((c) => c.name).join(', ')})` : ''}.`,
    {
      location: table.source === 'input' ? { input: 'alembic-version-table' } : {},
      hint:
        table.source === 'default'
          ? `Another table is named ${name}. Give Alembic its own version table: set version_table in alembic.ini (and in env.py's context.configure) or the alembic-version-table input to an unused name.`
          : `Point ${from} at the Alembic version table of this database (alembic_version unless env.py sets version_table), or at an unused name, which Alembic creates on the first upgrade.`
    }
  )
}

/** Checks the stamped rows against the files and turns them into the engine-neutral state. */
export function reconcile(chain: Chain, rows: string[] | undefined, table: VersionTable): DatabaseState {
  const name = versionTableName(table)
  if (rows === undefined) return { current: [], applied: [], versionTableExists: false, problems: [] }
  const byId = new Map(chain.revisions.map((r) => [r.id, r]))
  const problems: Problem[] = []
  const known = rows.filter((id) => byId.has(id))
  for (const id of rows.filter((row) => !byId.has(row))) {
    problems.push({
      code: 'unknown-stamped-revision',
      severity: 'error',
      message: `The database is stamped with revision '${id}' (in ${name}), but no revision file declares it: the image or checkout probably lacks that migration file.`,
      hint:
        `Restore the file of revision '${id}' (check that the image or checkout includes every file under the versions directory), ` +
        `or, if it was deliberately removed, re-stamp the database to a known revision with \`alembic stamp <revision>\` after checking its schema.`,
      revisions: [id]
    })
  }
  // Each row must be the head of its own branch; a row that is an ancestor of another is stale.
  for (const descendant of known) {
    const below = ancestorsOf(chain.revisions, [descendant])
    for (const ancestor of known) {
      if (ancestor === descendant || !below.has(ancestor)) continue
      const file = byId.get(descendant)!
      problems.push({
        code: 'stamped-ancestor-and-descendant',
        severity: 'error',
        message: `${name} holds both '${ancestor}' and its descendant '${descendant}': several rows must name heads of distinct branches, so Alembic cannot tell where the database is.`,
        hint: `Find which revision the schema really matches, then remove the stale row, e.g. \`DELETE FROM ${name} WHERE version_num = '${ancestor}'\` (or \`alembic stamp --purge <revision>\`).`,
        revisions: [ancestor, descendant],
        file: file.file,
        line: file.line
      })
    }
  }
  const appliedIds = ancestorsOf(chain.revisions, known)
  const applied: AppliedRevision[] = chain.revisions.filter((r) => appliedIds.has(r.id)).map((r) => ({ id: r.id, description: r.description }))
  return { current: rows, applied: orderLike(applied, chain), versionTableExists: true, problems }
}

/** Parents first, as the graph orders them. */
function orderLike(applied: AppliedRevision[], chain: Chain): AppliedRevision[] {
  const position = new Map<string, number>()
  const done = new Set<string>()
  const byId = new Map(chain.revisions.map((r) => [r.id, r]))
  const visit = (id: string): void => {
    if (done.has(id)) return
    done.add(id)
    const revision = byId.get(id)
    for (const parent of [...(revision?.parents ?? []), ...(revision?.dependsOn ?? [])]) visit(parent)
    position.set(id, position.size)
  }
  for (const r of applied) visit(r.id)
  return [...applied].sort((a, b) => position.get(a.id)! - position.get(b.id)!)
}
