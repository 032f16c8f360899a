import { alterTableCommands, nodeOf, relationOf, tableKey, typeString, vectorType } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'change-column-type',
  appliesTo: ['AlterTableStmt'],
  risk: 'high',
  title: 'Changes the type of a column of an existing table',
  saferWay:
    'Add a new column with the new type, backfill it in batches, switch the code over, then drop the old column. Only a few changes (varchar(n) to text, a longer varchar) skip the rewrite.',
  docs: {
    why: 'Most type changes rewrite the whole table and rebuild its indexes under an ACCESS EXCLUSIVE lock: no reads, no writes until it is done; running code may also break on the new type. A column added earlier in the pending set to a table that existed is rewritten with its rows all the same.',
    bad: 'ALTER TABLE documents ALTER COLUMN id TYPE bigint;',
    good: 'ALTER TABLE documents ADD COLUMN id_new bigint;\n-- then backfill id_new in batches and switch the code over, in later migrations'
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    if (!ref) return []
    const table = tableKey(ref)
    return (
      alterTableCommands(body)
        .filter((c) => c.subtype === 'AT_AlterColumnType')
        .map((c) => ({ column: String(c.name), type: typeString(nodeOf(c.def, 'ColumnDef')?.typeName) }))
        // pgvector columns have their own rule (vector-dimension-change), with what the rows will do.
        .filter((c) => !vectorType(c.type))
        .flatMap(({ column, type }) => {
          const before = schema.columnType(table, column)
          // A column added earlier in the pending set exempts nothing when its table has rows: they are rewritten.
          const added = schema.addedToExistingTable(table, column)
            ? ', a column added earlier in the pending set to a table that already existed: every row is rewritten (add it with its final type instead)'
            : ''
          return schema.onObject(
            { kind: 'column', table, column },
            { message: `changes the type of ${table}.${column}${before ? ` from ${before}` : ''} to ${type}${added}`, table },
            { ifExists: Boolean(body.missing_ok), touchesRows: true }
          )
        })
    )
  }
})
