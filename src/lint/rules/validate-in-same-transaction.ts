import { alterTableCommands, nodeOf, relationOf, tableKey, type Body } from '../ast.js'
import { defineRule, type Hit } from '../rule.js'

interface AddedNotValid {
  statementIndex: number
  constraint: Body
}

export default defineRule({
  id: 'validate-in-same-transaction',
  risk: 'medium',
  title: 'Validates a constraint in the same transaction that added it NOT VALID',
  saferWay:
    'Move `VALIDATE CONSTRAINT` to a later migration (and with Alembic, to a later deploy unless `transaction_per_migration` is on): on its own it takes only a SHARE UPDATE EXCLUSIVE lock, and reads and writes continue while it checks the rows.',
  docs: {
    why: 'NOT VALID makes adding the constraint instant, so its lock is brief. Validating it in the same transaction checks every row while that lock is still held (ACCESS EXCLUSIVE for a check constraint: no reads or writes; SHARE ROW EXCLUSIVE on both tables for a foreign key: no writes), which is exactly what NOT VALID was for.',
    bad: 'ALTER TABLE documents ADD CONSTRAINT documents_title_nn CHECK (title IS NOT NULL) NOT VALID;\nALTER TABLE documents VALIDATE CONSTRAINT documents_title_nn;',
    good: 'ALTER TABLE documents ADD CONSTRAINT documents_title_nn CHECK (title IS NOT NULL) NOT VALID;\n-- in a later migration:\n-- ALTER TABLE documents VALIDATE CONSTRAINT documents_title_nn;'
  },
  checkRevision: ({ statements, verdicts, schema, transactional }) => {
    // Statement by statement, the ADD's lock is released when it commits.
    if (!transactional) return []
    const added = new Map<string, AddedNotValid>()
    const hits: (Hit & { statementIndex: number })[] = []
    for (const [i, s] of statements.entries()) {
      if (s.kind !== 'AlterTableStmt') continue
      const body = s.node[s.kind as keyof typeof s.node] as unknown as Body
      const ref = relationOf(body.relation)
      if (!ref || body.objtype === 'OBJECT_INDEX') continue
      const table = tableKey(ref)
      for (const cmd of alterTableCommands(body)) {
        const constraint = nodeOf(cmd.def, 'Constraint')
        if (cmd.subtype === 'AT_AddConstraint' && constraint?.skip_validation && typeof constraint.conname === 'string') {
          added.set(`${table}.${constraint.conname}`, { statementIndex: i, constraint })
        }
        const earlier = cmd.subtype === 'AT_ValidateConstraint' ? added.get(`${table}.${String(cmd.name)}`) : undefined
        if (!earlier) continue
        const referenced = earlier.constraint.contype === 'CONSTR_FOREIGN' ? relationOf(earlier.constraint.pktable) : undefined
        const lock = referenced
          ? `the SHARE ROW EXCLUSIVE locks the ADD took on ${table} and ${tableKey(referenced)} are held while every row is checked: writes to both wait`
          : `the ACCESS EXCLUSIVE lock the ADD took on ${table} is held while every row is checked: reads and writes wait`
        // The verdict on the table as the ADD met it: a table new in the pending set has no rows to check.
        const verdict = verdicts[earlier.statementIndex] ?? schema.tableVerdict(table)
        for (const hit of schema.onVerdict(
          verdict,
          { kind: 'table', table },
          { message: `validates ${String(cmd.name)} in the transaction that added it NOT VALID: ${lock}`, table }
        ))
          hits.push({ ...hit, statementIndex: i })
      }
    }
    return hits
  }
})
