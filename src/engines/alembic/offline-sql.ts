import path from 'node:path'
import { loadSqlParser } from '../../sql/parse.js'
import { registerSqlSecrets } from '../../sql/secrets.js'
import type { OfflineStopNote, PendingRevision, Revision } from '../engine.js'
import { extractError, parseProgressLine, type TracebackFrame } from './output.js'
import type { RevisionSource } from './project.js'
import type { AlembicProcess } from './run.js'

/**
 * Alembic's offline (`--sql`) output, split per revision on its `-- Running upgrade a -> b`
 * comments, so plan and lint see each revision's SQL on its own.
 */
export interface OfflineChunk {
  revision: string
  sql: string
  /** A COMMIT inside the chunk: part of it runs outside the migration transaction (autocommit_block). */
  leavesTransaction: boolean
}

export interface OfflineSql {
  /** What Alembic emits before the first revision (BEGIN, CREATE TABLE alembic_version). */
  preamble: string
  chunks: OfflineChunk[]
}

/** Registers the password literals in Alembic's offline SQL as secrets, before any of it is shown. */
export async function registerOfflineSqlSecrets(output: string): Promise<void> {
  registerSqlSecrets(await loadSqlParser(), output)
}

const FRAMING = /^(BEGIN|COMMIT);$/

/** `downgrade`: the output of `alembic downgrade a:b --sql`, split on its `-- Running downgrade b -> a` comments, each chunk the revision undone. */
export function splitOfflineSql(output: string, direction: 'upgrade' | 'downgrade' = 'upgrade'): OfflineSql {
  const lines = output.split(/\r?\n/)
  let preamble: string[] = []
  const chunks: { revision: string; lines: string[] }[] = []
  for (const line of lines) {
    const progress = line.startsWith(`-- Running ${direction}`) ? parseProgressLine(line) : undefined
    if (progress) {
      chunks.push({ revision: direction === 'upgrade' ? progress.to : progress.from[0], lines: [] })
      continue
    }
    if (chunks.length === 0) preamble.push(line)
    else chunks[chunks.length - 1].lines.push(line)
  }
  preamble = trimFraming(preamble)
  return {
    preamble: preamble.join('\n').trim(),
    chunks: chunks.map((chunk) => {
      const body = trimFraming(chunk.lines)
      return {
        revision: chunk.revision,
        sql: body.join('\n').trim(),
        leavesTransaction: body.some((l) => FRAMING.test(l.trim()))
      }
    })
  }
}

/** Drops the transaction framing at either end (one transaction per run or per migration); keeps any in the middle. */
function trimFraming(lines: string[]): string[] {
  const out = [...lines]
  const blank = (l: string | undefined): boolean => l !== undefined && l.trim() === ''
  for (;;) {
    while (blank(out[0])) out.shift()
    while (blank(out[out.length - 1])) out.pop()
    if (out.length > 0 && FRAMING.test(out[0].trim())) {
      out.shift()
      continue
    }
    if (out.length > 0 && FRAMING.test(out[out.length - 1].trim())) {
      out.pop()
      continue
    }
    return out
  }
}

/** Where Alembic's offline generation stopped, when a revision cannot run without a database. */
export interface OfflineStop {
  /** The revision being generated when it stopped; undefined when env.py failed before any revision. */
  revision?: string
  /** The file named by the traceback (the revision's, else env.py's), relative to the working directory. */
  file?: string
  /** The line of `file` in the deepest traceback frame. */
  line?: number
  /** The exception, e.g. `AttributeError: 'NoneType' object has no attribute 'fetchall'`. */
  message: string
  /** Why, when it is a known offline-mode limitation (reading the database). */
  reason?: string
  /** The SQL the stopped revision emitted before it stopped: incomplete. */
  partialSql?: string
}

export interface OfflineRun extends OfflineSql {
  /** Set when Alembic exited with an error: `chunks` then holds only the revisions it completed. */
  stopped?: OfflineStop
}

/** What a revision does with the result of `op.get_bind().execute(...)`, which is None in --sql mode. */
const READS_DATABASE =
  /'NoneType' object has no attribute '(fetch\w*|scalar\w*|first|one\w*|all|mappings|rowcount|keys|inserted_primary_key)'|'NoneType' object is not (iterable|subscriptable)/

/**
 * Alembic's `upgrade … --sql` output, also when it stopped part-way: every revision completed
 * before the stop keeps its SQL, and the stop names the revision, file and line.
 */
export function readOfflineRun(
  proc: Pick<AlembicProcess, 'exitCode' | 'stdout' | 'stderr'>,
  sources: Map<string, RevisionSource>,
  envPy: string,
  direction: 'upgrade' | 'downgrade' = 'upgrade'
): OfflineRun {
  const split = splitOfflineSql(proc.stdout, direction)
  if (proc.exitCode === 0) return split
  const error = extractError(proc.stderr)
  const frames = [...(error?.frames ?? [])].reverse()
  let revision: string | undefined
  let frame: TracebackFrame | undefined
  for (const f of frames) {
    const id = [...sources].find(([, source]) => path.resolve(source.absolutePath) === path.resolve(f.file))?.[0]
    if (id) {
      revision = id
      frame = f
      break
    }
  }
  const revisionFrame = frame !== undefined
  // No revision frame (env.py or a library raised): the last section Alembic started.
  revision ??= split.chunks[split.chunks.length - 1]?.revision
  frame ??= frames.find((f) => path.resolve(f.file) === path.resolve(envPy))
  const stoppedChunk = split.chunks.find((c) => c.revision === revision)
  const message = error?.summary ?? `Alembic exited with code ${proc.exitCode}`
  const stopped: OfflineStop = {
    revision,
    file: revisionFrame ? sources.get(revision!)?.revision.file : frame ? path.relative(process.cwd(), frame.file) : undefined,
    line: frame?.line,
    message,
    reason: READS_DATABASE.test(message)
      ? 'it reads the database (e.g. op.get_bind().execute(...)), which offline --sql mode cannot: there is no connection, so the result is None'
      : undefined,
    partialSql: stoppedChunk?.sql || undefined
  }
  return { preamble: split.preamble, chunks: split.chunks.filter((c) => c !== stoppedChunk), stopped }
}

/**
 * The pending revisions with the SQL offline mode produced: complete for those before a stop, a
 * note naming the stop on the revision where it happened, and "no SQL" only after it.
 */
export function offlinePending(
  pending: Revision[],
  run: OfflineRun,
  sources: Map<string, RevisionSource>,
  versionTableExists: boolean,
  /** The range offline generation ran for (`head`, `abc:head`): the rerun command starts after the stop. */
  target = 'head'
): PendingRevision[] {
  const chunks = new Map(run.chunks.map((c) => [c.revision, c]))
  const stop = run.stopped
  const stopIndex = stop?.revision ? pending.findIndex((r) => r.id === stop.revision) : stop ? 0 : -1
  const destination = target.includes(':') ? target.slice(target.indexOf(':') + 1) : target
  const offlineStop: OfflineStopNote | undefined = stop && {
    revision: stop.revision,
    file: stop.file,
    line: stop.line,
    message: stop.message,
    reason: stop.reason,
    rerun: stop.revision ? `alembic upgrade ${stop.revision}:${destination} --sql` : `alembic upgrade ${target} --sql`
  }
  return pending.map((revision, i) => {
    const chunk = chunks.get(revision.id)
    const autocommit = sources.get(revision.id)?.autocommit ?? false
    const notes: string[] = []
    if (i === 0 && !versionTableExists && run.preamble) notes.push(`Alembic first creates its version table: ${run.preamble.replace(/\s+/g, ' ')}`)
    if (stop && i === stopIndex) {
      const where = stop.file ? ` (${stop.file}${stop.line ? `:${stop.line}` : ''})` : ''
      notes.push(`offline SQL generation stopped here${where}: ${stop.message}${stop.reason ? `; ${stop.reason}` : ''}`)
    } else if (stop && !chunk && (stopIndex < 0 || i > stopIndex)) {
      notes.push(`no SQL: offline generation stopped earlier, at ${stop.revision ?? 'env.py'}`)
    } else if (!chunk) {
      notes.push(`Alembic's offline output has no section for ${revision.id}`)
    }
    const transactional = !autocommit && !chunk?.leavesTransaction
    if (!transactional) notes.push('runs partly outside the migration transaction (autocommit_block)')
    const stopped = offlineStop && !chunk && (stopIndex < 0 || i >= stopIndex) ? { offlineStop } : {}
    return { revision, sql: chunk?.sql, transactional, notes, ...stopped }
  })
}
