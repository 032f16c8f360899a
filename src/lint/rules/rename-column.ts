import { relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'rename-column',
  appliesTo: ['RenameStmt'],
  risk: 'high',
  title: 'Renames a column of an existing table',
  saferWay: 'Add the new column, write to both, backfill, move the reads, and drop the old column later (expand and contract).',
  docs: {
    why: 'Code deployed before the migration still reads and writes the old column name and fails until the new code is out.',
    bad: 'ALTER TABLE documents RENAME COLUMN body TO content;',
    good: 'ALTER TABLE documents ADD COLUMN content text;'
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    if (!ref || body.renameType !== 'OBJECT_COLUMN') return []
    const table = tableKey(ref)
    return schema.onObject(
      { kind: 'column', table, column: String(body.subname) },
      { message: `renames column ${table}.${String(body.subname)} to ${String(body.newname)}`, table },
      { ifExists: Boolean(body.missing_ok) }
    )
  }
})
