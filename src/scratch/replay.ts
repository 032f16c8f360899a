import type pg from 'pg'
import { quoteIdent } from '../connection.js'
import { createEngineContext } from '../engines/context.js'
import type { Engine, EngineContext, LoadedChain, Revision } from '../engines/engine.js'
import { ActionError, errorMessage } from '../errors.js'
import type { Settings } from '../inputs.js'
import { MigrationLock } from '../lock.js'
import type { Logger } from '../logger.js'
import type { Snapshot } from '../verify/snapshot.js'
import { refuseClusterWideChanges } from './cluster-wide.js'
import { openScratchDatabase, type ScratchDatabase, type ScratchRequest } from './database.js'

/**
 * Running the chain's own migrations on a scratch database, through the engine, as apply runs
 * them on the target: the SQL engine with its history table, its transactions and its
 * non-transactional files; Alembic with `alembic upgrade` and DATABASE_URL pointing there.
 */

/** A migration that failed on the scratch database: the check that needed it could not be made. */
export class ReplayFailed extends Error {}

export interface ScratchSession {
  ctx: EngineContext
  /** Releases the migration lock on the scratch database (its other connection is the scratch's own). */
  release: () => Promise<void>
}

/**
 * An engine context for the scratch database. Each migration in its own transaction, whatever
 * `transaction` says: a replay must get as far as it can, and the target's own run enforces the input.
 */
export async function scratchSession(settings: Settings, scratch: ScratchDatabase, log: Logger): Promise<ScratchSession> {
  const scratchSettings: Settings = { ...settings, databaseUrl: scratch.url, transaction: 'per-migration' }
  const scratchLog = prefixed(log, `[${scratch.name}] `)
  const lock = new MigrationLock(scratchSettings, scratchLog)
  await lock.acquire()
  return { ctx: createEngineContext(scratchSettings, scratch.client, scratchLog, lock), release: () => lock.release() }
}

/**
 * A scratch database with the engine's session on it, holding a copy of the target's schema or a
 * replay of its applied migrations. The drift check hands a replay that matches the database to
 * the schema change, which runs the pending migrations there instead of copying the schema again.
 */
export interface PreparedScratch {
  scratch: ScratchDatabase
  ctx: EngineContext
  /** Releases the session and removes the database; does nothing the second time. */
  dispose: () => Promise<void>
}

/** A fresh scratch database with the input's extensions and `revisions` replayed on it; the caller disposes of it. */
export async function replayOnScratch(request: ScratchRequest, engine: Engine, chain: LoadedChain, revisions: Revision[], what: string): Promise<PreparedScratch> {
  await refuseClusterWideChanges(revisions, request.settings)
  const opened = await openScratchDatabase(request)
  let session: ScratchSession | undefined
  try {
    session = await scratchSession(request.settings, opened.scratch, request.log)
    await createInputExtensions(request.target, opened.scratch.client, request.settings.extensions)
    await replay(engine, session.ctx, chain, revisions, what)
  } catch (error) {
    await session?.release()
    await opened.dispose()
    throw error
  }
  const held = session
  let disposed: Promise<void> | undefined
  return { scratch: opened.scratch, ctx: held.ctx, dispose: () => (disposed ??= held.release().then(opened.dispose)) }
}

/** Lines of migrations run on a scratch database say so, so nobody reads them as the target's; no nested groups. */
function prefixed(log: Logger, prefix: string): Logger {
  return {
    info: (m) => log.info(prefix + m),
    warning: (m) => log.warning(prefix + m),
    debug: (m) => log.debug(prefix + m),
    group: (title, fn) => {
      log.info(prefix + title)
      return fn()
    }
  }
}

/**
 * The extensions of the `extensions` input that the target has, at the target's version and in its
 * schema: the action created them there, not a migration, and the migrations may need them.
 */
export async function createInputExtensions(target: pg.Client, scratch: pg.Client, names: string[]): Promise<void> {
  if (names.length === 0) return
  const { rows } = await target.query<{ name: string; version: string; schema: string }>(
    `SELECT e.extname AS name, e.extversion AS version, n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = ANY ($1::text[])`,
    [names]
  )
  for (const { name, version, schema } of rows) {
    try {
      await scratch.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`)
      await scratch.query(`CREATE EXTENSION IF NOT EXISTS ${quoteIdent(name)} WITH SCHEMA ${quoteIdent(schema)} VERSION ${quoteLiteral(version)}`)
    } catch (error) {
      throw new ReplayFailed(`creating the extension ${name} ${version} in the scratch database failed: ${errorMessage(error)}`)
    }
  }
}

function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`
}

/** Applies `revisions` on the scratch database in one go; a migration that fails there ends the replay. */
export async function replay(engine: Engine, ctx: EngineContext, chain: LoadedChain, revisions: Revision[], what: string): Promise<void> {
  if (revisions.length === 0) return
  let outcome
  try {
    outcome = await engine.upgradeTo(ctx, chain, revisions)
  } catch (error) {
    if (error instanceof ActionError) throw new ReplayFailed(`${what} on the scratch database failed: ${error.message}`)
    throw error
  }
  if (outcome.status === 'failed') throw new ReplayFailed(`${what} on the scratch database failed: ${outcome.message}`)
  if (outcome.status === 'irreversible') throw new ReplayFailed(`${what} on the scratch database stopped: ${outcome.reason}`)
}

/** Which migration gave an object its definition: the one that created it last, and the last one that changed it after that. */
export interface Origin {
  /** Undefined when the object was there before the first migration (an extension of the `extensions` input). */
  createdBy?: string
  changedBy?: string
}

/**
 * Replays `revisions` one at a time with a snapshot after each, and follows `keys` through them.
 * Costs a migration run and a snapshot per revision: only used when there is something to name.
 */
export async function originsOf(
  engine: Engine,
  ctx: EngineContext,
  chain: LoadedChain,
  revisions: Revision[],
  keys: Set<string>,
  snapshotAt: () => Promise<Snapshot>
): Promise<Map<string, Origin>> {
  const origins = new Map<string, Origin>()
  let previous = await snapshotAt()
  for (const revision of revisions) {
    await replay(engine, ctx, chain, [revision], `Migration ${revision.id}`)
    const current = await snapshotAt()
    for (const key of keys) {
      const before = previous.get(key)
      const after = current.get(key)
      if (after === undefined) origins.delete(key)
      else if (before === undefined) origins.set(key, { createdBy: revision.id })
      else if (before !== after) origins.set(key, { createdBy: origins.get(key)?.createdBy, changedBy: revision.id })
    }
    previous = current
  }
  return origins
}
