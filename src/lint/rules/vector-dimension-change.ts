import { alterTableCommands, nodeOf, relationOf, tableKey, typeString, vectorType } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'vector-dimension-change',
  appliesTo: ['AlterTableStmt'],
  risk: 'high',
  title: 'Changes the dimension (or type) of an existing vector column',
  saferWay:
    'Add a new column with the new dimension, re-embed into it in batches, build its index CONCURRENTLY, switch the queries, then drop the old column and index. In place, drop the vector index first and convert with USING.',
  docs: {
    why: 'Stored vectors keep their dimension: every existing row fails the cast with "expected N dimensions, not M" (the migration aborts), and an HNSW/IVFFlat index on the column is typed by dimension and must be dropped first. On a table with rows the change is critical.',
    bad: 'ALTER TABLE chunks ALTER COLUMN embedding TYPE vector(1536);',
    good: 'ALTER TABLE chunks ADD COLUMN embedding_1536 vector(1536);'
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    if (!ref) return []
    const table = tableKey(ref)
    const hits = []
    for (const cmd of alterTableCommands(body)) {
      if (cmd.subtype !== 'AT_AlterColumnType') continue
      const column = String(cmd.name)
      const target = typeString(nodeOf(cmd.def, 'ColumnDef')?.typeName)
      if (!vectorType(target)) continue
      const before = schema.columnType(table, column)
      if (before !== undefined && before === target) continue
      const rows = schema.hasRows(table)
      const consequence =
        rows === true
          ? `; the table has rows, and each one fails the cast ("expected ${vectorType(target)?.dimensions ?? 'N'} dimensions, not ${vectorType(before)?.dimensions ?? 'M'}") unless USING converts it`
          : rows === false
            ? '; the table is empty now'
            : ''
      hits.push(
        ...schema.onObject(
          { kind: 'column', table, column },
          { message: `changes ${table}.${column} from ${before ?? 'its current type'} to ${target}${consequence}`, risk: rows === true ? ('critical' as const) : undefined, table },
          { ifExists: Boolean(body.missing_ok), touchesRows: true }
        )
      )
    }
    return hits
  }
})
