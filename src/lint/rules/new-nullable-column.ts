import { addedColumns, columnConstraints } from '../ast.js'
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
    const table = schema.existingTable(body.relation)
    if (!table) return []
    return addedColumns(body)
      .filter((column) => !columnConstraints(column).some((k) => k.contype === 'CONSTR_NOTNULL' || k.contype === 'CONSTR_PRIMARY'))
      .map((column) => ({ message: `adds column ${table}.${String(column.colname)}`, table }))
  }
})
