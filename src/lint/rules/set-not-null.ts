import { alterTableCommands, relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'set-not-null',
  appliesTo: ['AlterTableStmt'],
  risk: 'high',
  title: 'SET NOT NULL on an existing column',
  saferWay:
    'Add `CHECK (col IS NOT NULL) NOT VALID`, then `VALIDATE CONSTRAINT` in a later migration (no exclusive lock), then SET NOT NULL: PostgreSQL 12+ uses the valid check and skips the scan.',
  docs: {
    why: 'PostgreSQL scans the whole table to prove there is no NULL while holding an ACCESS EXCLUSIVE lock, and the migration fails if one row is NULL.',
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
        .flatMap((c) =>
          schema.onObject({ kind: 'column', table, column: String(c.name) }, { message: `sets ${table}.${String(c.name)} NOT NULL`, table }, { ifExists: Boolean(body.missing_ok) })
        )
    )
  }
})
