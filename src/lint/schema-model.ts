import { alterTableCommands, list, nodeOf, relationFromNames, relationOf, strings, tableKey, typeString, type Body, type RelationRef } from './ast.js'
import type { SqlStatement } from '../sql/parse.js'

/**
 * What the lint knows about the schema while it walks the pending set in order: the tables, columns
 * and indexes created earlier in the pending set ("new": a change to them risks nothing yet), and,
 * when connected, what the live catalog says about the others.
 */

export interface TableFacts {
  /** Estimated rows (`reltuples`); undefined when the table was never analyzed. */
  estimatedRows?: number
  /** count(*), for tables small enough to count quickly (src/lint/catalog.ts). */
  countedRows?: number
  /** Whether the table holds at least one row (read directly: the estimate is -1 until ANALYZE). */
  hasRows?: boolean
  /** `pg_total_relation_size`: heap, indexes and TOAST. */
  totalBytes?: number
  /** Column name → `format_type` (e.g. `vector(3)`). */
  columns: Map<string, string>
}

/** The live catalog, read before anything of the pending set is applied. */
export interface CatalogReader {
  /** Facts about each table that exists; tables that do not exist are left out of the map. */
  describeTables(tables: RelationRef[]): Promise<Map<string, TableFacts>>
}

export class SchemaModel {
  private readonly newTables = new Map<string, Map<string, string>>()
  private readonly newIndexes = new Set<string>()
  private readonly alteredColumns = new Map<string, string>()
  private readonly addedColumns = new Set<string>()

  constructor(private readonly catalog: Map<string, TableFacts> = new Map()) {}

  /** Created earlier in the pending set. */
  isNewTable(table: string): boolean {
    return this.newTables.has(table)
  }

  /** The table a statement's relation names, when it existed before this pending set; undefined for a new one. */
  existingTable(relation: unknown): string | undefined {
    const ref = relationOf(relation)
    if (!ref) return undefined
    const table = tableKey(ref)
    return this.isNewTable(table) ? undefined : table
  }

  isNewIndex(index: string): boolean {
    return this.newIndexes.has(index)
  }

  /** Added earlier in the pending set (to a table that already existed). */
  isNewColumn(table: string, column: string): boolean {
    return this.newTables.has(table) || this.addedColumns.has(`${table}.${column}`)
  }

  /** What the live catalog says, when connected and the table exists. */
  facts(table: string): TableFacts | undefined {
    return this.newTables.has(table) ? undefined : this.catalog.get(table)
  }

  /** The column's type before the current statement, from the pending set or the catalog. */
  columnType(table: string, column: string): string | undefined {
    return this.alteredColumns.get(`${table}.${column}`) ?? this.newTables.get(table)?.get(column) ?? this.catalog.get(table)?.columns.get(column)
  }

  /** The table's rows: counted when it is small, else the planner's estimate; undefined when new or unknown. */
  rows(table: string): number | undefined {
    const facts = this.facts(table)
    return facts?.countedRows ?? facts?.estimatedRows
  }

  /** True when the table is known to hold rows; false when known empty or new; undefined when unknown. */
  hasRows(table: string): boolean | undefined {
    if (this.newTables.has(table)) return false
    const facts = this.catalog.get(table)
    if (!facts) return undefined
    return facts.hasRows ?? (facts.estimatedRows === undefined ? undefined : facts.estimatedRows > 0)
  }

  /** "table chunks: ~1.2 M rows, 3.4 GB", or undefined without catalog facts. */
  describe(table: string): string | undefined {
    if (this.newTables.has(table)) return `table ${table}: created in this pending set`
    const facts = this.catalog.get(table)
    if (!facts) return undefined
    const rows =
      facts.estimatedRows !== undefined
        ? `~${formatCount(facts.estimatedRows)} rows`
        : facts.hasRows === false
          ? 'empty'
          : facts.hasRows
            ? 'has rows (not analyzed yet)'
            : 'rows unknown'
    return `table ${table}: ${rows}${facts.totalBytes !== undefined ? `, ${formatBytes(facts.totalBytes)}` : ''}`
  }

  /** Records what the statement creates or changes, after the rules have seen it. */
  apply(statement: SqlStatement): void {
    const body = statement.node[statement.kind as keyof typeof statement.node] as unknown as Body
    switch (statement.kind) {
      case 'CreateStmt':
      case 'CreateTableAsStmt': {
        const ref = relationOf(body.relation ?? (body.into as Body | undefined)?.rel)
        if (!ref) return
        const columns = new Map<string, string>()
        for (const element of list(body.tableElts)) {
          const column = nodeOf(element, 'ColumnDef')
          if (column) columns.set(String(column.colname), typeString(column.typeName))
        }
        this.newTables.set(tableKey(ref), columns)
        return
      }
      case 'IndexStmt':
        if (typeof body.idxname === 'string') this.newIndexes.add(body.idxname)
        return
      case 'AlterTableStmt': {
        const ref = relationOf(body.relation)
        if (!ref) return
        const table = tableKey(ref)
        for (const cmd of alterTableCommands(body)) {
          const column = nodeOf(cmd.def, 'ColumnDef')
          if (cmd.subtype === 'AT_AddColumn' && column) {
            this.alteredColumns.set(`${table}.${String(column.colname)}`, typeString(column.typeName))
            this.addedColumns.add(`${table}.${String(column.colname)}`)
          }
          if (cmd.subtype === 'AT_AlterColumnType' && column) this.alteredColumns.set(`${table}.${String(cmd.name)}`, typeString(column.typeName))
        }
        return
      }
      case 'RenameStmt': {
        const ref = relationOf(body.relation)
        if (body.renameType === 'OBJECT_TABLE' && ref && this.newTables.has(tableKey(ref))) {
          const key = tableKey(ref)
          this.newTables.set(tableKey({ schema: ref.schema, name: String(body.newname) }), this.newTables.get(key)!)
        }
        return
      }
      case 'DropStmt':
        if (body.removeType === 'OBJECT_TABLE') {
          for (const object of list(body.objects)) this.newTables.delete(tableKey(relationFromNames(strings(nodeOf(object, 'List')?.items))))
        }
        return
      default:
        return
    }
  }
}

/** Every table a set of statements names, to read from the catalog in one go before linting. */
export function referencedTables(statements: SqlStatement[]): RelationRef[] {
  const seen = new Map<string, RelationRef>()
  const add = (ref: RelationRef | undefined): void => {
    if (ref && ref.name) seen.set(tableKey(ref), ref)
  }
  for (const statement of statements) {
    const body = statement.node[statement.kind as keyof typeof statement.node] as unknown as Body
    add(relationOf(body.relation))
    if (statement.kind === 'DropStmt' && body.removeType === 'OBJECT_TABLE') {
      for (const object of list(body.objects)) add(relationFromNames(strings(nodeOf(object, 'List')?.items)))
    }
    if (statement.kind === 'TruncateStmt') for (const r of list(body.relations)) add(relationOf(nodeOf(r, 'RangeVar')))
    if (statement.kind === 'VacuumStmt') for (const r of list(body.rels)) add(relationOf(nodeOf(r, 'VacuumRelation')?.relation))
  }
  return [...seen.values()]
}

export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} G`
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`
  return String(Math.round(n))
}

export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB']
  let value = n
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`
}
