import { alterTableCommands, calledFunctionRefs, columnConstraints, nodeOf, relationOf, serialType, tableKey } from '../ast.js'
import { defineRule, type Hit } from '../rule.js'

export default defineRule({
  id: 'volatile-default',
  appliesTo: ['AlterTableStmt'],
  risk: 'high',
  title: 'Adds a column with a volatile default (or a serial, identity or stored generated column) to an existing table',
  saferWay: 'Add the column without a default (or with a constant one), set the default afterwards for new rows, and backfill existing rows in batches.',
  docs: {
    why: 'A constant or stable default (now()) is evaluated once and stored in the catalog, but a volatile one (random(), gen_random_uuid(), clock_timestamp(), a sequence, any function declared VOLATILE, which is the default for user functions) must be computed per row, as must identity and stored generated columns: the whole table is rewritten under an ACCESS EXCLUSIVE lock. Volatility is read from the target (pg_proc.provolatile).',
    bad: 'ALTER TABLE documents ADD COLUMN public_id uuid DEFAULT gen_random_uuid();',
    good: 'ALTER TABLE documents ADD COLUMN public_id uuid;\nALTER TABLE documents ALTER COLUMN public_id SET DEFAULT gen_random_uuid();'
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    if (!ref) return []
    const table = tableKey(ref)
    const hits: Hit[] = []
    for (const cmd of alterTableCommands(body)) {
      const column = cmd.subtype === 'AT_AddColumn' ? nodeOf(cmd.def, 'ColumnDef') : undefined
      if (!column) continue
      const name = `${table}.${String(column.colname)}`
      const serial = serialType(column)
      const constraints = columnConstraints(column)
      const rewrite = (message: string): void => void hits.push(...schema.onTable(table, { message }, { ifExists: Boolean(body.missing_ok) }))
      if (serial) {
        rewrite(`adds ${name} as ${serial}: every row gets a sequence value, so the table is rewritten`)
        continue
      }
      if (constraints.some((k) => k.contype === 'CONSTR_IDENTITY')) {
        rewrite(`adds ${name} as an identity column: every row gets a sequence value, so the table is rewritten`)
        continue
      }
      // A VIRTUAL column (PostgreSQL 18) is computed on read: nothing is written.
      if (constraints.some((k) => k.contype === 'CONSTR_GENERATED' && k.generated_kind !== 'v')) {
        rewrite(`adds ${name} as a stored generated column: it is computed for every row, so the table is rewritten`)
        continue
      }
      // Volatility as the server has it (pg_proc.provolatile), so user functions count and stable ones (now()) do not.
      const calls = calledFunctionRefs(constraints.filter((k) => k.contype === 'CONSTR_DEFAULT').map((d) => d.raw_expr)).map(tableKey)
      const volatile = calls.find((f) => schema.volatility(f) === 'v')
      const unknown = calls.find((f) => schema.volatility(f) === undefined)
      if (volatile) rewrite(`adds ${name} with the volatile default ${volatile}(): it is computed for every row, so the table is rewritten`)
      else if (unknown)
        rewrite(
          `adds ${name} with the default ${unknown}(), whose volatility could not be checked (${schema.serverVersion ? 'no such function in the target' : 'not connected'}): if it is volatile, the table is rewritten`
        )
    }
    return hits
  }
})
