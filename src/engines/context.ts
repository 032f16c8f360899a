import type pg from 'pg'
import { openClient, resetSession } from '../connection.js'
import type { Settings } from '../inputs.js'
import { MIGRATION_APPLICATION_NAMES, type MigrationLock } from '../lock.js'
import type { Logger } from '../logger.js'
import type { EngineContext } from './engine.js'

/** What every migration session is set up with: the timeouts from the inputs. */
export function migrationSessionSettings(settings: Settings): Record<string, string> {
  return { lock_timeout: settings.lockTimeout, statement_timeout: settings.statementTimeout }
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
