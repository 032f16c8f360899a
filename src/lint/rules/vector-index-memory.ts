import { formatBytes, formatSetting, settingFor, type BuildEstimate } from '../../vector/build-memory.js'
import type { VectorServer } from '../../vector/server.js'
import { defineRule } from '../rule.js'
import { vectorBuilds } from '../vector-index.js'

export default defineRule({
  id: 'vector-index-memory',
  appliesTo: ['IndexStmt'],
  risk: 'medium',
  title: 'An HNSW or IVFFlat build on an existing table that needs more memory than maintenance_work_mem',
  saferWay:
    'Give the migration session the memory the build needs, as long as the database server has that much free: set the `maintenance-work-mem` input to the size the finding names, or to `auto` (the estimate, up to `maintenance-work-mem-max`), or `SET maintenance_work_mem` in the migration before the build.',
  docs: {
    why: 'HNSW builds its graph in maintenance_work_mem (64MB by default). Once the graph no longer fits, the server says only "hnsw graph no longer fits into maintenance_work_mem after N tuples" and goes on on disk, many times slower: builds that take minutes in memory take hours or days. IVFFlat refuses outright ("memory required is N MB, maintenance_work_mem is M MB") when its k-means sample does not fit, and the migration fails there. The estimate comes from the live row count and the indexed type; see the README, "Vector index builds".',
    bad: 'CREATE INDEX CONCURRENTLY chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);',
    good: "-- Or, instead of the SET: the input maintenance-work-mem: 9GB (or auto, with maintenance-work-mem-max: 9GB).\nSET maintenance_work_mem = '9GB';\nCREATE INDEX CONCURRENTLY chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);",
    assumes: {
      description: 'table chunks holding 1,000,000 rows of vector(1536) and maintenance_work_mem at its default of 64MB',
      tables: { chunks: { estimatedRows: 1_000_000, hasRows: true, columns: new Map([['embedding', 'vector(1536)']]) } },
      server: { maintenanceWorkMemKb: 64 * 1024, maintenanceWorkMemFrom: 'server', serverMaintenanceWorkMemKb: 64 * 1024, autoMaxKb: 2 * 1024 * 1024 }
    }
  },
  checkRevision: ({ statements, schema, server }) =>
    server
      ? vectorBuilds(statements, schema, server)
          .filter((b) => b.estimate.bytes > available(b.session) * 1024)
          .map((b) => ({
            message: `${describe(b.estimate, b.table, b.column, b.type)}; ${shortfall(b.session, available(b.session), b.estimate)}`,
            table: b.table,
            statementIndex: b.statementIndex
          }))
      : []
})

const SOURCE = { server: "the server's", input: 'the input', migration: 'set by the migration', auto: 'auto' } as const

/** What the migration session will have: with `auto`, as much as the cap allows (never less than the server's). */
function available(server: VectorServer): number {
  return server.maintenanceWorkMemFrom === 'auto' ? Math.max(server.serverMaintenanceWorkMemKb, server.autoMaxKb) : server.maintenanceWorkMemKb
}

function describe(estimate: BuildEstimate, table: string, column: string, type: string | undefined): string {
  const what = estimate.method === 'hnsw' ? 'its graph needs' : 'its k-means needs'
  return `builds ${estimate.method.toUpperCase()} on ${table}.${column}${type ? ` (${type})` : ''}: ${what} ~${formatBytes(estimate.bytes)} (${estimate.basis})`
}

function shortfall(server: VectorServer, limitKb: number, estimate: BuildEstimate): string {
  const setting = settingFor(estimate.bytes).text
  const from =
    server.maintenanceWorkMemFrom === 'auto'
      ? `maintenance-work-mem: auto stops at maintenance-work-mem-max ${formatSetting(limitKb)}`
      : `maintenance_work_mem is ${formatSetting(limitKb)} (${SOURCE[server.maintenanceWorkMemFrom]})`
  const consequence =
    estimate.method === 'hnsw'
      ? 'the graph spills to disk part-way and the build slows down many times'
      : 'the build fails with "memory required is … MB, maintenance_work_mem is … MB"'
  return `${from}, so ${consequence}. Set the input maintenance-work-mem: ${setting}${server.maintenanceWorkMemFrom === 'auto' ? ` (raise maintenance-work-mem-max to at least ${setting})` : ' (or auto)'} if the database server has that much memory free${parallelNote(server, estimate)}`
}

/** HNSW builds in parallel since pgvector 0.6.0: say what the session allows and what limits it. */
function parallelNote(server: VectorServer, estimate: BuildEstimate): string {
  if (estimate.method !== 'hnsw') return '.'
  const workers = server.maxParallelMaintenanceWorkers
  if (workers === 0) return '; parallel workers are off (max_parallel_maintenance_workers 0): max-parallel-maintenance-workers gives the build more.'
  const capped = Math.min(workers, server.maxParallelWorkers, server.maxWorkerProcesses)
  const limit = capped < workers ? `, of which max_parallel_workers ${server.maxParallelWorkers} / max_worker_processes ${server.maxWorkerProcesses} let ${capped} start` : ''
  return `; the build may use ${workers} parallel ${workers === 1 ? 'worker' : 'workers'} (max_parallel_maintenance_workers, ${SOURCE[server.maxParallelMaintenanceWorkersFrom]})${limit}.`
}
