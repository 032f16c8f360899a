import { alterTableCommands, relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'set-not-null',
  appliesTo: ['AlterTableStmt'],
  risk: 'high',
  title: 'SET NOT NULL on a column of an existing table',
  saferWay:
    'Add `CHECK (col IS NOT NULL) NOT VALID`, then `VALIDATE CONSTRAINT` in a later migration (no exclusive lock), then SET NOT NULL: PostgreSQL 12+ uses the valid check and skips the scan.',
  docs: {
    why: 'PostgreSQL scans the whole table to prove there is no NULL while holding an ACCESS EXCLUSIVE lock, and the migration fails if one row is NULL. A column added earlier in the pending set is no exception when its table existed: its rows hold NULL (no default, so the statement fails) or the default (the scan still runs).',
    bad: 'ALTER TABLE documents ALTER COLUMN title SET NOT NULL;',
    good: 'ALTER TABLE documents ADD CONSTRAINT documents_title_not_null CHECK (title IS NOT NULL) NOT VALID;\n-- in a later migration (a valid check lets SET NOT NULL skip its scan, so the lint does not flag it):\nALTER TABLE documents VALIDATE CONSTRAINT documents_title_not_null;\nALTER TABLE documents ALTER COLUMN title SET NOT NULL;'
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    if (!ref) return []
    const table = tableKey(ref)
    return (
      alterTableCommands(body)
        .filter((c) => c.subtype === 'AT_SetNotNull')
        // A valid CHECK (col IS NOT NULL) proves it: PostgreSQL 12+ skips the scan.
        .filter((c) => !schema.hasValidNotNullCheck(table, String(c.name)))
        .flatMap((c) => {
          const column = String(c.name)
          // A column added earlier in the pending set exempts nothing when its table has rows.
          const added = schema.addedToExistingTable(table, column)
          const consequence = !added
            ? ''
            : added.hasDefault
              ? ', a column added earlier in the pending set to a table that already existed: every row is scanned under an exclusive lock (ADD COLUMN … NOT NULL DEFAULT … in one statement skips the scan)'
              : `, a column added earlier in the pending set without a default to a table that already existed: ${schema.hasRows(table) === true ? 'the table has rows, all NULL in it, so the statement fails' : 'on a table with rows every row holds NULL in it, so the statement fails'}`
          return schema.onObject(
            { kind: 'column', table, column },
            { message: `sets ${table}.${column} NOT NULL${consequence}`, table },
            { ifExists: Boolean(body.missing_ok), touchesRows: true }
          )
        })
    )
  }
})
