import type { Snapshot } from './snapshot.js'

/** The difference between two schema snapshots, as entries and as a readable diff. */

export interface SchemaChange {
  /** e.g. `column public.documents.embedding`, `index public.documents_embedding_idx on documents`. */
  object: string
  change: 'added' | 'removed' | 'changed'
  before?: string
  after?: string
}

export function diffSnapshots(before: Snapshot, after: Snapshot): SchemaChange[] {
  const changes: SchemaChange[] = []
  for (const [object, definition] of before) {
    if (!after.has(object)) changes.push({ object, change: 'removed', before: definition })
    else if (after.get(object) !== definition) changes.push({ object, change: 'changed', before: definition, after: after.get(object) })
  }
  for (const [object, definition] of after) if (!before.has(object)) changes.push({ object, change: 'added', after: definition })
  return changes.sort((a, b) => (a.object < b.object ? -1 : a.object > b.object ? 1 : 0))
}

/** A unified-diff-like text: `-` what the first snapshot had, `+` what the second has, one object per pair of lines. */
export function formatDiff(changes: SchemaChange[]): string {
  const line = (sign: '-' | '+', object: string, definition: string): string => `${sign} ${object}${definition ? `: ${definition.replace(/\s*\n\s*/g, ' ')}` : ''}`
  return changes.flatMap((c) => [...(c.before !== undefined ? [line('-', c.object, c.before)] : []), ...(c.after !== undefined ? [line('+', c.object, c.after)] : [])]).join('\n')
}

/**
 * The changes in a few words: "table public.c removed, column public.a.note added". A table added or
 * removed stands for its columns, indexes and constraints; the first `limit` are named, then how many more.
 */
export function describeChanges(changes: SchemaChange[], limit = 4): string {
  const tables = new Map(changes.filter((c) => c.object.startsWith('table ')).map((c) => [c.object.slice('table '.length), c.change]))
  const partOfTable = (c: SchemaChange): boolean => {
    const match = /^(?:column|constraint) ([^.]+\.[^.]+)\.|^index ([^.]+)\.\S+ on (\S+)$/.exec(c.object)
    const table = match?.[1] ?? (match?.[2] !== undefined ? `${match[2]}.${match[3]}` : undefined)
    return table !== undefined && tables.get(table) === c.change && c.change !== 'changed'
  }
  const shown = changes.filter((c) => !partOfTable(c))
  const named = shown.slice(0, limit).map((c) => `${c.object} ${c.change}`)
  return named.join(', ') + (shown.length > named.length ? ` and ${shown.length - named.length} more` : '')
}
