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
    const table = schema.existingTable(body.relation)
    if (!table || body.renameType !== 'OBJECT_COLUMN') return []
    return [{ message: `renames column ${table}.${String(body.subname)} to ${String(body.newname)}`, table }]
  }
})
