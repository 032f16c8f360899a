import type pg from 'pg'
import type { QualifiedName } from '../../inputs.js'
import { diffSnapshots, type SchemaChange } from '../../verify/diff.js'
import { takeSnapshot, type Snapshot } from '../../verify/snapshot.js'
import { readVersionRows, type VersionTable } from './version-table.js'

/**
 * Whether anything of a failed revision stayed committed is read from the database, not inferred
 * from Alembic's log: how env.py opens transactions (transactional_ddl, transaction_per_migration,
 * an AUTOCOMMIT connection, autocommit_block) decides it, and no log line says all of that.
 *
 * Before each revision starts, the interpreter waits while the action reads the committed schema
 * (another session sees only what was committed); so does a revision entering autocommit_block(),
 * which commits what ran before it (earlier revisions included, in a run in one transaction). The
 * version table is read first: while it has not moved and no autocommit_block() ran since the last
 * snapshot, nothing was committed and that snapshot still holds, so a run in one transaction costs one. After a failure, the snapshot from before the
 * failing revision against the schema now is what of it stayed.
 */

/** What stayed committed of the revision that was running when Alembic failed. */
export interface LeftBehind {
  /** The revision before which the schema was last read (the failed one, unless its reading was skipped). */
  revision: string
  /** The version table's rows at that reading. */
  rows: string[]
  /** `+` what it created, `-` what it dropped, `changed`: what it altered, all committed; empty when nothing stayed. */
  changes: SchemaChange[]
}

/** A reading must not hold up the migration: the interpreter waits for it, and a migration may hold a lock on the version table. */
const READING_LIMITS = `SET LOCAL lock_timeout = '2s'; SET LOCAL statement_timeout = '20s'`
/**
 * Past this the interpreter goes on regardless, and the run takes no more readings: a server that
 * serves every client on one backend answers another session only once the migration's transaction
 * has ended, which waits for the reading.
 */
const READING_WAIT_MS = 10_000

export class RevisionBoundaries {
  /** The last reading that succeeded. */
  private last: { revision: string; rows: string[]; snapshot: Snapshot } | undefined

  /** An autocommit_block() ran since the last snapshot: what it committed is in no version row. */
  private stale = false

  /** Counts the readings, so that one answered after its time cannot stand for a later pause. */
  private readings = 0

  private gaveUp = false

  constructor(
    private readonly table: VersionTable,
    private readonly exclude: QualifiedName[]
  ) {}

  /**
   * Reads the committed state where the upgrade paused: before `revision` starts, or inside it where
   * autocommit_block() just committed what ran before. Never throws: a reading that fails or comes
   * too late leaves the last one standing, which the caller can still use while the version table
   * has not moved since.
   */
  async pause(client: pg.Client, revision: string, where: 'start' | 'autocommit'): Promise<void> {
    if (where === 'autocommit') this.stale = true
    if (this.gaveUp) return
    const previous = this.last
    const fresh = this.stale
    const reading = ++this.readings
    const read = readOnly(client, async () => {
      const rows = (await readVersionRows(client, this.table)) ?? []
      const snapshot = !fresh && previous && sameRows(previous.rows, rows) ? previous.snapshot : await takeSnapshot(client, { exclude: this.exclude })
      return { revision, rows, snapshot }
    })
    // Answered after its time or failed: either way not an unhandled rejection.
    read.catch(() => undefined)
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), READING_WAIT_MS)))
    try {
      const result = await Promise.race([read, late])
      if (result === 'late') this.gaveUp = true
      else if (reading === this.readings) {
        this.last = result
        // What an autocommit_block() commits comes after this reading: the next one takes a fresh snapshot.
        this.stale = where === 'autocommit'
      }
    } catch {
      // The last reading stands.
    } finally {
      clearTimeout(timer)
    }
  }

  /** What stayed committed since the last reading, with the revision it was taken before; undefined without one. */
  async leftByLast(client: pg.Client): Promise<LeftBehind | undefined> {
    const last = this.last
    if (!last) return undefined
    const now = await takeSnapshot(client, { exclude: this.exclude })
    return { revision: last.revision, rows: last.rows, changes: diffSnapshots(last.snapshot, now) }
  }
}

async function readOnly<T>(client: pg.Client, read: () => Promise<T>): Promise<T> {
  await client.query(`BEGIN READ ONLY; ${READING_LIMITS}`)
  try {
    const result = await read()
    await client.query('COMMIT')
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  }
}

function sameRows(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id))
}
