import type pg from 'pg'
import { openClient, resetSession } from '../connection.js'
import type { Settings } from '../inputs.js'
import type { MigrationLock } from '../lock.js'
import type { Logger } from '../logger.js'
import type { EngineContext } from './engine.js'

/** What every migration session is set up with: the timeouts from the inputs. */
export function migrationSessionSettings(settings: Settings): Record<string, string> {
  return { lock_timeout: settings.lockTimeout, statement_timeout: settings.statementTimeout }
}

export function createEngineContext(settings: Settings, client: pg.Client, log: Logger, lock?: MigrationLock): EngineContext {
  const sessionSettings = migrationSessionSettings(settings)
  return {
    settings,
    client,
    lock,
    log,
    connect: () => openClient(settings.databaseUrl, { connectTimeoutMs: settings.connectTimeoutMs, applicationName: 'pg-migrate-action migration', sessionSettings }),
    resetSession: (session) => resetSession(session, sessionSettings)
  }
}
