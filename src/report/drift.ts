import type { DriftEntry, DriftOutcome } from '../scratch/outcomes.js'
import { formatDiff } from '../verify/diff.js'
import { code, details, fence, plural, prose, table, truncate } from './markdown.js'
import { definition, groupByTable, objectCell, unavailableHint, type SchemaSectionOptions } from './schema-changes.js'

/**
 * The Drift section: the database against a replay of its applied migrations. One line when there
 * is no drift or it was not checked; otherwise each object, what the migrations define, what the
 * database has, and the migration that creates it.
 */

const DEFAULT_ROWS = 200
const DEFAULT_DIFF_CHARS = 20_000

const DRIFT_ICON: Record<DriftEntry['change'], string> = { added: '➕ not in any migration', removed: '➖ missing', changed: '✏️ differs' }

export function renderDriftSection(drift: DriftOutcome | undefined, options: SchemaSectionOptions = {}): string {
  if (!drift) return ''
  const heading = options.heading ?? '### Drift'
  const migrations = plural(drift.replayed, 'applied migration')
  switch (drift.status) {
    case 'clean':
      // A first deploy: "what its 0 applied migrations create" reads like a riddle.
      if (drift.replayed === 0) return `${heading}\n\n✅ No drift: no migration is applied yet, and the database holds no objects of its own.\n`
      return `${heading}\n\n✅ No drift: the schema is what its ${migrations} ${create(drift.replayed)}.\n`
    case 'skipped':
      return `${heading}\n\n⏭️ Not checked: ${prose(drift.reason ?? 'skipped')}.${unavailableHint(drift.reason)}\n`
    case 'failed':
      return `${heading}\n\n${drift.policy === 'fail' ? '❌' : '⚠️'} Not checked: ${prose(drift.reason ?? 'failed')}.\n`
    case 'drifted':
      break
  }
  const stop = drift.policy === 'fail' ? ' Nothing was applied (`drift: fail`).' : ''
  const against = drift.replayed === 0 ? 'No migration is applied yet, so none creates these' : `Compared with a replay of its ${migrations} on a scratch database`
  const grouped = groupByTable(drift.entries)
  const limit = options.maxRows ?? DEFAULT_ROWS
  const shown = grouped.slice(0, limit)
  const rows = shown.map(({ change, folded }) => [
    DRIFT_ICON[change.change],
    objectCell(change.object, folded),
    change.before === undefined ? '—' : definition(change.before),
    change.after === undefined ? '—' : definition(change.after),
    origin(change)
  ])
  const out = [
    `${heading}\n\n`,
    `${drift.policy === 'fail' ? '❌' : '⚠️'} **The database differs from what its migrations create, in ${plural(drift.entries.length, 'object')}.**${stop} ${against}:\n\n`,
    table(['Drift', 'Object', 'Migrations define', 'Database has', 'Created by'], rows)
  ]
  if (grouped.length > shown.length) out.push(`\n… and ${plural(grouped.length - shown.length, 'more difference')}, in the diff below.\n`)
  if (drift.namingProblem) out.push(`\nThe migrations behind the differences are not named: ${prose(drift.namingProblem)}.\n`)
  out.push(
    '\n' +
      details(
        'Every difference, as a diff (- what the migrations create, + what the database has)',
        fence(truncate(formatDiff(drift.entries), options.maxDiffChars ?? DEFAULT_DIFF_CHARS), 'diff')
      )
  )
  return out.join('')
}

function origin(entry: DriftEntry): string {
  if (entry.change === 'added') return '—'
  if (!entry.createdBy) return entry.changedBy ? `changed by ${code(entry.changedBy)}` : ''
  return code(entry.createdBy) + (entry.changedBy ? `, changed by ${code(entry.changedBy)}` : '')
}

export function describeEntry(entry: DriftEntry): string {
  const what = entry.change === 'added' ? 'created by no migration' : entry.change === 'removed' ? 'missing from the database' : 'defined differently'
  return `${entry.object}, ${what}${entry.createdBy ? ` (created by ${entry.createdBy})` : ''}`
}

/** For the report's warnings (and annotations): drift reported under drift: warn, or not checked because the replay failed. */
export function driftWarning(drift: DriftOutcome | undefined): string | undefined {
  if (!drift || drift.policy === 'fail') return undefined
  if (drift.status === 'drifted') {
    return `Drift: the database differs from what its ${plural(drift.replayed, 'applied migration')} ${create(drift.replayed)}, in ${plural(drift.entries.length, 'object')} (the first: ${describeEntry(drift.entries[0])}); the Drift section lists them.`
  }
  if (drift.status === 'failed') return `Drift not checked: ${drift.reason}.`
  return undefined
}

/** `1 applied migration creates`, `2 applied migrations create`. */
export function create(count: number): string {
  return count === 1 ? 'creates' : 'create'
}
