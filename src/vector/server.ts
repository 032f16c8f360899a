import type pg from 'pg'
import type { Settings } from '../inputs.js'
import { list, nodeOf, type Body } from '../lint/ast.js'
import { settingKb } from './build-memory.js'

/**
 * What the server offers pgvector index builds and which pgvector it has, read once on the action's
 * own connection before the lint (so role and database settings count, as they will for migration
 * sessions), combined with the inputs that override them for the migration sessions.
 */
export interface VectorServer {
  /** The version of the `vector` extension in this database (its SQL objects); undefined when not created. */
  installed?: string
  /** The version CREATE EXTENSION vector or ALTER EXTENSION vector UPDATE would give: the server's library. */
  available?: string
  /** maintenance_work_mem a migration session starts with, in kB: the input's when given, else the server's. */
  maintenanceWorkMemKb: number
  /** Where that value comes from. */
  maintenanceWorkMemFrom: 'server' | 'input' | 'auto' | 'migration'
  /** The server's own, in kB, for `auto` (which never goes below it). */
  serverMaintenanceWorkMemKb: number
  /** `maintenance-work-mem-max`, in kB: the most `auto` sets. */
  autoMaxKb: number
  maxParallelMaintenanceWorkers: number
  maxParallelMaintenanceWorkersFrom: 'server' | 'input' | 'migration'
  maxParallelWorkers: number
  maxWorkerProcesses: number
}

export async function readVectorServer(client: pg.Client, settings: Settings): Promise<VectorServer> {
  const r = await client.query<{ mwm: string; mpmw: string; mpw: string; mwp: string; installed: string | null; available: string | null }>(
    `SELECT (SELECT setting FROM pg_settings WHERE name = 'maintenance_work_mem') AS mwm,
            current_setting('max_parallel_maintenance_workers') AS mpmw,
            current_setting('max_parallel_workers') AS mpw,
            current_setting('max_worker_processes') AS mwp,
            (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS installed,
            (SELECT default_version FROM pg_available_extensions WHERE name = 'vector') AS available`
  )
  const row = r.rows[0]
  const serverKb = Number(row.mwm)
  const memory = settings.maintenanceWorkMem
  return {
    installed: row.installed ?? undefined,
    available: row.available ?? undefined,
    maintenanceWorkMemKb: memory?.kind === 'size' ? memory.kb : serverKb,
    maintenanceWorkMemFrom: memory === undefined ? 'server' : memory.kind === 'size' ? 'input' : 'auto',
    serverMaintenanceWorkMemKb: serverKb,
    autoMaxKb: settings.maintenanceWorkMemMaxKb,
    maxParallelMaintenanceWorkers: settings.maxParallelMaintenanceWorkers ?? Number(row.mpmw),
    maxParallelMaintenanceWorkersFrom: settings.maxParallelMaintenanceWorkers === undefined ? 'server' : 'input',
    maxParallelWorkers: Number(row.mpw),
    maxWorkerProcesses: Number(row.mwp)
  }
}

/** The session after a `SET [LOCAL] maintenance_work_mem = '…'` / `max_parallel_maintenance_workers` in the migration itself. */
export function afterSet(server: VectorServer, body: Body): VectorServer {
  const name = String(body.name ?? '').toLowerCase()
  const arg = nodeOf(list(body.args)[0], 'A_Const')
  // The parse tree leaves out zero values: `SET … = 0` is an ival without its ival.
  const value = String((arg?.sval as Body | undefined)?.sval ?? (arg?.ival !== undefined ? ((arg.ival as Body).ival ?? 0) : ''))
  if (name === 'maintenance_work_mem') {
    const kb = settingKb(value)
    return kb === undefined ? server : { ...server, maintenanceWorkMemKb: kb, maintenanceWorkMemFrom: 'migration' }
  }
  if (name === 'max_parallel_maintenance_workers' && /^\d+$/.test(value))
    return { ...server, maxParallelMaintenanceWorkers: Number(value), maxParallelMaintenanceWorkersFrom: 'migration' }
  return server
}
