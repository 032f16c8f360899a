/**
 * Small readers over libpg-query's JSON parse tree, shared by the rules. The tree is untyped here
 * (`Record<string, unknown>`): the rules only look at a handful of fields.
 */

export type Body = Record<string, unknown>

export function list(value: unknown): Body[] {
  return Array.isArray(value) ? (value as Body[]) : []
}

/** `{ Constraint: {...} }` → `{...}` when the node has that type. */
export function nodeOf(value: unknown, type: string): Body | undefined {
  return (value as Record<string, Body> | undefined)?.[type]
}

export function strings(value: unknown): string[] {
  return list(value).map((item) => String(nodeOf(item, 'String')?.sval ?? ''))
}

export interface RelationRef {
  schema?: string
  name: string
}

/** A RangeVar (`relation`) as a name. */
export function relationOf(value: unknown): RelationRef | undefined {
  const range = (value as Body | undefined) ?? undefined
  if (!range || typeof range.relname !== 'string') return undefined
  return { schema: typeof range.schemaname === 'string' ? range.schemaname : undefined, name: range.relname }
}

/** Names as the pending set and the catalog are keyed: `public` is the default schema. */
export function tableKey(ref: RelationRef): string {
  return ref.schema && ref.schema !== 'public' ? `${ref.schema}.${ref.name}` : ref.name
}

/** A dotted name list (`DROP TABLE a, b.c` objects) as a relation. */
export function relationFromNames(names: string[]): RelationRef {
  return names.length > 1 ? { schema: names[names.length - 2], name: names[names.length - 1] } : { name: names[0] ?? '' }
}

/** `vector(1536)`, `text`, `int4[]` from a TypeName node. */
export function typeString(typeName: unknown): string {
  const t = typeName as Body | undefined
  if (!t) return 'unknown'
  const names = strings(t.names).filter((n) => n !== 'pg_catalog')
  const mods = list(t.typmods).map((m) => {
    const c = nodeOf(m, 'A_Const')
    return String((c?.ival as Body | undefined)?.ival ?? (c?.sval as Body | undefined)?.sval ?? '?')
  })
  const arrays = list(t.arrayBounds).length > 0 ? '[]' : ''
  return `${names.join('.')}${mods.length ? `(${mods.join(',')})` : ''}${arrays}`
}

export interface VectorType {
  family: 'vector' | 'halfvec' | 'sparsevec' | 'bit'
  dimensions?: number
}

/** The pgvector family and dimension of a type string such as `vector(1536)` or `public.halfvec(3)`. */
export function vectorType(type: string | undefined): VectorType | undefined {
  const m = /^(?:[a-z_][a-z0-9_]*\.)?(vector|halfvec|sparsevec|bit)(?:\((\d+)\))?$/i.exec(type?.trim() ?? '')
  if (!m) return undefined
  return { family: m[1].toLowerCase() as VectorType['family'], dimensions: m[2] ? Number(m[2]) : undefined }
}

export function alterTableCommands(body: Body): Body[] {
  return list(body.cmds)
    .map((c) => nodeOf(c, 'AlterTableCmd'))
    .filter((c): c is Body => c !== undefined)
}

/** The column definitions an ALTER TABLE adds (ADD COLUMN). */
export function addedColumns(body: Body): Body[] {
  return alterTableCommands(body)
    .filter((c) => c.subtype === 'AT_AddColumn')
    .flatMap((c): Body[] => {
      const column = nodeOf(c.def, 'ColumnDef')
      return column ? [column] : []
    })
}

const SERIAL_TYPES = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2'])

/** `serial`, `bigserial`, …: not types but a sequence, its DEFAULT nextval(…) and NOT NULL. */
export function serialType(column: Body): string | undefined {
  const type = strings((column.typeName as Body | undefined)?.names).at(-1) ?? ''
  return SERIAL_TYPES.has(type) ? type : undefined
}

export function columnConstraints(column: Body): Body[] {
  return list(column.constraints)
    .map((c) => nodeOf(c, 'Constraint'))
    .filter((c): c is Body => c !== undefined)
}

/** Every function name called anywhere inside a node, lower-cased and without schema. */
export function calledFunctions(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const v of value) calledFunctions(v, out)
  } else if (value && typeof value === 'object') {
    const call = (value as Body).FuncCall as Body | undefined
    if (call) out.push(strings(call.funcname).at(-1)?.toLowerCase() ?? '')
    for (const v of Object.values(value)) calledFunctions(v, out)
  }
  return out
}

export function firstLine(text: string, max = 100): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? ''
  return line.length > max ? line.slice(0, max - 1) + '…' : line.trim()
}

/** Every function called anywhere inside a node, as named (lower-cased unless quoted): `{ schema?, name }`. */
export function calledFunctionRefs(value: unknown, out: RelationRef[] = []): RelationRef[] {
  if (Array.isArray(value)) {
    for (const v of value) calledFunctionRefs(v, out)
  } else if (value && typeof value === 'object') {
    const call = (value as Body).FuncCall as Body | undefined
    if (call) out.push(relationFromNames(strings(call.funcname)))
    for (const v of Object.values(value)) calledFunctionRefs(v, out)
  }
  return out
}

/**
 * The columns a CHECK expression proves NOT NULL: `col IS NOT NULL`, alone or ANDed with anything
 * (what PostgreSQL uses to skip SET NOT NULL's scan). An OR or NOT proves nothing.
 */
export function notNullColumnsOf(expr: unknown): string[] {
  const test = nodeOf(expr, 'NullTest')
  if (test) {
    const column = strings(nodeOf(test.arg, 'ColumnRef')?.fields)
    return test.nulltesttype === 'IS_NOT_NULL' && column.length === 1 ? column : []
  }
  const bool = nodeOf(expr, 'BoolExpr')
  if (bool?.boolop === 'AND_EXPR') return list(bool.args).flatMap((arg) => notNullColumnsOf(arg))
  return []
}
