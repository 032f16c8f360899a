import type { ProgressRow } from './queries.js'

/**
 * The progress line of a long statement: how long it has run and, for an index build, the phase
 * and counters of pg_stat_progress_create_index, with the time left in the phase when the phase
 * counts towards a known total (blocks of the table scan, tuples loaded, partitions) and the count
 * moved since the previous look.
 */

interface Counters {
  blocks?: [done: number, total: number]
  tuples?: [done: number, total: number]
  partitions?: [done: number, total: number]
}

interface Seen {
  at: number
  phase: string
  counters: Counters
}

/** One look per pid is remembered, so that the next can tell how fast its phase moves. */
export class ProgressLines {
  private readonly seen = new Map<number, Seen>()

  /** Remembers the row without a line (the look half-way between two lines). */
  note(row: ProgressRow, at: number): void {
    if (row.phase) this.seen.set(row.pid, { at, phase: row.phase, counters: counters(row) })
    else this.seen.delete(row.pid)
  }

  /** "running for 20 s: CREATE INDEX on items: building index: loading tuples, blocks 1,234 of 5,000 (25 %); about 35 s left in this phase" */
  line(row: ProgressRow, at: number): string {
    const previous = this.seen.get(row.pid)
    this.note(row, at)
    const running = `running for ${formatDuration(row.ms ?? 0)}`
    const waiting = row.wait_type === 'Lock' ? `, waiting for a lock (${row.wait_event ?? 'lock'})` : ''
    if (!row.phase) return running + waiting
    const c = counters(row)
    const on = row.table ? ` on ${row.table}` : ''
    const index = row.index ? ` (index ${row.index})` : ''
    const parts = [
      c.blocks && `blocks ${count(c.blocks[0])} of ${count(c.blocks[1])} (${percent(c.blocks)})`,
      c.tuples && `tuples ${count(c.tuples[0])} of ${count(c.tuples[1])} (${percent(c.tuples)})`,
      c.partitions && `partitions ${count(c.partitions[0])} of ${count(c.partitions[1])}`,
      !c.tuples && Number(row.tuples_done) > 0 && `${count(Number(row.tuples_done))} tuples done`,
      Number(row.lockers_total) > 0 && `waiting for ${count(Number(row.lockers_total) - Number(row.lockers_done))} of ${count(Number(row.lockers_total))} transactions`
    ].filter(Boolean)
    const left = previous && previous.phase === row.phase ? timeLeft(previous, { at, counters: c }) : undefined
    return (
      `${running}: ${row.command ?? 'CREATE INDEX'}${on}${index}: ${row.phase}` +
      (parts.length > 0 ? `, ${parts.join(', ')}` : '') +
      (left !== undefined ? `; ${left < 1000 ? 'less than 1 s' : `about ${formatDuration(left)}`} left in this phase` : '') +
      waiting
    )
  }
}

/** The counters that have a total, as numbers (pg returns bigint as text). */
function counters(row: ProgressRow): Counters {
  const pair = (done: string | null, total: string | null): [number, number] | undefined => (Number(total) > 0 ? [Number(done), Number(total)] : undefined)
  const c: Counters = {}
  const blocks = pair(row.blocks_done, row.blocks_total)
  const tuples = pair(row.tuples_done, row.tuples_total)
  const partitions = pair(row.partitions_done, row.partitions_total)
  if (blocks) c.blocks = blocks
  if (tuples) c.tuples = tuples
  if (partitions) c.partitions = partitions
  return c
}

/** From the counter that moved since the previous look and has not reached its total: the rest at the same pace. */
function timeLeft(previous: Seen, now: { at: number; counters: Counters }): number | undefined {
  const elapsed = now.at - previous.at
  if (elapsed <= 0) return undefined
  for (const name of ['blocks', 'tuples', 'partitions'] as const) {
    const before = previous.counters[name]
    const after = now.counters[name]
    if (!before || !after || after[1] !== before[1]) continue
    const moved = after[0] - before[0]
    if (moved <= 0 || after[0] >= after[1]) continue
    return ((after[1] - after[0]) / moved) * elapsed
  }
  return undefined
}

function count(n: number): string {
  return n.toLocaleString('en-US')
}

function percent([done, total]: [number, number]): string {
  return `${Math.floor((done / total) * 100)} %`
}

/** "8 s", "2 min 5 s", "3 h 20 min": whole units, as a log line reads. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`
  const minutes = Math.floor((s % 3600) / 60)
  return `${Math.floor(s / 3600)} h${minutes ? ` ${minutes} min` : ''}`
}
