import type { SchemaChange } from '../verify/diff.js'

/** What the schema change and the drift check found: the report renders these (src/report/schema-changes.ts, src/report/drift.ts). */

/** Where the migrations ran: a database created for it on the target's server, or the shadow database. */
export interface ScratchUsed {
  name: string
  kind: 'created' | 'shadow'
}

/**
 * The schema change of the pending migrations (plan, validate), or of the migrations this run
 * applied (migrate), as catalog objects added, dropped and altered.
 */
export interface SchemaChangeOutcome {
  /** computed; skipped (nothing pending, no scratch database to be had); failed (a pending migration fails there, or the copy could not be made). */
  status: 'computed' | 'skipped' | 'failed'
  /**
   * copy: the pending migrations ran on a copy of the target's schema (pg_dump); replay: on a replay
   * of its applied migrations (when no usable pg_dump was found); target: the target itself, before
   * and after this run applied them (migrate).
   */
  basis?: 'copy' | 'replay' | 'target'
  /** The migrations whose change it is, in order. */
  revisions: string[]
  /** `removed` is a dropped object, `changed` an altered one: `before` and `after` are their definitions. */
  changes: SchemaChange[]
  /** skipped or failed: why, in one line; computed on a replay: why not on a copy. */
  reason?: string
  scratch?: ScratchUsed
}

/**
 * One difference between the target and a replay of its applied migrations. `added`: in the
 * database, created by no migration; `removed`: created by a migration, missing from the database;
 * `changed`: another definition. `before` is what the migrations define, `after` what the database has.
 */
export interface DriftEntry extends SchemaChange {
  /** The migration that created the object (the last one, when it was dropped and created again). */
  createdBy?: string
  /** The last migration that changed it after that. */
  changedBy?: string
}

export interface DriftOutcome {
  policy: 'warn' | 'fail'
  /** clean; drifted; skipped (no scratch database to be had); failed (an applied migration fails on the scratch database). */
  status: 'clean' | 'drifted' | 'skipped' | 'failed'
  /** skipped or failed: why, in one line. */
  reason?: string
  /** How many applied migrations the database was compared with. */
  replayed: number
  entries: DriftEntry[]
  /** Undefined when nothing needed replaying (nothing applied yet). */
  scratch?: ScratchUsed
  /** Why the migrations behind the differences are not named (naming replays the chain once more, step by step). */
  namingProblem?: string
}
