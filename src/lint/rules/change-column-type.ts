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
    why: 'Most type changes rewrite the whole table and rebuild its indexes under an ACCESS EXCLUSIVE lock: no reads, no writes until it is done; running code may also break on the new type. A column added earlier in the pending set to a table that existed is rewritten with its rows all the same. A binary-compatible change read against the target (varchar(n) to a longer varchar or to text, USING only casting the column) rewrites nothing and is reported as low.',
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
        .map((c) => ({ column: String(c.name), type: typeString(nodeOf(c.def, 'ColumnDef')?.typeName), using: nodeOf(c.def, 'ColumnDef')?.raw_default }))
        // pgvector columns have their own rule (vector-dimension-change), with what the rows will do.
        .filter((c) => !vectorType(c.type))
        .flatMap(({ column, type, using }) => {
          const before = schema.columnType(table, column)
          if (before !== undefined && keepsEveryRow(before, type) && usingIsTheColumn(using, column)) {
            return schema.onObject(
              { kind: 'column', table, column },
              {
                message: `changes the type of ${table}.${column} from ${before} to ${type}: a binary-compatible change, so PostgreSQL rewrites no row and keeps the indexes (only a brief ACCESS EXCLUSIVE lock)`,
                risk: 'low',
                table
              },
              { ifExists: Boolean(body.missing_ok) }
            )
          }
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

/** `varchar(n)`/`character varying(n)`/`text` → length and family, or undefined for any other type. */
function textType(type: string): { limit?: number } | undefined {
  const m = /^(?:pg_catalog\.)?(?:varchar|character varying|text)(?:\((\d+)\))?$/i.exec(type.trim())
  if (!m || (/^(?:pg_catalog\.)?text/i.test(type.trim()) && m[1] !== undefined)) return undefined
  return { limit: m[1] === undefined ? undefined : Number(m[1]) }
}

/**
 * The changes PostgreSQL makes in the catalog only (binary coercible, no length check to run):
 * varchar(n) to a longer varchar, to varchar or to text, and between text and varchar without a limit.
 */
function keepsEveryRow(before: string, after: string): boolean {
  const from = textType(before)
  const to = textType(after)
  if (!from || !to) return false
  if (to.limit === undefined) return true
  return from.limit !== undefined && to.limit >= from.limit
}

/** No USING, or `USING col::newtype`: the rows' values are not recomputed. */
function usingIsTheColumn(using: unknown, column: string): boolean {
  if (using === undefined) return true
  const cast = nodeOf(using, 'TypeCast')
  const ref = nodeOf(cast?.arg, 'ColumnRef')
  const fields = (ref?.fields as unknown[] | undefined) ?? []
  const name = nodeOf(fields.at(-1), 'String')?.sval
  return fields.length === 1 && name === column
}
