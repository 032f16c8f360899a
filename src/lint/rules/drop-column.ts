import { alterTableCommands, relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'drop-column',
  appliesTo: ['AlterTableStmt'],
  risk: 'critical',
  title: 'Drops a column of an existing table',
  saferWay: 'Stop reading and writing the column in a release first (and in ORMs, stop selecting it), then drop it in a later migration acknowledged with a reason.',
  docs: {
    why: 'The data is gone at commit, and every running query or ORM model that still names the column fails until the new code is deployed.',
    bad: 'ALTER TABLE documents DROP COLUMN legacy_title;',
    good: '-- pg-migrate:allow drop-column reason: legacy_title unused since release 42\nALTER TABLE documents DROP COLUMN legacy_title;'
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    if (!ref) return []
    const table = tableKey(ref)
    return alterTableCommands(body)
      .filter((c) => c.subtype === 'AT_DropColumn')
      .flatMap((c) =>
        schema.onObject(
          { kind: 'column', table, column: String(c.name) },
          { message: `drops column ${table}.${String(c.name)}${c.missing_ok ? ' IF EXISTS' : ''}`, table },
          { ifExists: Boolean(c.missing_ok || body.missing_ok) }
        )
      )
  }
})
