import type pg from 'pg'
import { openClient, resetSession } from '../connection.js'
import type { Settings } from '../inputs.js'
import { MIGRATION_APPLICATION_NAMES, type MigrationLock } from '../lock.js'
import type { Logger } from '../logger.js'
import type { EngineContext } from './engine.js'

/**
 * What every migration session is set up with: the timeouts from the inputs, and the index build
 * settings when given (`maintenance-work-mem: auto` is resolved to a size after the lint, see
 * src/vector/build-settings.ts; unresolved, it leaves the server's setting).
 */
export function migrationSessionSettings(settings: Settings): Record<string, string> {
  const memory = settings.maintenanceWorkMem
  return {
    lock_timeout: settings.lockTimeout,
    statement_timeout: settings.statementTimeout,
    ...(memory?.kind === 'size' ? { maintenance_work_mem: memory.text } : {}),
    ...(settings.maxParallelMaintenanceWorkers !== undefined ? { max_parallel_maintenance_workers: String(settings.maxParallelMaintenanceWorkers) } : {})
  }
}

/** The same settings as libpq's PGOPTIONS for Alembic's driver; a PGOPTIONS of the environment comes last and wins. */
export function migrationPgOptions(settings: Settings, inherited?: string): string {
  // The values hold no spaces (the inputs are validated), which PGOPTIONS would need escaped.
  return [...Object.entries(migrationSessionSettings(settings)).map(([name, value]) => `-c ${name}=${value}`), inherited].filter(Boolean).join(' ')
}

export function createEngineContext(settings: Settings, client: pg.Client, log: Logger, lock?: MigrationLock, signal?: AbortSignal): EngineContext {
  const sessionSettings = migrationSessionSettings(settings)
  return {
    settings,
    client,
    lock,
    log,
    signal,
    connect: () => openClient(settings.databaseUrl, { connectTimeoutMs: settings.connectTimeoutMs, applicationName: MIGRATION_APPLICATION_NAMES.sql, sessionSettings }),
    resetSession: (session) => resetSession(session, sessionSettings)
  }
}
