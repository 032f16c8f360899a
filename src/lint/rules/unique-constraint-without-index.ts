import { alterTableCommands, columnConstraints, nodeOf, relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'unique-constraint-without-index',
  appliesTo: ['AlterTableStmt'],
  risk: 'high',
  title: 'Adds a primary key or unique constraint to an existing table without a prebuilt index',
  saferWay: 'Build the unique index first with `CREATE UNIQUE INDEX CONCURRENTLY`, then attach it: `ADD CONSTRAINT … PRIMARY KEY USING INDEX …` (or `UNIQUE USING INDEX`).',
  docs: {
    why: 'The constraint builds its index inside the ALTER TABLE, holding an ACCESS EXCLUSIVE lock for the whole build: reads and writes wait.',
    bad: 'ALTER TABLE documents ADD CONSTRAINT documents_slug_key UNIQUE (slug);',
    good: 'ALTER TABLE documents ADD CONSTRAINT documents_slug_key UNIQUE USING INDEX documents_slug_idx;'
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    if (!ref) return []
    const table = tableKey(ref)
    const hits = []
    for (const cmd of alterTableCommands(body)) {
      const constraints =
        cmd.subtype === 'AT_AddConstraint'
          ? [nodeOf(cmd.def, 'Constraint')].filter((c) => c !== undefined)
          : cmd.subtype === 'AT_AddColumn'
            ? columnConstraints(nodeOf(cmd.def, 'ColumnDef') ?? {})
            : []
      for (const c of constraints) {
        if ((c!.contype === 'CONSTR_PRIMARY' || c!.contype === 'CONSTR_UNIQUE') && c!.indexname === undefined) {
          hits.push(
            ...schema.onTable(table, {
              message: `adds a ${c!.contype === 'CONSTR_PRIMARY' ? 'primary key' : 'unique constraint'}${c!.conname ? ` ${String(c!.conname)}` : ''} to ${table}, building its index under an exclusive lock`
            })
          )
        }
      }
    }
    return hits
  }
})
