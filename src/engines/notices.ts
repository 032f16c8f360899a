import type { Logger } from '../logger.js'
import { redact } from '../redact.js'

/**
 * The NOTICEs and WARNINGs the server sends while a migration runs ("hnsw graph no longer fits into
 * maintenance_work_mem after N tuples", "relation … already exists, skipping", a RAISE NOTICE), kept
 * with the migration and the statement that raised them, for the summary and the annotations.
 */
export interface ServerNotice {
  /** NOTICE, WARNING, INFO, … as the server sent it. */
  severity: string
  message: string
  detail?: string
  hint?: string
  /** SQLSTATE. */
  code?: string
  /** The migration file and the line of the statement that raised it, when known. */
  file: string
  line?: number
  /** The statement's first line. */
  statement?: string
}

/** A migration that sends more (a RAISE NOTICE in a loop) keeps the first ones and counts the rest. */
export const NOTICES_KEPT = 50

/** Appends to a run's notices within NOTICES_KEPT; the rest are counted. */
export function keepNotice(run: { notices?: ServerNotice[]; noticesLeftOut?: number }, notice: ServerNotice): void {
  run.notices ??= []
  if (run.notices.length < NOTICES_KEPT) run.notices.push(notice)
  else run.noticesLeftOut = (run.noticesLeftOut ?? 0) + 1
}

/** Keeps a notice with its run and logs it as it arrives: a build that spills to disk says so hours before it ends. */
export function recordNotice(log: Logger, run: { notices?: ServerNotice[]; noticesLeftOut?: number }, notice: ServerNotice): void {
  const line = `${notice.severity} from ${noticeWhere(notice)}: ${noticeText(notice)}`
  if (isRoutine(notice)) {
    log.debug(line)
    return
  }
  keepNotice(run, notice)
  log.info(line)
}

/**
 * What IF [NOT] EXISTS answers ("extension "vector" already exists, skipping", "table "t" does not
 * exist, skipping"): the statement did what it was written to do, so the summary does not list it.
 */
export function isRoutine(notice: Pick<ServerNotice, 'severity' | 'message'>): boolean {
  return notice.severity === 'NOTICE' && /(?:already exists|does not exist), skipping$/.test(notice.message)
}

/** `file:line`, or the file alone for a notice of BEGIN, COMMIT or the history row. */
export function noticeWhere(notice: Pick<ServerNotice, 'file' | 'line'>): string {
  return notice.line === undefined ? notice.file : `${notice.file}:${notice.line}`
}

/** The message with its detail and hint on one line ("…, skipping. Detail. Hint: …"). */
export function noticeText(notice: Pick<ServerNotice, 'message' | 'detail' | 'hint'>): string {
  const sentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`)
  const extra = [notice.detail, notice.hint && `Hint: ${notice.hint}`].filter((t): t is string => Boolean(t))
  return extra.length ? [sentence(notice.message), ...extra].join(' ') : notice.message
}

/** The fields of pg's notice message (and of a psycopg notice, as the Alembic launcher reports it) that are kept. */
export interface NoticeFields {
  severity?: string
  message?: string
  detail?: string
  hint?: string
  code?: string
}

/** pg's notice message as a ServerNotice of `file`, redacted (a RAISE NOTICE can print anything). */
export function toServerNotice(notice: NoticeFields, where: { file: string; line?: number; statement?: string }): ServerNotice {
  return {
    severity: notice.severity ?? 'NOTICE',
    message: redact(notice.message ?? ''),
    ...(notice.detail ? { detail: redact(notice.detail) } : {}),
    ...(notice.hint ? { hint: redact(notice.hint) } : {}),
    ...(notice.code ? { code: notice.code } : {}),
    ...where
  }
}

const HNSW_SPILL = /^hnsw graph no longer fits into maintenance_work_mem after (\d+) tuples$/

/** The tuple count of pgvector's "hnsw graph no longer fits into maintenance_work_mem after N tuples"; undefined for any other notice. */
export function hnswSpill(notice: Pick<ServerNotice, 'message'>): number | undefined {
  const match = HNSW_SPILL.exec(notice.message.trim())
  return match ? Number(match[1]) : undefined
}

/** pgvector's IVFFlat index built on fewer rows than it has lists: its centers are poor and so is recall. */
export function isIvfflatLittleData(notice: Pick<ServerNotice, 'message'>): boolean {
  return notice.message.trim() === 'ivfflat index created with little data'
}

/** Worth a warning annotation at the statement: the server's WARNINGs, the HNSW build that spilled to disk, the IVFFlat index of poor recall. */
export function isWarningNotice(notice: ServerNotice): boolean {
  return notice.severity === 'WARNING' || hnswSpill(notice) !== undefined || isIvfflatLittleData(notice)
}
