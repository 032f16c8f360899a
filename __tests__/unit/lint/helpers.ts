import type { PendingRevision } from '../../../src/engines/engine.js'
import { lintPending, type Finding, type LintOptions, type LintResult } from '../../../src/lint/lint.js'
import type { RuleId } from '../../../src/lint/registry.js'
import { SchemaModel, type TableFacts } from '../../../src/lint/schema-model.js'

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

/** Lints each text as one pending revision, in order (so earlier ones create tables for later ones). */
export async function lintSql(texts: string | string[], options: Partial<LintOptions> & { tables?: Record<string, Partial<TableFacts>> } = {}): Promise<LintResult> {
  const list = Array.isArray(texts) ? texts : [texts]
  const { tables, ...rest } = options
  const catalog = tables
    ? {
        describeTables: async () => new Map(Object.entries(tables).map(([name, facts]) => [name, { columns: new Map(), ...facts } as TableFacts]))
      }
    : undefined
  return lintPending(
    list.map((sql, i) => sqlRevision(String(i + 1).padStart(4, '0'), sql)),
    { engine: 'sql', lockTimeout: '10s', catalog, ...rest }
  )
}

export function rulesOf(result: LintResult): RuleId[] {
  return result.findings.map((f) => f.rule)
}

export function findingsOf(result: LintResult, rule: RuleId): Finding[] {
  return result.findings.filter((f) => f.rule === rule)
}

export { SchemaModel }
