import { addedColumns, columnConstraints, relationOf, serialType, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'not-null-column-without-default',
  appliesTo: ['AlterTableStmt'],
  risk: 'high',
  title: 'Adds a NOT NULL column without a default to an existing table',
  saferWay: 'Give the column a constant DEFAULT (PostgreSQL 11+ adds it without a rewrite), or add it nullable, backfill, then enforce NOT NULL.',
  docs: {
    why: 'On a table with rows the statement fails ("column contains null values"); on an empty one it works, so it passes in CI and breaks in production.',
    bad: 'ALTER TABLE documents ADD COLUMN status text NOT NULL;',
    good: "ALTER TABLE documents ADD COLUMN status text NOT NULL DEFAULT 'draft';"
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    if (!ref) return []
    const table = tableKey(ref)
    return addedColumns(body)
      .filter((column) => {
        const types = columnConstraints(column).map((k) => k.contype)
        // A serial column's default is its sequence (volatile-default says what that costs).
        const filled = serialType(column) !== undefined || types.some((t) => t === 'CONSTR_DEFAULT' || t === 'CONSTR_IDENTITY' || t === 'CONSTR_GENERATED')
        return (types.includes('CONSTR_NOTNULL') || types.includes('CONSTR_PRIMARY')) && !filled
      })
      .flatMap((column) => schema.onTable(table, { message: `adds ${table}.${String(column.colname)} NOT NULL without a default` }, { ifExists: Boolean(body.missing_ok) }))
  }
})
