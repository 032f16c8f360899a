import { addedColumns, columnConstraints, relationOf, serialType, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'new-nullable-column',
  appliesTo: ['AlterTableStmt'],
  risk: 'low',
  title: 'Adds a nullable column to an existing table',
  saferWay: 'Nothing to change: adding a nullable column (or one with a constant default) only touches the catalog. Keep the lock short with a lock_timeout.',
  docs: {
    why: 'The ALTER TABLE needs a brief ACCESS EXCLUSIVE lock but rewrites nothing; running code ignores the new column.',
    bad: 'ALTER TABLE documents ADD COLUMN summary text;',
    good: '-- Nothing to flag: no schema change.\nSELECT 1;'
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    if (!ref) return []
    const table = tableKey(ref)
    return (
      addedColumns(body)
        // A serial or identity column is NOT NULL with a sequence default: volatile-default reports its rewrite.
        .filter(
          (column) =>
            serialType(column) === undefined &&
            !columnConstraints(column).some((k) => k.contype === 'CONSTR_NOTNULL' || k.contype === 'CONSTR_PRIMARY' || k.contype === 'CONSTR_IDENTITY')
        )
        .flatMap((column) => schema.onTable(table, { message: `adds column ${table}.${String(column.colname)}` }, { ifExists: Boolean(body.missing_ok) }))
    )
  }
})
