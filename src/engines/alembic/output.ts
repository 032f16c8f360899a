import type { AlembicVersions } from './run.js'

/**
 * Reading what Alembic prints: its `Running upgrade a -> b, message` progress lines, and the
 * Python traceback it dies with.
 */

export interface ProgressLine {
  /** The revisions upgraded from (several for a merge, none from an empty database); downgrading: the revision(s) undone. */
  from: string[]
  to: string
  message: string
  /** Set on a `Running downgrade` line (mode: downgrade); an upgrade's lines have none. */
  direction?: 'downgrade'
}

// `from` is non-greedy because a message may itself contain " -> ".
const RUNNING = /Running (upgrade|downgrade) (.*?) -> ([^\s,]*)(?:, (.*))?$/

/** Parses `INFO  [alembic.runtime.migration] Running upgrade a, b -> c, msg` or the offline `-- Running upgrade a -> c`. */
export function parseProgressLine(line: string): ProgressLine | undefined {
  const match = RUNNING.exec(line.trimEnd())
  if (!match) return undefined
  return {
    from: match[2]
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
    to: match[3],
    message: match[4]?.trim() ?? '',
    ...(match[1] === 'downgrade' ? { direction: 'downgrade' as const } : {})
  }
}

export interface TracebackFrame {
  file: string
  line: number
  function: string
}

export interface ExtractedError {
  /** `sqlalchemy.exc.ProgrammingError`, or `FAILED` for Alembic's own CommandError. */
  type: string
  /** The real error, e.g. `(psycopg2.errors.UndefinedTable) relation "embeddings" does not exist`. */
  message: string
  /** The exception line as printed: `type: message`. */
  summary: string
  statement?: string
  parameters?: string
  detail?: string
  hint?: string
  /** The frames of the last traceback, outermost first. */
  frames: TracebackFrame[]
}

const FRAME = /^\s*File "(.+)", line (\d+), in (.+)$/

/** Takes the last traceback in Alembic's output apart: the final exception, its SQL and its frames. */
export function extractError(output: string): ExtractedError | undefined {
  const lines = output.split(/\r?\n/)
  let start = -1
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i].startsWith('Traceback (most recent call last):')) {
      start = i
      break
    }
  }
  if (start < 0) {
    // Alembic's CommandError (bad revision, multiple heads) prints one line and no traceback.
    const failed = [...lines].reverse().find((l) => l.startsWith('FAILED: '))
    if (!failed) return undefined
    const message = failed.slice('FAILED: '.length).trim()
    return { type: 'alembic.util.exc.CommandError', message, summary: message, frames: [] }
  }
  const frames: TracebackFrame[] = []
  let i = start + 1
  for (; i < lines.length; i++) {
    const line = lines[i]
    const frame = FRAME.exec(line)
    if (frame) {
      frames.push({ file: frame[1], line: Number(frame[2]), function: frame[3] })
      continue
    }
    // Source lines and Python 3.11's ^^^^ markers are indented; the exception is not.
    if (line.startsWith(' ') || line.trim() === '') continue
    break
  }
  const body = lines.slice(i)
  // Anything Alembic logged after the exception (rare) is not part of it.
  while (body.length > 0 && (body[body.length - 1].trim() === '' || /^(INFO|WARNI|ERROR|DEBUG)\s+\[/.test(body[body.length - 1]))) body.pop()
  const summary = body[0] ?? ''
  const colon = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/.exec(summary)
  const type = colon?.[1] ?? summary
  const messageLines: string[] = [colon?.[2] ?? '']
  let statement: string[] | undefined
  let parameters: string | undefined
  let detail: string | undefined
  let hint: string | undefined
  let inSql = false
  for (const line of body.slice(1)) {
    if (line.startsWith('[SQL: ')) {
      inSql = true
      statement = [line.slice('[SQL: '.length)]
      continue
    }
    if (line.startsWith('[parameters: ')) {
      inSql = false
      parameters = line.slice('[parameters: '.length).replace(/\]$/, '')
      continue
    }
    if (line.startsWith('(Background on this error at:')) {
      inSql = false
      continue
    }
    if (inSql) {
      statement!.push(line)
      continue
    }
    if (line.startsWith('DETAIL:')) detail = line.slice('DETAIL:'.length).trim()
    else if (line.startsWith('HINT:')) hint = line.slice('HINT:'.length).trim()
    else if (line.trim() !== '') messageLines.push(line)
  }
  let sql = statement?.join('\n').trimEnd()
  if (sql?.endsWith(']')) sql = sql.slice(0, -1)
  return {
    type,
    message: withoutAddresses(messageLines.join('\n').trim() || summary),
    summary: withoutAddresses((colon?.[2] ? `${type}: ${messageLines.join('\n').trim()}` : summary).trim()),
    statement: sql?.trim() || undefined,
    parameters,
    detail: detail && withoutAddresses(detail),
    hint,
    frames
  }
}

/**
 * Python's default repr names an object by its memory address (`<sqlalchemy.engine.base.Connection
 * object at 0x7f3e0e690a90>`), which differs on every run and means nothing to the reader: the
 * address goes, the type stays.
 */
export function withoutAddresses(text: string): string {
  return text.replace(/ at 0x[0-9a-f]+(?=[>;,])/gi, '')
}

export interface PythonWarning {
  file: string
  line: number
  /** `SAWarning`, `DeprecationWarning`, … */
  category: string
  message: string
  /** The source line Python prints under the warning, when it could read the file. */
  source?: string
}

// Python's warnings.formatwarning: `path:line: Category: message`, then the indented source line.
const WARNING = /^(.+?):(\d+): (\w*Warning): (.*)$/

/** The warnings Python printed (SQLAlchemy's SAWarning among them), in order. */
export function extractWarnings(output: string): PythonWarning[] {
  const lines = output.split(/\r?\n/)
  const warnings: PythonWarning[] = []
  lines.forEach((text, i) => {
    const match = WARNING.exec(text)
    if (!match) return
    const next = lines[i + 1]
    warnings.push({
      file: match[1],
      line: Number(match[2]),
      category: match[3],
      message: match[4].trim(),
      source: next !== undefined && /^\s+\S/.test(next) && !FRAME.test(next) ? next.trim() : undefined
    })
  })
  return warnings
}

/** The toolchain a chain needs but does not have, read from a known failure signature or warning. */
export interface ToolchainAdvice {
  /** `SQLAlchemy ≥ 2.0`, `Alembic ≥ 1.13.3`. */
  needs: string
  /** The same as a pip requirement: `sqlalchemy>=2.0`. */
  requirement: string
  /** The evidence, e.g. "`sa.UUID` exists only from SQLAlchemy 2.0 on; this run has SQLAlchemy 1.4.46". */
  reason: string
}

/** Names SQLAlchemy 2.0 added to its public modules; on 1.4 they fail with AttributeError or ImportError. */
const SQLALCHEMY_2_NAMES: Record<string, string[]> = {
  sqlalchemy: [
    'UUID',
    'Uuid',
    'Double',
    'DOUBLE',
    'DOUBLE_PRECISION',
    'Inspector',
    'ScalarResult',
    'Result',
    'CursorResult',
    'Engine',
    'Connection',
    'Row',
    'RowMapping',
    'MappingResult',
    'NullPool',
    'Tuple',
    'Values',
    'Exists',
    'BindParameter',
    'quoted_name'
  ],
  'sqlalchemy.types': ['UUID', 'Uuid', 'Double', 'DOUBLE', 'DOUBLE_PRECISION'],
  'sqlalchemy.orm': ['DeclarativeBase', 'DeclarativeBaseNoMeta', 'mapped_column', 'MappedAsDataclass', 'WriteOnlyMapped', 'DynamicMapped']
}

/** Operation arguments Alembic passes through silently before the release that implements them. */
const ALEMBIC_ARGUMENTS: { operation: string; argument: string; since: string }[] = [
  { operation: 'drop_table', argument: 'if_exists', since: '1.13.3' },
  { operation: 'create_table', argument: 'if_not_exists', since: '1.13.3' },
  { operation: 'drop_index', argument: 'if_exists', since: '1.12.0' },
  { operation: 'create_index', argument: 'if_not_exists', since: '1.12.0' }
]

const MISSING_NAME = /(?:module '([\w.]+)' has no attribute '(\w+)'|cannot import name '(\w+)' from '([\w.]+)')/
const UNVALIDATED_ARGUMENT = /Can't validate argument '(\w+)'/

/**
 * Failures that are not the revision's fault but the toolchain's: SQLAlchemy 2.0 names on
 * SQLAlchemy 1.4, and operation arguments an older Alembic ignores with only a SAWarning.
 */
export function toolchainAdvice(error: ExtractedError | undefined, warnings: PythonWarning[], versions: AlembicVersions | undefined): ToolchainAdvice | undefined {
  const missing = error ? MISSING_NAME.exec(error.message) : null
  if (missing && !(versions && atLeast(versions.sqlalchemy, '2.0'))) {
    const module = missing[1] ?? missing[4]
    const name = missing[2] ?? missing[3]
    if (SQLALCHEMY_2_NAMES[module]?.includes(name)) {
      return {
        needs: 'SQLAlchemy ≥ 2.0',
        requirement: 'sqlalchemy>=2.0',
        reason: `\`${module}.${name}\` exists only from SQLAlchemy 2.0 on; this run has SQLAlchemy ${versions?.sqlalchemy ?? '(unknown version)'}`
      }
    }
  }
  for (const warning of warnings) {
    const argument = UNVALIDATED_ARGUMENT.exec(warning.message)?.[1]
    if (!argument) continue
    const known = ALEMBIC_ARGUMENTS.find((a) => a.argument === argument && warning.source?.includes(`.${a.operation}(`))
    const where = `${warning.file.split('/').pop()}:${warning.line}`
    if (known && !(versions && atLeast(versions.alembic, known.since))) {
      return {
        needs: `Alembic ≥ ${known.since}`,
        requirement: `alembic>=${known.since}`,
        reason: `\`op.${known.operation}(${argument}=…)\` is implemented from Alembic ${known.since} on; Alembic ${versions?.alembic ?? '(unknown version)'} ignored it (SAWarning at ${where}) and emitted the statement without it`
      }
    }
  }
  return undefined
}

/** Dotted version comparison; pre-release suffixes (`2.0.0b4`) count as the release. */
export function atLeast(version: string, minimum: string): boolean {
  const parts = (v: string): number[] => v.split('.').map((p) => parseInt(p, 10) || 0)
  const a = parts(version)
  const b = parts(minimum)
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0)
  }
  return true
}
