import { alterTableCommands, columnConstraints, nodeOf, relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'unique-constraint-without-index',
  appliesTo: ['AlterTableStmt'],
  risk: 'high',
  title: 'Adds a primary key, unique or exclusion constraint to an existing table without a prebuilt index',
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
        const kind = { CONSTR_PRIMARY: 'a primary key', CONSTR_UNIQUE: 'a unique constraint', CONSTR_EXCLUSION: 'an exclusion constraint' }[String(c!.contype)]
        if (kind !== undefined && c!.indexname === undefined) {
          // An exclusion constraint cannot attach a prebuilt index (no USING INDEX): its build always holds the lock.
          const noPrebuilt = c!.contype === 'CONSTR_EXCLUSION' ? ' (an exclusion constraint cannot use a prebuilt index: run it when the table may be locked for the build)' : ''
          hits.push(
            ...schema.onTable(table, {
              message: `adds ${kind}${c!.conname ? ` ${String(c!.conname)}` : ''} to ${table}, building its index under an exclusive lock${noPrebuilt}`
            })
          )
        }
      }
    }
    return hits
  }
})
