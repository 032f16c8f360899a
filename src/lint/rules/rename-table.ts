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
    const table = schema.existingTable(body.relation)
    if (!table || body.renameType !== 'OBJECT_TABLE') return []
    return [{ message: `renames table ${table} to ${String(body.newname)}`, table }]
  }
})
