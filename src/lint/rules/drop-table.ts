import { list, nodeOf, relationFromNames, strings, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'drop-table',
  appliesTo: ['DropStmt'],
  risk: 'critical',
  title: 'Drops an existing table',
  saferWay: 'Stop reading and writing the table in a release first, keep a backup, then drop it in a later migration acknowledged with `pg-migrate:allow drop-table reason: …`.',
  docs: {
    why: 'The table and every row in it are gone at commit; running code that still queries it fails at once, and the data can only come back from a backup.',
    bad: 'DROP TABLE documents;',
    good: '-- The application stopped using documents in release 42 (backup: s3://backups/documents.dump).\n-- pg-migrate:allow drop-table reason: unused since release 42, backed up\nDROP TABLE documents;'
  },
  check: ({ body, schema }) => {
    if (body.removeType !== 'OBJECT_TABLE') return []
    return list(body.objects)
      .map((o) => tableKey(relationFromNames(strings(nodeOf(o, 'List')?.items))))
      .flatMap((table) => schema.onTable(table, { message: `drops table ${table}${body.missing_ok ? ' IF EXISTS' : ''}` }, { ifExists: Boolean(body.missing_ok) }))
  }
})
