import { advisoriesFor, describeAdvisory } from '../../vector/versions.js'
import { afterSet } from '../../vector/server.js'
import type { Body } from '../ast.js'
import type { Hit } from '../rule.js'
import { defineRule } from '../rule.js'

/** PostgreSQL plans no parallel workers for a table smaller than min_parallel_table_scan_size (8MB by default). */
const PARALLEL_FROM_BYTES = 8 * 1024 * 1024

export default defineRule({
  id: 'vector-version-advisory',
  risk: 'medium',
  title: 'An HNSW build with parallel workers on a pgvector version with a security advisory for it',
  saferWay:
    'Upgrade pgvector on the server to the fixed version the finding names; until then build without parallel workers: the input max-parallel-maintenance-workers: 0, or `SET max_parallel_maintenance_workers = 0` before the build.',
  docs: {
    why: 'CVE-2026-3172: in pgvector 0.6.0 to 0.8.1 an HNSW build with parallel workers can overflow a buffer, leak data of other relations or crash the server (https://github.com/pgvector/pgvector/issues/959, fixed in 0.8.2). A table large enough for parallel workers (min_parallel_table_scan_size, 8MB) gets them by default (max_parallel_maintenance_workers 2). The advisories are kept in one table in src/vector/versions.ts with their sources.',
    bad: 'CREATE INDEX CONCURRENTLY chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);',
    good: 'SET max_parallel_maintenance_workers = 0;\nCREATE INDEX CONCURRENTLY chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);',
    assumes: {
      description: 'pgvector 0.8.0 on the server, table chunks of 1 GB, and max_parallel_maintenance_workers at its default of 2',
      tables: { chunks: { estimatedRows: 1_000_000, hasRows: true, totalBytes: 1024 ** 3, columns: new Map([['embedding', 'vector(128)']]) } },
      server: { installed: '0.8.0', available: '0.8.0', maxParallelMaintenanceWorkers: 2, maxParallelMaintenanceWorkersFrom: 'server' }
    }
  },
  checkRevision: ({ statements, schema, server }) => {
    const advisories = advisoriesFor(server?.available ?? server?.installed, 'hnsw-parallel-build')
    if (!server || advisories.length === 0) return []
    let session = server
    const hits: (Hit & { statementIndex: number })[] = []
    for (const [index, statement] of statements.entries()) {
      const body = (statement.node as unknown as Record<string, Body>)[statement.kind] ?? {}
      if (statement.kind === 'VariableSetStmt') session = afterSet(session, body)
      if (statement.kind !== 'IndexStmt' || String(body.accessMethod).toLowerCase() !== 'hnsw' || session.maxParallelMaintenanceWorkers === 0) continue
      const table = schema.existingTable(body.relation)
      const facts = table === undefined ? undefined : schema.facts(table)
      if (table === undefined || schema.hasRows(table) === false || (facts?.totalBytes !== undefined && facts.totalBytes < PARALLEL_FROM_BYTES)) continue
      const version = server.available ?? server.installed
      hits.push({
        message: `builds HNSW on ${table} with up to ${session.maxParallelMaintenanceWorkers} parallel workers on pgvector ${version}, affected by ${advisories.map(describeAdvisory).join('; ')}: upgrade pgvector, or build without parallel workers (max-parallel-maintenance-workers: 0)`,
        table,
        statementIndex: index
      })
    }
    return hits
  }
})
