import { alterTableCommands, nodeOf, relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'constraint-missing-not-valid',
  appliesTo: ['AlterTableStmt'],
  risk: 'medium',
  title: 'Adds a foreign key or check constraint to an existing table without NOT VALID',
  saferWay: 'Add the constraint `NOT VALID` (instant), then `ALTER TABLE … VALIDATE CONSTRAINT …` in a later migration: validation takes a weaker lock and lets writes continue.',
  docs: {
    why: 'Without NOT VALID, PostgreSQL checks every existing row while holding a lock that blocks writes (a foreign key also locks the referenced table).',
    bad: 'ALTER TABLE chunks ADD CONSTRAINT chunks_document_fk FOREIGN KEY (document_id) REFERENCES documents (id);',
    good: 'ALTER TABLE chunks ADD CONSTRAINT chunks_document_fk FOREIGN KEY (document_id) REFERENCES documents (id) NOT VALID;'
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    if (!ref) return []
    const table = tableKey(ref)
    return alterTableCommands(body)
      .filter((c) => c.subtype === 'AT_AddConstraint')
      .map((c) => nodeOf(c.def, 'Constraint'))
      .filter((k) => k && (k.contype === 'CONSTR_FOREIGN' || k.contype === 'CONSTR_CHECK') && !k.skip_validation)
      .flatMap((k) =>
        schema.onTable(
          table,
          {
            message: `adds ${k!.contype === 'CONSTR_FOREIGN' ? 'foreign key' : 'check constraint'}${k!.conname ? ` ${String(k!.conname)}` : ''} to ${table}, validating every row under lock`
          },
          { ifExists: Boolean(body.missing_ok) }
        )
      )
  }
})
