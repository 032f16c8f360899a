import { list, nodeOf, strings, typeString, vectorType, type Body, type VectorType } from './ast.js'
import type { SqlStatement } from '../sql/parse.js'
import { elementBytes, hnswBuildBytes, ivfflatBuildBytes, type BuildEstimate } from '../vector/build-memory.js'
import { afterSet, type VectorServer } from '../vector/server.js'
import type { SchemaModel } from './schema-model.js'

/** pgvector's approximate index methods. */
export const VECTOR_METHODS = new Set(['hnsw', 'ivfflat'])

export function isVectorIndex(body: Body): boolean {
  return VECTOR_METHODS.has(String(body.accessMethod ?? '').toLowerCase())
}

export interface IndexedVector {
  /** The column, or the expression's column (`(embedding::halfvec(3072))`). */
  column: string
  /** What the index sees: the column type, or the cast's type. */
  type?: VectorType
  typeText?: string
  opclass?: string
}

/** Each key of an index statement with the vector type it indexes, as far as it is known. */
export function indexedVectors(body: Body, table: string, schema: SchemaModel): IndexedVector[] {
  return list(body.indexParams)
    .map((p) => nodeOf(p, 'IndexElem'))
    .filter((e): e is Body => e !== undefined)
    .map((elem) => {
      const opclass = strings(elem.opclass).at(-1)
      if (typeof elem.name === 'string') {
        const typeText = schema.columnType(table, elem.name)
        return { column: elem.name, type: vectorType(typeText), typeText, opclass }
      }
      const cast = nodeOf(elem.expr, 'TypeCast')
      const column = strings(nodeOf(cast?.arg, 'ColumnRef')?.fields).at(-1) ?? 'expression'
      const typeText = cast ? typeString(cast.typeName) : undefined
      return { column, type: vectorType(typeText), typeText, opclass }
    })
}

/** A whole-number storage parameter of the index (`WITH (m = 32)`, `WITH (lists = 1000)`); undefined when absent. */
export function indexOption(body: Body, name: string): number | undefined {
  for (const option of list(body.options)) {
    const def = nodeOf(option, 'DefElem')
    if (def?.defname !== name) continue
    const arg = def.arg as Body | undefined
    const value = nodeOf(arg, 'Integer')?.ival ?? nodeOf(arg, 'A_Const')?.ival ?? nodeOf(arg, 'String')?.sval
    const n = Number(typeof value === 'object' && value !== null ? (value as Body).ival : value)
    return Number.isFinite(n) ? n : undefined
  }
  return undefined
}

/** An HNSW or IVFFlat build on an existing table with rows, with the memory it wants and the session it runs in. */
export interface VectorBuild {
  statementIndex: number
  table: string
  column: string
  type?: string
  estimate: BuildEstimate
  /** The session's settings at the build: the server's, the inputs', and a SET earlier in the migration. */
  session: VectorServer
}

/** The vector index builds of one revision, in order (a SET holds for the rest of the migration; sessions are reset between migrations). */
export function vectorBuilds(statements: SqlStatement[], schema: SchemaModel, server: VectorServer): VectorBuild[] {
  let session = server
  const builds: VectorBuild[] = []
  for (const [index, statement] of statements.entries()) {
    const body = (statement.node as unknown as Record<string, Body>)[statement.kind] ?? {}
    if (statement.kind === 'VariableSetStmt') session = afterSet(session, body)
    if (statement.kind !== 'IndexStmt' || !isVectorIndex(body)) continue
    const table = schema.existingTable(body.relation)
    const rows = table === undefined ? undefined : schema.rows(table)
    if (table === undefined || !rows) continue
    for (const v of indexedVectors(body, table, schema)) {
      const element = elementBytes(v.type)
      if (element === undefined) continue
      const hnsw = String(body.accessMethod).toLowerCase() === 'hnsw'
      const estimate = hnsw ? hnswBuildBytes(rows, element, indexOption(body, 'm')) : ivfflatBuildBytes(rows, element, indexOption(body, 'lists'))
      if (estimate) builds.push({ statementIndex: index, table, column: v.column, type: v.typeText, estimate, session })
    }
  }
  return builds
}
