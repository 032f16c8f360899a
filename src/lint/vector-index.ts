import { list, nodeOf, strings, typeString, vectorType, type Body, type VectorType } from './ast.js'
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
