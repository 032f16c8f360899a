import { alterTableCommands, calledFunctions, columnConstraints, nodeOf, strings, type Body } from '../ast.js'
import { defineRule } from '../rule.js'

/** Built-in volatile functions seen in column defaults (pg_proc.provolatile = 'v'). */
const VOLATILE = new Set([
  'random',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'uuidv4',
  'uuidv7',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'txid_current',
  'statement_timestamp'
])
const SERIAL = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2'])

export default defineRule({
  id: 'volatile-default',
  appliesTo: ['AlterTableStmt'],
  risk: 'high',
  title: 'Adds a column with a volatile default (or a serial) to an existing table',
  saferWay: 'Add the column without a default (or with a constant one), set the default afterwards for new rows, and backfill existing rows in batches.',
  docs: {
    why: 'A constant default is stored once in the catalog, but a volatile one (random(), gen_random_uuid(), clock_timestamp(), a sequence) must be computed per row: the whole table is rewritten under an ACCESS EXCLUSIVE lock.',
    bad: 'ALTER TABLE documents ADD COLUMN public_id uuid DEFAULT gen_random_uuid();',
    good: 'ALTER TABLE documents ADD COLUMN public_id uuid;\nALTER TABLE documents ALTER COLUMN public_id SET DEFAULT gen_random_uuid();'
  },
  check: ({ body, schema }) => {
    const table = schema.existingTable(body.relation)
    if (!table) return []
    const hits = []
    for (const cmd of alterTableCommands(body)) {
      const column = cmd.subtype === 'AT_AddColumn' ? nodeOf(cmd.def, 'ColumnDef') : undefined
      if (!column) continue
      const type = strings((column.typeName as Body | undefined)?.names).at(-1) ?? ''
      const defaults = columnConstraints(column).filter((k) => k.contype === 'CONSTR_DEFAULT')
      const volatile = calledFunctions(defaults.map((d) => d.raw_expr)).filter((f) => VOLATILE.has(f))
      if (SERIAL.has(type)) hits.push({ message: `adds ${table}.${String(column.colname)} as ${type}: every row gets a sequence value`, table })
      else if (volatile.length > 0) hits.push({ message: `adds ${table}.${String(column.colname)} with the volatile default ${volatile[0]}()`, table })
    }
    return hits
  }
})
