import type { SchemaChangeOutcome } from '../scratch/outcomes.js'
import { formatDiff, type SchemaChange } from '../verify/diff.js'
import { splitKey, type ObjectKind } from '../verify/snapshot.js'
import { code, details, fence, plural, prose, table, truncate } from './markdown.js'

/**
 * The Schema change section: what the pending migrations change (plan, validate) or what this run
 * changed (migrate), object by object, from the catalogs. Rendered in the job summary and in the
 * pull-request comment (which passes a smaller row budget).
 */

export interface SchemaSectionOptions {
  /** Rows shown before the rest is cut with a line saying how many; the diff below is cut to `maxDiffChars` (0: no diff). */
  maxRows?: number
  maxDiffChars?: number
  /** The heading level and text; the comment may want `####`. */
  heading?: string
}

const DEFAULT_ROWS = 200
const DEFAULT_DIFF_CHARS = 20_000
/** A definition longer than this (a function body, a view) is cut in its cell; the diff below has it whole. */
const DEFINITION_CHARS = 140

export const CHANGE_ICON: Record<SchemaChange['change'], string> = { added: '➕ added', removed: '➖ dropped', changed: '✏️ altered' }

/** Tables before what hangs off them, the rest after; within a kind by name, so a table's columns stay together. */
const KIND_ORDER: ObjectKind[] = [
  'extension',
  'schema',
  'enum',
  'sequence',
  'table',
  'foreign table',
  'column',
  'index',
  'constraint',
  'trigger',
  'view',
  'materialized view',
  'function',
  'procedure',
  'aggregate'
]

export function renderSchemaChangeSection(outcome: SchemaChangeOutcome | undefined, options: SchemaSectionOptions = {}): string {
  if (!outcome) return ''
  const heading = options.heading ?? '### Schema change'
  const applied = outcome.basis === 'target'
  const one = outcome.revisions.length === 1
  const migrations = applied ? `${plural(outcome.revisions.length, 'migration')} this run applied` : plural(outcome.revisions.length, 'pending migration')
  const change = applied ? 'changed' : one ? 'changes' : 'change'
  const them = one ? 'it' : 'them'
  if (outcome.status === 'skipped') {
    // Nothing pending is said by the plan; the section would only repeat it.
    if (outcome.revisions.length === 0) return ''
    return `${heading}\n\n⏭️ Not computed: ${prose(outcome.reason ?? 'skipped')}.${unavailableHint(outcome.reason)}\n`
  }
  if (outcome.status === 'failed') {
    return `${heading}\n\n⚠️ Not computed: ${prose(outcome.reason ?? 'failed')}. The database itself was not touched; a migrate run would likely fail the same way.\n`
  }
  const where =
    outcome.basis === 'copy'
      ? `computed by running ${them} on a scratch copy of the database’s schema (the database itself is not touched)`
      : outcome.basis === 'replay'
        ? `computed by running ${them} on a scratch database holding a replay of the applied migrations (${prose(outcome.reason ?? 'no copy of the schema')})`
        : 'read from the database’s catalogs before and after'
  if (outcome.changes.length === 0) return `${heading}\n\nThe ${migrations} ${change} no table, column, index, constraint, extension, function or view (${where}).\n`
  const grouped = groupByTable(outcome.changes)
  const limit = options.maxRows ?? DEFAULT_ROWS
  const shown = grouped.slice(0, limit)
  const rows = shown.map((g) => [CHANGE_ICON[g.change.change], objectCell(g.change.object, g.folded), definitionCell(g.change, g.folded)])
  const counts = countChanges(outcome.changes)
  const out = [`${heading}\n\n`, `What the ${migrations} ${change} in the schema — ${counts} — ${where}:\n\n`]
  out.push(table(['Change', 'Object', 'Definition'], rows))
  if (grouped.length > shown.length) out.push(`\n… and ${plural(grouped.length - shown.length, 'more change')}, in the diff below.\n`)
  // 0: no diff (the pull request comment links to the summary, which has it).
  if (options.maxDiffChars !== 0)
    out.push('\n' + details('Every definition, as a diff (- before, + after)', fence(truncate(formatDiff(outcome.changes), options.maxDiffChars ?? DEFAULT_DIFF_CHARS), 'diff')))
  return out.join('')
}

/** The one-line skip may need a pointer to what would make it possible. */
export function unavailableHint(reason: string | undefined): string {
  return reason?.includes('CREATEDB') ? ' Grant the role CREATEDB, or set `shadow-database-url` to a database the action may empty.' : ''
}

export function countChanges(changes: SchemaChange[]): string {
  const n = { added: 0, removed: 0, changed: 0 }
  for (const c of changes) n[c.change]++
  return [n.added && `${n.added} added`, n.removed && `${n.removed} dropped`, n.changed && `${n.changed} altered`].filter(Boolean).join(', ')
}

export interface GroupedChange<C extends SchemaChange = SchemaChange> {
  change: C
  /** What is folded into a table's row: its columns (with types), and for a dropped table everything on it. */
  folded: C[]
}

/**
 * One row per object, in KIND_ORDER, except that a table added or dropped as a whole carries its
 * columns in its own row (`id bigint, embedding vector(1536)`), and a dropped one everything on it:
 * an index on a new table still has a row of its own, its method and operator class are the point.
 */
export function groupByTable<C extends SchemaChange>(changes: C[]): GroupedChange<C>[] {
  const tables = new Map(changes.filter((c) => c.change !== 'changed' && splitKey(c.object).kind === 'table').map((c) => [`${c.change} ${splitKey(c.object).name}`, c] as const))
  const folded = new Map<C, C[]>()
  const rows: C[] = []
  for (const change of changes) {
    const owner = change.change === 'changed' ? undefined : tables.get(`${change.change} ${ownerTable(change.object) ?? ''}`)
    const { kind } = splitKey(change.object)
    const fold = owner !== undefined && (kind === 'column' || change.change === 'removed')
    if (fold) folded.set(owner, [...(folded.get(owner) ?? []), change])
    else rows.push(change)
  }
  const rank = (c: C): number => KIND_ORDER.indexOf(splitKey(c.object).kind)
  return rows.sort((a, b) => rank(a) - rank(b) || (a.object < b.object ? -1 : a.object > b.object ? 1 : 0)).map((change) => ({ change, folded: folded.get(change) ?? [] }))
}

/** `schema.table` a column, constraint, trigger or index belongs to, from its key. */
function ownerTable(key: string): string | undefined {
  const { kind, name } = splitKey(key)
  if (kind === 'column' || kind === 'constraint' || kind === 'trigger') return name.slice(0, name.lastIndexOf('.'))
  if (kind === 'index') {
    const [, schema, table] = /^([^.]+)\.\S+ on (.+)$/.exec(name) ?? []
    return table === undefined ? undefined : `${schema}.${table}`
  }
  return undefined
}

export function objectCell(key: string, folded: SchemaChange[] = []): string {
  const { kind, name } = splitKey(key)
  const [object, on] = name.split(' on ')
  const base = `${kind} ${code(object)}${on ? ` on ${code(on)}` : ''}`
  const others = folded.filter((c) => splitKey(c.object).kind !== 'column')
  if (others.length === 0) return base
  const byKind = new Map<string, number>()
  for (const c of others) byKind.set(splitKey(c.object).kind, (byKind.get(splitKey(c.object).kind) ?? 0) + 1)
  return `${base}<br><sub>with its ${[...byKind].map(([k, n]) => plural(n, k, k === 'index' ? 'indexes' : `${k}s`)).join(', ')}</sub>`
}

export function definitionCell(change: SchemaChange, folded: SchemaChange[] = []): string {
  const columns = folded.filter((c) => splitKey(c.object).kind === 'column')
  if (columns.length > 0) {
    return columns.map((c) => `${code(splitKey(c.object).name.split('.').pop()!)} ${definition(c.after ?? c.before ?? '')}`).join('<br>')
  }
  if (change.change === 'changed') return `${definition(change.before ?? '')} → ${definition(change.after ?? '')}`
  return definition(change.after ?? change.before ?? '')
}

/** A definition on one line, cut: function bodies and views are long. */
export function definition(text: string): string {
  // The row names the index and its table already: pg_get_indexdef's `CREATE INDEX name ON table` only widens it.
  const flat = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^CREATE (UNIQUE )?INDEX \S+ ON (?:ONLY )?\S+ /, (_, unique: string | undefined) => unique ?? '')
  if (flat === '') return ''
  return code(flat.length > DEFINITION_CHARS ? `${flat.slice(0, DEFINITION_CHARS)}…` : flat)
}

/** For the report's warnings: pending migrations that fail on the scratch copy would likely fail on the database. */
export function schemaChangeWarning(outcome: SchemaChangeOutcome | undefined): string | undefined {
  return outcome?.status === 'failed' ? `The schema change of the pending migrations was not computed: ${outcome.reason}.` : undefined
}
