import {
  alterTableCommands,
  calledFunctionRefs,
  columnConstraints,
  list,
  nodeOf,
  notNullColumnsOf,
  relationFromNames,
  relationOf,
  serialType,
  strings,
  tableKey,
  typeString,
  type Body,
  type RelationRef
} from './ast.js'
import type { SqlStatement } from '../sql/parse.js'
import type { Hit } from './rule.js'

/**
 * What the lint knows about the schema while it walks the pending set in order. The one place that
 * decides whether a statement's object is new (created earlier in the pending set), existing (in the
 * live catalog), absent (in neither) or unknown (the catalog could not be read): every rule asks here,
 * so no rule assumes the worst where another assumes the best.
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
  /** CHECK constraints that prove columns NOT NULL (`CHECK (col IS NOT NULL)`): name → columns, and whether validated. */
  notNullChecks?: Map<string, NotNullCheck>
}

export interface NotNullCheck {
  columns: string[]
  validated: boolean
}

/** `pg_proc.provolatile`: immutable, stable, volatile. */
export type Volatility = 'i' | 's' | 'v'

/** What the lint asks the live catalog about: every object the pending statements name. */
export interface CatalogRequest {
  tables: RelationRef[]
  indexes: RelationRef[]
  schemas: string[]
  /** Functions called in column defaults. */
  functions: RelationRef[]
  /** Tables truncated with CASCADE: which tables their foreign keys reach. */
  cascades: RelationRef[]
  /** Domains altered: whether they exist, and which columns use them. */
  domains: RelationRef[]
}

/** The live catalog's answer, read before anything of the pending set is applied. */
export interface Catalog {
  /** Every table asked for that exists, by `tableKey`; one asked for and missing here is absent. */
  tables: Map<string, TableFacts>
  /** Every index asked for that exists: its key → its table's key (whose facts are in `tables`). */
  indexes: Map<string, string>
  /** The schemas asked for that exist. */
  schemas: Set<string>
  /** Function (key as called: `name` or `schema.name`, lower case) → the most volatile of its overloads. */
  volatility: Map<string, Volatility>
  /** Table key → the tables a TRUNCATE … CASCADE of it empties too (foreign keys referencing it, transitively). */
  cascades: Map<string, string[]>
  /** Every domain asked for that exists → the columns of tables that use it (`table.column`). */
  domains: Map<string, string[]>
  /** What was asked, so a name the catalog lacks is known to be absent rather than never looked up. */
  asked: { tables: Set<string>; indexes: Set<string>; schemas: Set<string>; domains?: Set<string> }
  /** `server_version`, e.g. `15.8`. */
  serverVersion?: string
}

/** The live catalog, read before anything of the pending set is applied. */
export interface CatalogReader {
  read(request: CatalogRequest): Promise<Catalog>
  /**
   * Asks the server to parse (not run) the statements: those its grammar rejects, with its message.
   * The lint's parser may be newer than the server (it accepts syntax the server does not).
   */
  rejectedSyntax?(statements: { text: string; kind: string }[]): Promise<SyntaxRejection[]>
}

export interface SyntaxRejection {
  /** Index into the statements given. */
  index: number
  message: string
}

/** Where a statement's object stands, decided here for every rule. */
export type Presence = 'new' | 'existing' | 'absent' | 'unknown'

export interface Verdict {
  presence: Presence
  /** What the verdict is about when not the object itself: a column's or index's table ("table documents"). */
  subject?: string
  /** For a finding: why the object is new, absent or unknown ("absent in the target", "could not check: not connected"). */
  why?: string
}

export type ObjectRef =
  | { kind: 'table'; table: string }
  | { kind: 'column'; table: string; column: string }
  | { kind: 'index'; index: string }
  | { kind: 'schema'; schema: string }
  | { kind: 'domain'; domain: string }

export interface TargetOptions {
  /** The statement says IF EXISTS: on an absent object it is a no-op. */
  ifExists?: boolean
  /**
   * The statement reads or rewrites every row of the column's table (SET NOT NULL, a type change):
   * a column added earlier in the pending set exempts it only on a new table, since on an existing
   * one the rows are there, holding the new column's default or NULL.
   */
  touchesRows?: boolean
}

/** A revision or statement of the pending set the lint could not read: it may create anything. */
interface Unread {
  revision: string
  what: string
}

export class SchemaModel {
  /** Tables created earlier in the pending set, with their columns. */
  private readonly newTables = new Map<string, Map<string, string>>()
  /** Existing tables under a name the pending set gave them: new name → catalog key. */
  private readonly renamedTables = new Map<string, string>()
  /** Tables, indexes and schemas dropped (or renamed away) earlier in the pending set. */
  private readonly gone = new Set<string>()
  /** Indexes created earlier in the pending set → their table. */
  private readonly newIndexes = new Map<string, string>()
  private readonly renamedIndexes = new Map<string, string>()
  private readonly newSchemas = new Set<string>()
  private readonly alteredColumns = new Map<string, string>()
  /** Columns added in the pending set to tables that were not new: `table.column` → whether the ADD COLUMN gave a default. */
  private readonly addedColumns = new Map<string, { hasDefault: boolean }>()
  private readonly droppedColumns = new Set<string>()
  /** `table.new` → `table.old` for columns of existing tables renamed earlier in the pending set. */
  private readonly renamedColumns = new Map<string, string>()
  /** CHECK constraints added or validated earlier in the pending set: `table.constraint` → what they prove. */
  private readonly pendingChecks = new Map<string, NotNullCheck>()
  private readonly newFunctions = new Map<string, Volatility>()
  private readonly newDomains = new Set<string>()
  private readonly unread: Unread[] = []
  private readonly notChecked: string

  /**
   * @param catalog what the live catalog holds; undefined when the lint is not connected or the read failed
   * @param catalogProblem why there is no catalog, for "could not check" (defaults to not connected)
   */
  constructor(
    private readonly catalog?: Catalog,
    catalogProblem?: string
  ) {
    this.notChecked = `could not check the target (${catalogProblem ?? 'not connected'})`
  }

  /** The database server's version, when connected. */
  get serverVersion(): string | undefined {
    return this.catalog?.serverVersion
  }

  // ---- The one place: new, existing, absent or unknown ----

  tableVerdict(table: string): Verdict {
    if (this.newTables.has(table)) return { presence: 'new', why: 'created in this pending set' }
    if (this.gone.has(`table:${table}`)) return { presence: 'absent', why: 'dropped or renamed earlier in the pending set' }
    if (this.renamedTables.has(table)) return { presence: 'existing' }
    return this.fromCatalog(this.catalog?.tables.has(table), this.catalog?.asked.tables.has(table), `table ${table}`)
  }

  /** The table a statement names, when the target holds it and this pending set did not create it (a build over its rows). */
  existingTable(relation: unknown): string | undefined {
    const ref = relationOf(relation)
    if (!ref) return undefined
    const table = tableKey(ref)
    return this.tableVerdict(table).presence === 'existing' ? table : undefined
  }

  columnVerdict(table: string, column: string): Verdict {
    const tableVerdict = { ...this.tableVerdict(table), subject: `table ${table}` }
    if (tableVerdict.presence === 'new' || tableVerdict.presence === 'absent') return tableVerdict
    const key = `${table}.${column}`
    if (this.addedColumns.has(key)) return { presence: 'new', why: 'added in this pending set' }
    if (this.droppedColumns.has(key)) return { presence: 'absent', why: 'dropped or renamed earlier in the pending set' }
    if (tableVerdict.presence === 'unknown') return tableVerdict
    const facts = this.facts(table)
    if (!facts) return { presence: 'unknown', why: this.notChecked }
    const original = this.renamedColumns.get(key)?.split('.').at(-1) ?? column
    if (facts.columns.has(original)) return { presence: 'existing' }
    return this.absentOrUnread()
  }

  indexVerdict(index: string): Verdict {
    const table = this.newIndexes.get(index)
    if (table !== undefined) return { presence: 'new', why: 'created in this pending set' }
    if (this.gone.has(`index:${index}`)) return { presence: 'absent', why: 'dropped or renamed earlier in the pending set' }
    const original = this.renamedIndexes.get(index) ?? index
    const onTable = this.catalog?.indexes.get(original)
    if (onTable !== undefined) {
      // An index of a table the pending set dropped and created again is new with it.
      const tableVerdict = this.tableVerdict(onTable)
      return tableVerdict.presence === 'existing' ? { presence: 'existing' } : { ...tableVerdict, subject: `table ${onTable}` }
    }
    return this.fromCatalog(false, this.catalog?.asked.indexes.has(original), `index ${index}`)
  }

  domainVerdict(domain: string): Verdict {
    if (this.newDomains.has(domain)) return { presence: 'new', why: 'created in this pending set' }
    if (this.gone.has(`domain:${domain}`)) return { presence: 'absent', why: 'dropped earlier in the pending set' }
    return this.fromCatalog(this.catalog?.domains.has(domain), this.catalog?.asked.domains?.has(domain), `domain ${domain}`)
  }

  /** The columns (`table.column`) that use an existing domain, from the catalog. */
  domainColumns(domain: string): string[] | undefined {
    return this.catalog?.domains.get(domain)
  }

  schemaVerdict(schema: string): Verdict {
    if (this.newSchemas.has(schema)) return { presence: 'new', why: 'created in this pending set' }
    if (this.gone.has(`schema:${schema}`)) return { presence: 'absent', why: 'dropped earlier in the pending set' }
    return this.fromCatalog(this.catalog?.schemas.has(schema), this.catalog?.asked.schemas.has(schema), `schema ${schema}`)
  }

  verdict(object: ObjectRef): Verdict {
    switch (object.kind) {
      case 'table':
        return this.tableVerdict(object.table)
      case 'column':
        return this.columnVerdict(object.table, object.column)
      case 'index':
        return this.indexVerdict(object.index)
      case 'schema':
        return this.schemaVerdict(object.schema)
      case 'domain':
        return this.domainVerdict(object.domain)
    }
  }

  /**
   * The verdict on a column's rows: a column added earlier in the pending set to a table that
   * existed before it is judged by its table (the rows are there).
   */
  private rowsVerdict(object: ObjectRef): Verdict {
    const verdict = this.verdict(object)
    if (object.kind !== 'column' || verdict.presence !== 'new' || !this.addedColumns.has(`${object.table}.${object.column}`)) return verdict
    return { ...this.tableVerdict(object.table), subject: `table ${object.table}` }
  }

  /** Whether a column was added earlier in the pending set to a table that existed before, and whether with a default. */
  addedToExistingTable(table: string, column: string): { hasDefault: boolean } | undefined {
    return this.addedColumns.get(`${table}.${column}`)
  }

  /**
   * A destructive or locking hit on an object, as every rule reports it: nothing when the object is
   * new (it holds nothing and nobody uses it yet), the rule's own risk when it exists, low when it is
   * absent from the target (nothing to lose, nobody to block), and the rule's risk with "could not
   * check" when the catalog could not say.
   */
  onObject(object: ObjectRef, hit: Hit, options: TargetOptions = {}): Hit[] {
    return this.onVerdict(options.touchesRows ? this.rowsVerdict(object) : this.verdict(object), object, hit, options)
  }

  /** `onObject` with a verdict decided earlier (revision-wide rules get the verdict each statement met). */
  onVerdict(verdict: Verdict, object: ObjectRef, hit: Hit, options: TargetOptions = {}): Hit[] {
    const name = verdict.subject ?? describeObject(object)
    switch (verdict.presence) {
      case 'new':
        return []
      case 'existing':
        return [hit]
      case 'absent': {
        const consequence = options.ifExists ? 'IF EXISTS makes the statement a no-op' : 'the statement fails unless something creates it first'
        return [{ ...hit, risk: 'low', message: `${hit.message}: ${name} is ${verdict.why ?? 'absent in the target'}; ${consequence}`, facts: `${name}: ${absentFacts(verdict)}` }]
      }
      case 'unknown':
        // A hit about a table shows the table's line ("could not check …"); others say it themselves.
        return [hit.table ? hit : { ...hit, facts: `${name}: ${verdict.why ?? this.notChecked}` }]
    }
  }

  /** Shorthand for the commonest case: a hit on a table. */
  onTable(table: string, hit: Omit<Hit, 'table'>, options: TargetOptions = {}): Hit[] {
    return this.onObject({ kind: 'table', table }, { ...hit, table }, options)
  }

  private fromCatalog(exists: boolean | undefined, asked: boolean | undefined, name: string): Verdict {
    if (!this.catalog) return { presence: 'unknown', why: this.notChecked }
    if (exists) return { presence: 'existing' }
    if (!asked) return { presence: 'unknown', why: `could not check the target (the lint did not look ${name} up)` }
    return this.absentOrUnread()
  }

  /**
   * Absent from the live catalog and not created by a statement the lint read: when an earlier
   * pending revision could not be read (no offline SQL, a DO block), that revision may create it: it
   * is new then (absent now → created by this pending set). Otherwise it is absent.
   */
  private absentOrUnread(): Verdict {
    const unread = this.unread.at(-1)
    if (unread)
      return {
        presence: 'new',
        why: `absent in the target now, so taken as created in this pending set by revision ${unread.revision}, which the lint could not read in full (${unread.what})`
      }
    return { presence: 'absent', why: `absent in the target, and no statement before this one in the pending set creates it` }
  }

  // ---- Compatibility helpers the rules use ----

  /** Created earlier in the pending set (or absent now and created by a revision the lint could not read). */
  isNewTable(table: string): boolean {
    return this.tableVerdict(table).presence === 'new'
  }

  /** Added earlier in the pending set, or its table is new. */
  isNewColumn(table: string, column: string): boolean {
    return this.columnVerdict(table, column).presence === 'new'
  }

  /** What the live catalog says, when connected and the table existed before the pending set. */
  facts(table: string): TableFacts | undefined {
    if (this.newTables.has(table)) return undefined
    return this.catalog?.tables.get(this.renamedTables.get(table) ?? table)
  }

  /** The column's type before the current statement, from the pending set or the catalog. */
  columnType(table: string, column: string): string | undefined {
    return this.alteredColumns.get(`${table}.${column}`) ?? this.newTables.get(table)?.get(column) ?? this.facts(table)?.columns.get(column)
  }

  /** The table's rows: counted when it is small, else the planner's estimate; undefined when new or unknown. */
  rows(table: string): number | undefined {
    const facts = this.facts(table)
    return facts?.countedRows ?? facts?.estimatedRows
  }

  /** True when the table is known to hold rows; false when known empty or new; undefined when unknown. */
  hasRows(table: string): boolean | undefined {
    if (this.isNewTable(table)) return false
    const facts = this.facts(table)
    if (!facts) return undefined
    return facts.hasRows ?? (facts.estimatedRows === undefined ? undefined : facts.estimatedRows > 0)
  }

  /** The table an index is on: from the pending set or the catalog. */
  indexTable(index: string): string | undefined {
    return this.newIndexes.get(index) ?? this.catalog?.indexes.get(this.renamedIndexes.get(index) ?? index)
  }

  /** A valid CHECK constraint proves the column NOT NULL (validated earlier in the pending set, or in the catalog). */
  hasValidNotNullCheck(table: string, column: string): boolean {
    const original = this.renamedColumns.get(`${table}.${column}`)?.split('.').at(-1) ?? column
    for (const [key, check] of this.pendingChecks) if (key.startsWith(`${table}.`) && check.validated && check.columns.includes(column)) return true
    for (const [name, check] of this.facts(table)?.notNullChecks ?? []) {
      if (this.pendingChecks.has(`${table}.${name}`)) continue
      if (check.validated && check.columns.includes(original)) return true
    }
    return false
  }

  /** The most volatile overload of a function called as `key` (`name` or `schema.name`); undefined when unknown. */
  volatility(key: string): Volatility | undefined {
    return this.newFunctions.get(key) ?? this.catalog?.volatility.get(key)
  }

  /** The tables a TRUNCATE … CASCADE of `table` empties too; undefined when the catalog could not say. */
  cascadeOf(table: string): string[] | undefined {
    return this.catalog?.cascades.get(table)
  }

  /** "table chunks: ~1.2 M rows, 3.4 GB", "table x: absent in the target", or undefined without catalog facts. */
  describe(table: string): string | undefined {
    const verdict = this.tableVerdict(table)
    if (verdict.presence === 'new') return `table ${table}: ${verdict.why ?? 'created in this pending set'}`
    if (verdict.presence === 'absent') return `table ${table}: ${absentFacts(verdict)}`
    if (verdict.presence === 'unknown') return `table ${table}: ${verdict.why ?? this.notChecked}`
    const facts = this.facts(table)
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

  // ---- Walking the pending set ----

  /** A revision (or part of one) the lint could not read: from here on, an object absent in the target may be created by it. */
  markUnread(revision: string, what: string): void {
    this.unread.push({ revision, what })
  }

  /** Records what the statement creates or changes, after the rules have seen it. */
  apply(statement: SqlStatement, revision: string): void {
    const body = statement.node[statement.kind as keyof typeof statement.node] as unknown as Body
    switch (statement.kind) {
      case 'CreateStmt':
      case 'CreateTableAsStmt': {
        const ref = relationOf(body.relation ?? (body.into as Body | undefined)?.rel)
        if (!ref) return
        // CREATE TABLE IF NOT EXISTS on a table that exists creates nothing.
        if (body.if_not_exists && this.tableVerdict(tableKey(ref)).presence === 'existing') return
        const columns = new Map<string, string>()
        for (const element of list(body.tableElts)) {
          const column = nodeOf(element, 'ColumnDef')
          if (column) columns.set(String(column.colname), typeString(column.typeName))
        }
        this.created(`table:${tableKey(ref)}`)
        this.newTables.set(tableKey(ref), columns)
        return
      }
      case 'CreateSchemaStmt':
        if (typeof body.schemaname === 'string' && !(body.if_not_exists && this.schemaVerdict(body.schemaname).presence === 'existing')) {
          this.created(`schema:${body.schemaname}`)
          this.newSchemas.add(body.schemaname)
        }
        return
      case 'IndexStmt': {
        const ref = relationOf(body.relation)
        if (typeof body.idxname === 'string' && ref) {
          const index = tableKey({ schema: ref.schema, name: body.idxname })
          if (body.if_not_exists && this.indexVerdict(index).presence === 'existing') return
          this.created(`index:${index}`)
          this.newIndexes.set(index, tableKey(ref))
        }
        return
      }
      case 'CreateDomainStmt': {
        const domain = tableKey(relationFromNames(strings(body.domainname)))
        this.created(`domain:${domain}`)
        this.newDomains.add(domain)
        return
      }
      case 'CreateFunctionStmt': {
        const names = strings(body.funcname)
        const volatility = list(body.options)
          .map((o) => nodeOf(o, 'DefElem'))
          .find((d) => d?.defname === 'volatility')
        const value = String(nodeOf(volatility?.arg, 'String')?.sval ?? 'volatile')
        const level: Volatility = value === 'immutable' ? 'i' : value === 'stable' ? 's' : 'v'
        this.newFunctions.set(tableKey(relationFromNames(names)), level)
        this.newFunctions.set(names.at(-1) ?? '', level)
        return
      }
      case 'AlterTableStmt':
        this.applyAlterTable(body)
        return
      case 'RenameStmt':
        this.applyRename(body)
        return
      case 'DropStmt':
        this.applyDrop(body)
        return
      case 'DoStmt':
      case 'CallStmt':
      case 'ExecuteStmt':
        // Dynamic SQL: it may create anything, which no statement the lint reads shows.
        this.markUnread(revision, statement.kind === 'DoStmt' ? 'a DO block' : statement.kind === 'CallStmt' ? 'a CALL' : 'an EXECUTE')
        return
      default:
        return
    }
  }

  private applyAlterTable(body: Body): void {
    const ref = relationOf(body.relation)
    if (!ref || body.objtype === 'OBJECT_INDEX') return
    const table = tableKey(ref)
    for (const cmd of alterTableCommands(body)) {
      const column = nodeOf(cmd.def, 'ColumnDef')
      if (cmd.subtype === 'AT_AddColumn' && column) {
        const key = `${table}.${String(column.colname)}`
        this.alteredColumns.set(key, typeString(column.typeName))
        const newTable = this.newTables.get(table)
        if (newTable) newTable.set(String(column.colname), typeString(column.typeName))
        else this.addedColumns.set(key, { hasDefault: columnConstraints(column).some((k) => k.contype === 'CONSTR_DEFAULT') || serialType(column) !== undefined })
        this.droppedColumns.delete(key)
      }
      if (cmd.subtype === 'AT_AlterColumnType' && column) this.alteredColumns.set(`${table}.${String(cmd.name)}`, typeString(column.typeName))
      if (cmd.subtype === 'AT_DropColumn') {
        const key = `${table}.${String(cmd.name)}`
        this.newTables.get(table)?.delete(String(cmd.name))
        this.addedColumns.delete(key)
        this.droppedColumns.add(key)
      }
      if (cmd.subtype === 'AT_AddConstraint') {
        const constraint = nodeOf(cmd.def, 'Constraint')
        if (constraint?.contype === 'CONSTR_CHECK') {
          const name = typeof constraint.conname === 'string' ? constraint.conname : `<unnamed ${this.pendingChecks.size}>`
          this.pendingChecks.set(`${table}.${name}`, { columns: notNullColumnsOf(constraint.raw_expr), validated: !constraint.skip_validation })
        }
      }
      if (cmd.subtype === 'AT_ValidateConstraint' && typeof cmd.name === 'string') {
        const pending = this.pendingChecks.get(`${table}.${cmd.name}`)
        const inCatalog = this.facts(table)?.notNullChecks?.get(cmd.name)
        if (pending) pending.validated = true
        else if (inCatalog) this.pendingChecks.set(`${table}.${cmd.name}`, { columns: inCatalog.columns, validated: true })
      }
      if (cmd.subtype === 'AT_DropConstraint' && typeof cmd.name === 'string') {
        this.pendingChecks.delete(`${table}.${cmd.name}`)
        // A dropped catalog constraint no longer proves anything.
        if (this.facts(table)?.notNullChecks?.has(cmd.name)) this.pendingChecks.set(`${table}.${cmd.name}`, { columns: [], validated: false })
      }
    }
  }

  private applyRename(body: Body): void {
    const ref = relationOf(body.relation)
    const newName = String(body.newname)
    if (body.renameType === 'OBJECT_TABLE' && ref) {
      const from = tableKey(ref)
      const to = tableKey({ schema: ref.schema, name: newName })
      const columns = this.newTables.get(from)
      if (columns) {
        this.newTables.delete(from)
        this.newTables.set(to, columns)
      } else {
        this.renamedTables.set(to, this.renamedTables.get(from) ?? from)
        this.renamedTables.delete(from)
      }
      this.gone.delete(`table:${to}`)
      this.gone.add(`table:${from}`)
      return
    }
    if (body.renameType === 'OBJECT_COLUMN' && ref) {
      const table = tableKey(ref)
      const from = `${table}.${String(body.subname)}`
      const to = `${table}.${newName}`
      const columns = this.newTables.get(table)
      if (columns) {
        columns.set(newName, columns.get(String(body.subname)) ?? 'unknown')
        columns.delete(String(body.subname))
        return
      }
      const added = this.addedColumns.get(from)
      if (added && this.addedColumns.delete(from)) this.addedColumns.set(to, added)
      else this.renamedColumns.set(to, this.renamedColumns.get(from) ?? from)
      this.droppedColumns.delete(to)
      this.droppedColumns.add(from)
      return
    }
    if (body.renameType === 'OBJECT_INDEX' && ref) {
      const from = tableKey(ref)
      const to = tableKey({ schema: ref.schema, name: newName })
      const table = this.newIndexes.get(from)
      if (table !== undefined) {
        this.newIndexes.delete(from)
        this.newIndexes.set(to, table)
      } else this.renamedIndexes.set(to, this.renamedIndexes.get(from) ?? from)
      this.gone.delete(`index:${to}`)
      this.gone.add(`index:${from}`)
    }
  }

  private applyDrop(body: Body): void {
    if (body.removeType === 'OBJECT_TABLE') {
      for (const object of list(body.objects)) {
        const table = tableKey(relationFromNames(strings(nodeOf(object, 'List')?.items)))
        this.newTables.delete(table)
        this.renamedTables.delete(table)
        this.gone.add(`table:${table}`)
        for (const [index, on] of this.newIndexes) if (on === table) this.newIndexes.delete(index)
      }
    }
    if (body.removeType === 'OBJECT_INDEX') {
      for (const object of list(body.objects)) {
        const index = tableKey(relationFromNames(strings(nodeOf(object, 'List')?.items)))
        this.newIndexes.delete(index)
        this.gone.add(`index:${index}`)
      }
    }
    if (body.removeType === 'OBJECT_SCHEMA') {
      for (const object of list(body.objects)) {
        const schema = String(nodeOf(object, 'String')?.sval ?? '')
        this.newSchemas.delete(schema)
        this.gone.add(`schema:${schema}`)
      }
    }
    if (body.removeType === 'OBJECT_DOMAIN') {
      for (const object of list(body.objects)) {
        const domain = tableKey(relationFromNames(strings(nodeOf(object, 'TypeName')?.names)))
        this.newDomains.delete(domain)
        this.gone.add(`domain:${domain}`)
      }
    }
  }

  private created(key: string): void {
    this.gone.delete(key)
  }
}

function absentFacts(verdict: Verdict): string {
  return verdict.why?.startsWith('dropped') ? 'dropped earlier in the pending set' : 'absent in the target'
}

function describeObject(object: ObjectRef): string {
  switch (object.kind) {
    case 'table':
      return `table ${object.table}`
    case 'column':
      return `column ${object.table}.${object.column}`
    case 'index':
      return `index ${object.index}`
    case 'schema':
      return `schema ${object.schema}`
    case 'domain':
      return `domain ${object.domain}`
  }
}

/** Every object a set of statements names, to read from the catalog in one go before linting. */
export function catalogRequest(statements: SqlStatement[]): CatalogRequest {
  const tables = new Map<string, RelationRef>()
  const indexes = new Map<string, RelationRef>()
  const schemas = new Set<string>()
  const functions = new Map<string, RelationRef>()
  const cascades = new Map<string, RelationRef>()
  const domains = new Map<string, RelationRef>()
  const add = (into: Map<string, RelationRef>, ref: RelationRef | undefined): void => {
    if (ref && ref.name) into.set(tableKey(ref), ref)
  }
  const dropped = (body: Body): RelationRef[] => list(body.objects).map((o) => relationFromNames(strings(nodeOf(o, 'List')?.items)))
  for (const statement of statements) {
    const body = statement.node[statement.kind as keyof typeof statement.node] as unknown as Body
    switch (statement.kind) {
      case 'DropStmt':
        if (body.removeType === 'OBJECT_TABLE') for (const ref of dropped(body)) add(tables, ref)
        if (body.removeType === 'OBJECT_INDEX') for (const ref of dropped(body)) add(indexes, ref)
        if (body.removeType === 'OBJECT_SCHEMA') for (const o of list(body.objects)) schemas.add(String(nodeOf(o, 'String')?.sval ?? ''))
        break
      case 'TruncateStmt':
        for (const r of list(body.relations)) {
          add(tables, relationOf(nodeOf(r, 'RangeVar')))
          if (body.behavior === 'DROP_CASCADE') add(cascades, relationOf(nodeOf(r, 'RangeVar')))
        }
        break
      case 'VacuumStmt':
        for (const r of list(body.rels)) add(tables, relationOf(nodeOf(r, 'VacuumRelation')?.relation))
        break
      case 'ReindexStmt':
        add(body.kind === 'REINDEX_OBJECT_INDEX' ? indexes : tables, relationOf(body.relation))
        break
      case 'AlterTableStmt':
        add(body.objtype === 'OBJECT_INDEX' ? indexes : tables, relationOf(body.relation))
        for (const cmd of alterTableCommands(body)) {
          const column = nodeOf(cmd.def, 'ColumnDef')
          if (cmd.subtype !== 'AT_AddColumn' || !column) continue
          for (const k of columnConstraints(column)) if (k.contype === 'CONSTR_DEFAULT') for (const f of calledFunctionRefs(k.raw_expr)) add(functions, f)
        }
        break
      case 'RenameStmt':
        add(body.renameType === 'OBJECT_INDEX' ? indexes : tables, relationOf(body.relation))
        break
      case 'AlterDomainStmt':
        add(domains, relationFromNames(strings(body.typeName)))
        break
      case 'LockStmt':
        for (const r of list(body.relations)) add(tables, relationOf(nodeOf(r, 'RangeVar')))
        break
      default:
        add(tables, relationOf(body.relation))
    }
  }
  return {
    tables: [...tables.values()],
    indexes: [...indexes.values()],
    schemas: [...schemas],
    functions: [...functions.values()],
    cascades: [...cascades.values()],
    domains: [...domains.values()]
  }
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
