import type { PendingRevision } from '../../../src/engines/engine.js'
import { lintPending, type Finding, type LintOptions, type LintResult } from '../../../src/lint/lint.js'
import type { RuleId } from '../../../src/lint/registry.js'
import { SchemaModel, type CatalogReader, type TableFacts, type Volatility } from '../../../src/lint/schema-model.js'
import { tableKey } from '../../../src/lint/ast.js'

/** A pending SQL revision `db/<id>.sql` whose up section starts at `sqlLine`. */
export function sqlRevision(id: string, sql: string, sqlLine = 1): PendingRevision {
  return {
    revision: { id, parents: [], dependsOn: [], branchLabels: [], description: id, file: `db/${id}_m.sql`, line: 1 },
    sql,
    sqlLine,
    transactional: true,
    notes: []
  }
}

export interface FakeCatalog {
  /** The tables that exist, with their facts; every other table asked for is absent. */
  tables?: Record<string, Partial<TableFacts>>
  /** Index → its table. */
  indexes?: Record<string, string>
  schemas?: string[]
  volatility?: Record<string, Volatility>
  cascades?: Record<string, string[]>
  /** Domain → the columns that use it. */
  domains?: Record<string, string[]>
  serverVersion?: string
}

/** A catalog reader answering from `fake`, as the live one does: what was asked and is not there is absent. */
export function fakeCatalog(fake: FakeCatalog): CatalogReader {
  return {
    read: async (request) => ({
      tables: new Map(Object.entries(fake.tables ?? {}).map(([name, facts]) => [name, { columns: new Map(), ...facts } as TableFacts])),
      indexes: new Map(Object.entries(fake.indexes ?? {})),
      schemas: new Set(fake.schemas ?? []),
      volatility: new Map(Object.entries(fake.volatility ?? {})),
      cascades: new Map(Object.entries(fake.cascades ?? {})),
      domains: new Map(Object.entries(fake.domains ?? {})),
      asked: {
        tables: new Set([...request.tables.map(tableKey), ...Object.values(fake.indexes ?? {})]),
        indexes: new Set(request.indexes.map(tableKey)),
        schemas: new Set(request.schemas),
        domains: new Set(request.domains.map(tableKey))
      },
      serverVersion: fake.serverVersion ?? '15.8'
    })
  }
}

/** Lints each text as one pending revision, in order (so earlier ones create tables for later ones); `tables` connects it to a fake catalog. */
export async function lintSql(texts: string | string[], options: Partial<LintOptions> & FakeCatalog = {}): Promise<LintResult> {
  const list = Array.isArray(texts) ? texts : [texts]
  const { tables, indexes, schemas, volatility, cascades, domains, serverVersion, ...rest } = options
  const connected = [tables, indexes, schemas, volatility, cascades, domains].some((v) => v !== undefined)
  return lintPending(
    list.map((sql, i) => sqlRevision(String(i + 1).padStart(4, '0'), sql)),
    { engine: 'sql', lockTimeout: '10s', catalog: connected ? fakeCatalog({ tables, indexes, schemas, volatility, cascades, domains, serverVersion }) : undefined, ...rest }
  )
}

export function rulesOf(result: LintResult): RuleId[] {
  return result.findings.map((f) => f.rule)
}

export function findingsOf(result: LintResult, rule: RuleId): Finding[] {
  return result.findings.filter((f) => f.rule === rule)
}

export { SchemaModel }
