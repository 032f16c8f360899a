import { alterTableCommands, columnConstraints, nodeOf, relationFromNames, relationOf, strings, tableKey, type Body } from '../ast.js'
import { defineRule, type Hit } from '../rule.js'
import type { SchemaModel } from '../schema-model.js'

export default defineRule({
  id: 'constraint-missing-not-valid',
  appliesTo: ['AlterTableStmt', 'AlterDomainStmt'],
  risk: 'medium',
  title: 'Adds a foreign key or check constraint to an existing table (or domain) without NOT VALID',
  saferWay:
    'Add the constraint `NOT VALID` (instant), then `ALTER TABLE … VALIDATE CONSTRAINT …` (or `ALTER DOMAIN … VALIDATE CONSTRAINT …`) in a later migration: validation takes a weaker lock and lets writes continue. For a new column with a foreign key: `ADD COLUMN` first, then `ADD CONSTRAINT … FOREIGN KEY … NOT VALID`.',
  docs: {
    why: 'Without NOT VALID, PostgreSQL checks every existing row while holding a lock that blocks writes. A foreign key also takes a SHARE ROW EXCLUSIVE lock on the referenced table, so writes to that table wait too; `ADD COLUMN … REFERENCES` does the same (a column constraint cannot be NOT VALID). A domain constraint checks every column of that type in every table, under a lock that blocks writes to each.',
    bad: 'ALTER TABLE chunks ADD CONSTRAINT chunks_document_fk FOREIGN KEY (document_id) REFERENCES documents (id);',
    good: 'ALTER TABLE chunks ADD CONSTRAINT chunks_document_fk FOREIGN KEY (document_id) REFERENCES documents (id) NOT VALID;'
  },
  check: ({ statement, body, schema }) => {
    if (statement.kind === 'AlterDomainStmt') return domainConstraint(body, schema)
    const ref = relationOf(body.relation)
    if (!ref) return []
    const table = tableKey(ref)
    const hits: Hit[] = []
    const onTable = (message: string): void => void hits.push(...schema.onTable(table, { message }, { ifExists: Boolean(body.missing_ok) }))
    for (const cmd of alterTableCommands(body)) {
      if (cmd.subtype === 'AT_AddConstraint') {
        const k = nodeOf(cmd.def, 'Constraint')
        if (!k || (k.contype !== 'CONSTR_FOREIGN' && k.contype !== 'CONSTR_CHECK') || k.skip_validation) continue
        const name = typeof k.conname === 'string' ? ` ${k.conname}` : ''
        onTable(`adds ${k.contype === 'CONSTR_FOREIGN' ? 'foreign key' : 'check constraint'}${name} to ${table}, validating every row under lock${referencedLock(k)}`)
      }
      const column = cmd.subtype === 'AT_AddColumn' ? nodeOf(cmd.def, 'ColumnDef') : undefined
      if (!column) continue
      // A column constraint cannot be NOT VALID: PostgreSQL checks every row when it adds the column.
      for (const k of columnConstraints(column).filter((c) => c.contype === 'CONSTR_FOREIGN' || c.contype === 'CONSTR_CHECK')) {
        const what = k.contype === 'CONSTR_FOREIGN' ? `a foreign key to ${tableKey(relationOf(k.pktable) ?? { name: '?' })}` : 'a check constraint'
        onTable(`adds column ${table}.${String(column.colname)} with ${what}, validating every row under lock${referencedLock(k)}`)
      }
    }
    return hits
  }
})

/** A foreign key locks the table it references too (SHARE ROW EXCLUSIVE: no writes) until the transaction ends. */
function referencedLock(constraint: Body): string {
  const referenced = constraint.contype === 'CONSTR_FOREIGN' ? relationOf(constraint.pktable) : undefined
  return referenced ? `; it also locks ${tableKey(referenced)} against writes (SHARE ROW EXCLUSIVE) until it commits` : ''
}

function domainConstraint(body: Body, schema: SchemaModel): Hit[] {
  const constraint = body.subtype === 'C' ? nodeOf(body.def, 'Constraint') : undefined
  if (!constraint || constraint.contype !== 'CONSTR_CHECK' || constraint.skip_validation) return []
  const domain = tableKey(relationFromNames(strings(body.typeName)))
  const name = typeof constraint.conname === 'string' ? ` ${constraint.conname}` : ''
  const columns = schema.domainColumns(domain)
  if (columns?.length === 0)
    return schema.onObject({ kind: 'domain', domain }, { message: `adds check constraint${name} to domain ${domain}, which no column uses yet`, risk: 'low' })
  const which = columns === undefined ? 'every column of that type' : `every row of ${columns.join(', ')}`
  return schema.onObject({ kind: 'domain', domain }, { message: `adds check constraint${name} to domain ${domain}, validating ${which} under a lock that blocks writes` })
}
