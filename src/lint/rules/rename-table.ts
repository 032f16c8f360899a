import { relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'rename-table',
  appliesTo: ['RenameStmt'],
  risk: 'high',
  title: 'Renames an existing table',
  saferWay: 'Create the new name as a view over the old table (or the reverse) so old and new code both work during the deploy, and drop the alias once no code uses the old name.',
  docs: {
    why: 'Code deployed before the migration still queries the old name and fails from the moment the rename commits until the new code is out.',
    bad: 'ALTER TABLE docs RENAME TO documents;',
    good: 'CREATE VIEW documents AS SELECT * FROM docs;'
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    if (!ref || body.renameType !== 'OBJECT_TABLE') return []
    return schema.onTable(tableKey(ref), { message: `renames table ${tableKey(ref)} to ${String(body.newname)}` }, { ifExists: Boolean(body.missing_ok) })
  }
})
