import { defElemTrue } from '../../sql/parse.js'
import { relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'reindex-not-concurrent',
  appliesTo: ['ReindexStmt'],
  risk: 'medium',
  title: 'REINDEX without CONCURRENTLY',
  saferWay: 'Use `REINDEX … CONCURRENTLY` (PostgreSQL 12+, outside a transaction; the action detects it).',
  docs: {
    why: 'A plain REINDEX blocks writes to the table and reads that would use the index until the rebuild is done.',
    bad: 'REINDEX INDEX chunks_embedding_idx;',
    good: 'REINDEX INDEX CONCURRENTLY chunks_embedding_idx;'
  },
  check: ({ body, schema }) => {
    // `(CONCURRENTLY false)` is a plain REINDEX.
    if (defElemTrue(body.params, 'concurrently')) return []
    const ref = relationOf(body.relation)
    // PostgreSQL refuses to rebuild system catalogs concurrently: there is no safer way to advise.
    if (body.kind === 'REINDEX_OBJECT_SYSTEM' || ref?.schema?.toLowerCase() === 'pg_catalog') return []
    const what = String(body.kind ?? '')
      .replace('REINDEX_OBJECT_', '')
      .toLowerCase()
    const message = `rebuilds ${what}${ref ? ` ${tableKey(ref)}` : body.name ? ` ${String(body.name)}` : ''} without CONCURRENTLY`
    if (ref && body.kind === 'REINDEX_OBJECT_INDEX') return schema.onObject({ kind: 'index', index: tableKey(ref) }, { message, table: schema.indexTable(tableKey(ref)) })
    if (ref && body.kind === 'REINDEX_OBJECT_TABLE') return schema.onTable(tableKey(ref), { message })
    return [{ message }]
  }
})
