import { parseDatabaseUrl, type DatabaseUrl } from './database-url.js'
import { echo } from './echo.js'
import { ActionError } from './errors.js'

/** Stage 1 of the pipeline: read every input, validate it, and return one typed settings object. */

export type EngineChoice = 'auto' | 'sql' | 'alembic'
export type Mode = 'migrate' | 'validate' | 'plan' | 'check' | 'repair' | 'downgrade'
export type BackupPolicy = 'never' | 'auto' | 'always'
export type RepairAction = 'mark-applied' | 'mark-pending'
/** SQL engine: each migration in its own transaction, or every pending one in a single transaction. */
export type TransactionScope = 'per-migration' | 'all'

/** `mode: repair`: what to record for which revision, after the database was fixed by hand. */
export interface RepairRequest {
  revision: string
  /** Required by the SQL engine; Alembic stamps the revision and needs none. */
  action?: RepairAction
}

export interface QualifiedName {
  schema: string
  table: string
}

export interface Settings {
  databaseUrl: DatabaseUrl
  engine: EngineChoice
  migrationsPath: string
  mode: Mode
  extensions: string[]
  requireExtensions: boolean
  waitTimeoutMs: number
  retryDelayMs: number
  maxRetryDelayMs: number
  retries: number
  connectTimeoutMs: number
  /** Postgres interval strings, applied with SET to migration sessions. */
  lockTimeout: string
  statementTimeout: string
  summary: boolean
  python: string
  historyTable: QualifiedName
  allowOutOfOrder: boolean
  alembicRequirements?: string
  /** Undefined means: as alembic.ini says, else `alembic_version` in the default schema. */
  alembicVersionTable?: QualifiedName
  /** Inputs that are valid but probably not what was meant, for the report's warnings. */
  warnings?: string[]
  /** Unacknowledged lint findings at or above this risk stop the run before anything is applied. */
  failOnRisk: 'none' | 'low' | 'medium' | 'high' | 'critical'
  /** pg_dump the database before applying: never, always, or when the pending set's risk is high or more. */
  backup: BackupPolicy
  /** Set exactly when mode is repair. */
  repair?: RepairRequest
  /** Down migrations checked by a round trip after the upgrade, with schema snapshots compared. */
  verifyDowngrade: 'none' | 'pending' | 'all'
  /** verify-downgrade on a target that does not look disposable. */
  allowDestructiveVerify: boolean
  transaction: TransactionScope
  /** Post-migration checks: a SQL file or a directory of them, as given (relative to the working directory). */
  checks?: string
  /** Postgres duration, statement_timeout of each check. */
  checksTimeout: string
  /** Set exactly when mode is downgrade: the revision to return to, or `base`. */
  targetRevision?: string
  /** maintenance_work_mem for migration sessions: a size, `auto` (the lint's estimate of the pending vector index builds), or undefined (the server's). */
  maintenanceWorkMem?: MemorySetting
  /** The ceiling of `maintenance-work-mem: auto`, in kB. */
  maintenanceWorkMemMaxKb: number
  /** max_parallel_maintenance_workers for migration sessions; undefined leaves the server's. */
  maxParallelMaintenanceWorkers?: number
  /** Compare the target with a replay of its applied migrations on a scratch database (validate, and migrate before applying). */
  drift: DriftPolicy
  /** A database the action may empty and use as its scratch database, for a role that may not create databases. */
  shadowDatabaseUrl?: DatabaseUrl
}

/** `maintenance-work-mem`: a size as written (units normalised away from spaces) and in kB, or `auto`. */
export type MemorySetting = { kind: 'size'; text: string; kb: number } | { kind: 'auto' }

export type DriftPolicy = 'off' | 'warn' | 'fail'
/** Each target holds a few connections (the action's, the lock's, the migration's): a bound the server's max_connections can take. */
export const MAX_PARALLEL = 64
/** More targets than one step should take in one go: split the fleet over matrix jobs (docs/recipes/fleet-matrix.yml). */
export const MAX_TARGETS = 10_000

/** The public interface: every input, its default, and what it accepts. action.yml and README must agree (tested). */
export const INPUTS = {
  'database-url': { default: undefined, accepts: 'a postgres://, postgresql:// or postgresql+<driver>:// URL (or env DATABASE_URL)' },
  engine: { default: 'auto', accepts: 'auto, sql or alembic' },
  'migrations-path': { default: 'migrations', accepts: 'a directory path' },
  mode: { default: 'migrate', accepts: 'migrate, validate, plan, check, repair, downgrade or summarize' },
  extensions: { default: 'vector', accepts: "a comma-separated list of up to 100 extension names, or '' / none for no extensions" },
  'require-extensions': { default: 'true', accepts: 'true or false' },
  'wait-timeout': { default: '120', accepts: 'whole seconds from 0 to 3600' },
  'retry-delay': { default: '100', accepts: 'whole milliseconds from 10 to 60000' },
  'max-retry-delay': { default: '2000', accepts: 'whole milliseconds from 10 to 300000, not less than retry-delay' },
  retries: { default: '3', accepts: 'a whole number from 0 to 20' },
  'connect-timeout': { default: '5', accepts: 'whole seconds from 1 to 300' },
  'lock-timeout': { default: '10s', accepts: "a Postgres duration such as 0, 500ms, 10s, 2min ('0' disables)" },
  'statement-timeout': { default: '0', accepts: "a Postgres duration such as 0, 500ms, 10s, 2min ('0' disables)" },
  summary: { default: 'true', accepts: 'true or false' },
  python: { default: 'python3', accepts: 'a Python interpreter command or path' },
  'history-table': { default: 'public.pg_migrate_history', accepts: 'a table name, optionally schema-qualified' },
  'allow-out-of-order': { default: 'false', accepts: 'true or false' },
  'alembic-requirements': { default: '', accepts: 'a path to a pip requirements file, or empty' },
  'alembic-version-table': { default: '', accepts: "a table name, optionally schema-qualified, or empty for alembic's default" },
  'fail-on-risk': { default: 'critical', accepts: 'none, low, medium, high or critical' },
  backup: { default: 'never', accepts: 'never, auto (when the pending set has a high or critical lint risk) or always' },
  'repair-action': { default: '', accepts: 'mark-applied or mark-pending (mode: repair, SQL engine)' },
  'repair-revision': { default: '', accepts: 'a version or revision id of the migration chain (mode: repair)' },
  'verify-downgrade': { default: 'none', accepts: 'none, pending or all' },
  'allow-destructive-verify': { default: 'false', accepts: 'true or false' },
  transaction: { default: 'per-migration', accepts: 'per-migration or all (SQL engine: every pending migration in one transaction)' },
  'pr-comment': { default: 'auto', accepts: 'auto (comment on pull_request and pull_request_target events) or never' },
  'github-token': {
    default: '${{ github.token }}',
    accepts: "a GitHub token without spaces (the default, the job's token, needs pull-requests: write), or empty for no comment"
  },
  checks: { default: '', accepts: 'a .sql file or a directory of .sql files inside the workspace, or empty for no checks (modes migrate, validate and check)' },
  'checks-timeout': { default: '30s', accepts: "a Postgres duration such as 500ms, 30s, 2min ('0' disables)" },
  'target-revision': { default: '', accepts: 'an applied version or revision id of the chain, or base (mode: downgrade)' },
  'maintenance-work-mem': {
    default: '',
    accepts: "empty (the server's setting), auto, or a PostgreSQL size from 1MB to 2147483647kB such as 512MB or 2GB (units B, kB, MB, GB, TB, case-sensitive)"
  },
  'maintenance-work-mem-max': { default: '2GB', accepts: 'a PostgreSQL size from 1MB to 2147483647kB such as 1GB or 8GB (units B, kB, MB, GB, TB, case-sensitive)' },
  'max-parallel-maintenance-workers': { default: '', accepts: "empty (the server's setting) or a whole number from 0 to 1024" },
  drift: { default: 'warn', accepts: 'off, warn or fail' },
  'shadow-database-url': { default: '', accepts: 'empty, or a postgres:// or postgresql:// URL of a database the action may empty (never the database of database-url)' },
  databases: { default: '', accepts: 'PostgreSQL URLs, one per line (at most 10000), or empty for the one database of database-url' },
  'databases-query': {
    default: '',
    accepts: 'a SELECT run on database-url whose first column is a database name or a full PostgreSQL URL per row, or empty'
  },
  'max-parallel': { default: '4', accepts: `a whole number from 1 to ${MAX_PARALLEL} (targets migrated at the same time)` },
  canary: { default: '1', accepts: 'a whole number from 0 to 100 (targets migrated first and alone)' },
  'on-error': { default: 'stop', accepts: 'stop (no new target starts after a failure) or continue' },
  'reports-path': { default: '', accepts: 'a directory of report JSON files (the report-json output of each job), searched recursively (mode: summarize)' }
} as const satisfies Record<string, { default: string | undefined; accepts: string }>

export type InputName = keyof typeof INPUTS

/**
 * Reads a raw input; undefined when it was not given at all. The runner substitutes action.yml's
 * defaults for omitted inputs, so an empty string is a deliberate choice (e.g. `extensions: ''`).
 */
export type InputReader = (name: InputName) => string | undefined

export function readSettings(read: InputReader, env: NodeJS.ProcessEnv = process.env): Settings {
  const get = (name: InputName): string => {
    const value = (read(name) ?? '').trim()
    return value === '' ? (INPUTS[name].default ?? '') : value
  }
  // First, so the token is masked before anything else is read; the runner reads them again to comment (runner/pr-comment.ts).
  readCommentInputs(read)

  const urlInput = get('database-url')
  const rawUrl = urlInput || env.DATABASE_URL?.trim() || ''
  if (!rawUrl) {
    throw invalid('database-url', '', 'is required (set the input or the DATABASE_URL environment variable)')
  }
  const databaseUrl = parseDatabaseUrl(rawUrl, { fromEnvironment: urlInput === '', env })

  const retryDelayMs = integer('retry-delay', get('retry-delay'), 10, 60_000)
  const maxRetryDelayMs = integer('max-retry-delay', get('max-retry-delay'), 10, 300_000)
  if (maxRetryDelayMs < retryDelayMs) {
    throw invalid('max-retry-delay', String(maxRetryDelayMs), `must not be less than retry-delay (${retryDelayMs})`)
  }

  const extensionsInput = read('extensions')
  const extensions = (extensionsInput === undefined ? (INPUTS.extensions.default as string) : extensionsInput)
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0 && e.toLowerCase() !== 'none')
  if (extensions.length > MAX_EXTENSIONS) {
    throw invalid('extensions', extensionsInput ?? '', `lists ${extensions.length.toLocaleString('en-US')} extensions; at most ${MAX_EXTENSIONS} are checked`)
  }
  for (const extension of extensions) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(extension)) {
      throw invalid('extensions', extension, 'must be extension names such as vector or pg_trgm')
    }
    if (extension.length > MAX_IDENTIFIER_BYTES) {
      throw invalid('extensions', extension, `has a name of ${extension.length} characters; PostgreSQL's names have at most ${MAX_IDENTIFIER_BYTES}`)
    }
  }

  const requirements = get('alembic-requirements')
  const versionTable = get('alembic-version-table')
  const warnings: string[] = []
  const historyTable = qualifiedName('history-table', get('history-table'), 'public', warnings)
  const alembicVersionTable = versionTable === '' ? undefined : qualifiedName('alembic-version-table', versionTable, '', warnings)
  const mode = oneOf('mode', get('mode'), ['migrate', 'validate', 'plan', 'check', 'repair', 'downgrade'] as const)
  const shadowUrl = get('shadow-database-url')
  readFleetInputs(read)
  const reportsPath = get('reports-path')
  if (reportsPath !== '') throw invalid('reports-path', reportsPath, `is only used with mode: summarize, but mode is ${mode}`)
  return {
    databaseUrl,
    engine: oneOf('engine', get('engine'), ['auto', 'sql', 'alembic'] as const),
    migrationsPath: pathInput('migrations-path', nonEmpty('migrations-path', get('migrations-path'))),
    mode,
    extensions,
    requireExtensions: boolean('require-extensions', get('require-extensions')),
    waitTimeoutMs: integer('wait-timeout', get('wait-timeout'), 0, 3600) * 1000,
    retryDelayMs,
    maxRetryDelayMs,
    retries: integer('retries', get('retries'), 0, 20),
    connectTimeoutMs: integer('connect-timeout', get('connect-timeout'), 1, 300) * 1000,
    lockTimeout: duration('lock-timeout', get('lock-timeout')),
    statementTimeout: duration('statement-timeout', get('statement-timeout')),
    summary: boolean('summary', get('summary')),
    python: pathInput('python', nonEmpty('python', get('python'))),
    historyTable,
    allowOutOfOrder: boolean('allow-out-of-order', get('allow-out-of-order')),
    alembicRequirements: requirements === '' ? undefined : pathInput('alembic-requirements', requirements),
    alembicVersionTable,
    warnings,
    failOnRisk: oneOf('fail-on-risk', get('fail-on-risk'), ['none', 'low', 'medium', 'high', 'critical'] as const),
    backup: oneOf('backup', get('backup'), ['never', 'auto', 'always'] as const),
    repair: repairRequest(mode, get('repair-action'), get('repair-revision')),
    verifyDowngrade: oneOf('verify-downgrade', get('verify-downgrade'), ['none', 'pending', 'all'] as const),
    allowDestructiveVerify: boolean('allow-destructive-verify', get('allow-destructive-verify')),
    transaction: oneOf('transaction', get('transaction'), ['per-migration', 'all'] as const),
    checks: checksPath(mode, get('checks')),
    checksTimeout: duration('checks-timeout', get('checks-timeout')),
    targetRevision: targetRevision(mode, get('target-revision')),
    ...memorySettings(get),
    drift: oneOf('drift', get('drift'), ['off', 'warn', 'fail'] as const),
    shadowDatabaseUrl: shadowUrl === '' ? undefined : shadowDatabaseUrl(shadowUrl, databaseUrl)
  }
}

/** Many databases in one step: where the targets come from and how they are run (src/fleet). */
export interface FleetInputs {
  /** The `databases` input's URLs as written, empty lines and `#` comments left out. */
  databases: string[]
  databasesQuery?: string
  maxParallel: number
  canary: number
  onError: 'stop' | 'continue'
}

/** The `databases` input's URLs: one per line, blank lines and `#` comments left out. */
export function fleetLines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
}

/** `mode: summarize` merges the report JSONs of other steps; it reads no other input and connects to no database. */
export function isSummarize(read: InputReader): boolean {
  return (read('mode') ?? '').trim().toLowerCase() === 'summarize'
}

/** Whether the step migrates a fleet: `databases` or `databases-query` given. Reads nothing else. */
export function isFleet(read: InputReader): boolean {
  return (read('databases') ?? '').trim() !== '' || (read('databases-query') ?? '').trim() !== ''
}

/** The fleet inputs, validated; also read (and so checked) by a run on one database, where max-parallel, canary and on-error do nothing. */
export function readFleetInputs(read: InputReader): FleetInputs {
  const get = (name: InputName): string => {
    const value = (read(name) ?? '').trim()
    return value === '' ? (INPUTS[name].default ?? '') : value
  }
  const databases = fleetLines(get('databases'))
  const query = get('databases-query')
  if (databases.length > 0 && query !== '') {
    throw invalid('databases-query', query, "cannot be combined with input 'databases': give the targets as a list or as a query, not both")
  }
  if (databases.length > MAX_TARGETS) {
    // Not echoed: the list holds passwords.
    throw new ActionError(
      'invalid-input',
      `Input 'databases' lists ${databases.length.toLocaleString('en-US')} databases; one step takes at most ${MAX_TARGETS.toLocaleString('en-US')}.`,
      {
        location: { input: 'databases' },
        hint: `Accepted: ${INPUTS.databases.accepts}. Split the fleet over matrix jobs (docs/recipes/fleet-matrix.yml).`
      }
    )
  }
  return {
    databases,
    databasesQuery: query === '' ? undefined : query,
    maxParallel: integer('max-parallel', get('max-parallel'), 1, MAX_PARALLEL),
    canary: integer('canary', get('canary'), 0, 100),
    onError: oneOf('on-error', get('on-error'), ['stop', 'continue'] as const)
  }
}

/** The pull request comment's inputs: read on their own, so that a run with another invalid input still comments. */
export interface CommentInputs {
  prComment: 'auto' | 'never'
  /** Empty when the workflow gave none (a secret a fork's pull request cannot read): no comment then. */
  githubToken: string
}

export function readCommentInputs(read: InputReader): CommentInputs {
  // Not defaulted when empty: `github-token: ''` (or an unset secret) means no token.
  const given = (read('github-token') ?? '').trim()
  // The default as written: a local runner (@github/local-action) passes it without evaluating it. No token, then.
  const githubToken = /^\$\{\{[^}]*\}\}$/.test(given) ? '' : given
  if (/[\s\p{Cc}]/u.test(githubToken)) {
    // Not echoed, not even in part: it is a secret.
    throw new ActionError('invalid-input', "Input 'github-token' holds spaces or control characters, which no GitHub token has (its value is not shown).", {
      location: { input: 'github-token' },
      hint: `Accepted: ${INPUTS['github-token'].accepts}.`
    })
  }
  const prComment = (read('pr-comment') ?? '').trim() || (INPUTS['pr-comment'].default as string)
  return { prComment: oneOf('pr-comment', prComment, ['auto', 'never'] as const), githubToken }
}

/** The modes whose database state checks verify: after an upgrade, and where nothing changes (validate, check). */
const CHECK_MODES: readonly Mode[] = ['migrate', 'validate', 'check']

/** Checks given in a mode that does not run them are refused: a check that silently did not run passes nothing. */
function checksPath(mode: Mode, value: string): string | undefined {
  if (value === '') return undefined
  if (!CHECK_MODES.includes(mode)) throw invalid('checks', value, `runs in modes ${CHECK_MODES.join(', ')}, but mode is ${mode}`)
  return pathInput('checks', value)
}

/** Like the repair inputs: required with mode downgrade, refused with any other. */
function targetRevision(mode: Mode, value: string): string | undefined {
  if (mode !== 'downgrade') {
    if (value !== '') throw invalid('target-revision', value, `is only used with mode: downgrade, but mode is ${mode}`)
    return undefined
  }
  if (value === '') throw invalid('target-revision', value, 'is required with mode: downgrade (the applied revision to return to, or base)')
  return value
}

function memorySettings(get: (name: InputName) => string): Pick<Settings, 'maintenanceWorkMem' | 'maintenanceWorkMemMaxKb' | 'maxParallelMaintenanceWorkers'> {
  const memory = get('maintenance-work-mem')
  const workers = get('max-parallel-maintenance-workers')
  return {
    maintenanceWorkMem: memory === '' ? undefined : memory.toLowerCase() === 'auto' ? { kind: 'auto' } : { kind: 'size', ...memorySize('maintenance-work-mem', memory) },
    maintenanceWorkMemMaxKb: memorySize('maintenance-work-mem-max', get('maintenance-work-mem-max')).kb,
    // MAX_PARALLEL_WORKER_LIMIT in PostgreSQL.
    maxParallelMaintenanceWorkers: workers === '' ? undefined : integer('max-parallel-maintenance-workers', workers, 0, 1024)
  }
}

/** Memory units of PostgreSQL's GUCs in kB; the names are case-sensitive there too ("Valid units for this parameter are …"). */
const MEMORY_UNITS: Record<string, number> = { B: 1 / 1024, kB: 1, MB: 1024, GB: 1024 ** 2, TB: 1024 ** 3 }
const MEMORY = /^(\d+(?:\.\d+)?)\s*([A-Za-z]+)?$/
/** maintenance_work_mem's range (guc_tables.c): 1024 kB to MAX_KILOBYTES (INT_MAX on 64-bit servers). */
const MIN_MEMORY_KB = 1024
const MAX_MEMORY_KB = 2_147_483_647

/**
 * A size as PostgreSQL reads a memory setting (parse_int, convert_to_base_unit): a number, optionally
 * fractional, then a unit (kB when none), rounded to whole kB half to even; within the GUC's range.
 */
function memorySize(name: InputName, value: string): { text: string; kb: number } {
  const match = MEMORY.exec(value)
  if (!match) throw invalid(name, value, 'must be a PostgreSQL size: a number with a unit B, kB, MB, GB or TB (e.g. 512MB, 2GB)')
  const [, number, unit] = match
  if (unit !== undefined && MEMORY_UNITS[unit] === undefined) {
    const meant = Object.keys(MEMORY_UNITS).find((u) => u.toLowerCase() === unit.toLowerCase())
    throw invalid(
      name,
      value,
      `has the unit '${echo(unit, 20)}', which PostgreSQL does not accept${meant ? ` (units are case-sensitive: write ${meant})` : ''}; valid units are B, kB, MB, GB and TB`
    )
  }
  const kb = roundHalfEven(Number(number) * (unit === undefined ? 1 : MEMORY_UNITS[unit]))
  if (kb < MIN_MEMORY_KB || kb > MAX_MEMORY_KB) throw invalid(name, value, `is outside PostgreSQL's range for maintenance_work_mem, 1MB (1024kB) to 2147483647kB (2TB less 1kB)`)
  // Leading zeros dropped: PostgreSQL reads '010MB' as octal (8MB).
  return { text: value.replace(/\s+/g, '').replace(/^0+(?=\d)/, ''), kb }
}

/** Refused when it names the target itself (same host, port and database): the action empties it. */
function shadowDatabaseUrl(raw: string, target: DatabaseUrl): DatabaseUrl {
  const shadow = parseDatabaseUrl(raw, { input: 'shadow-database-url' })
  if (shadow.host === target.host && shadow.port === target.port && shadow.database === target.database) {
    throw new ActionError(
      'invalid-input',
      `Input 'shadow-database-url' names the database of database-url (${echo(shadow.database)} on ${echo(shadow.host)}:${shadow.port}); the action empties its shadow database.`,
      {
        location: { input: 'shadow-database-url' },
        hint: `Give a database of its own that nothing else uses, e.g. create one with CREATE DATABASE ${echo(target.database)}_shadow and point shadow-database-url at it.`
      }
    )
  }
  return shadow
}

/** Repair inputs outside repair mode are refused rather than ignored: a repair that silently did not happen is worse than an error. */
function repairRequest(mode: Mode, action: string, revision: string): RepairRequest | undefined {
  if (mode !== 'repair') {
    const given = action !== '' ? 'repair-action' : revision !== '' ? 'repair-revision' : undefined
    if (given) throw invalid(given, given === 'repair-action' ? action : revision, `is only used with mode: repair, but mode is ${mode}`)
    return undefined
  }
  if (revision === '') throw invalid('repair-revision', revision, 'is required with mode: repair (the migration to record as applied or pending)')
  return { revision, action: action === '' ? undefined : oneOf('repair-action', action, ['mark-applied', 'mark-pending'] as const) }
}

function invalid(name: InputName, value: string, problem: string): ActionError {
  return new ActionError('invalid-input', `Input '${name}' ${problem}; got '${echo(value)}'.`, {
    location: { input: name },
    hint: `Accepted: ${INPUTS[name].accepts}.`
  })
}

function oneOf<T extends string>(name: InputName, value: string, allowed: readonly T[]): T {
  const normalized = value.toLowerCase()
  const match = allowed.find((a) => a === normalized)
  if (!match) throw invalid(name, value, `must be one of ${allowed.join(', ')}`)
  return match
}

function boolean(name: InputName, value: string): boolean {
  // The same spellings as core.getBooleanInput (YAML 1.2 core schema).
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw invalid(name, value, 'must be true or false')
}

function integer(name: InputName, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw invalid(name, value, `must be a whole number from ${min} to ${max}`)
  const n = Number(value)
  if (n < min || n > max) throw invalid(name, value, `must be from ${min} to ${max}`)
  return n
}

function nonEmpty(name: InputName, value: string): string {
  if (value === '') throw invalid(name, value, 'must not be empty')
  return value
}

/** More than any server has: a longer list is a mistake, and each name costs a query and a log line. */
const MAX_EXTENSIONS = 100

/** PATH_MAX less its NUL: the system refuses a longer path or command with ENAMETOOLONG. */
const MAX_PATH_BYTES = 4095

function pathInput(name: InputName, value: string): string {
  const bytes = Buffer.byteLength(value, 'utf8')
  if (bytes > MAX_PATH_BYTES) throw invalid(name, value, `is ${bytes.toLocaleString('en-US')} bytes long; a path has at most ${MAX_PATH_BYTES.toLocaleString('en-US')} (PATH_MAX)`)
  return value
}

/** Units Postgres accepts for time settings such as lock_timeout, in milliseconds, largest first. */
const DURATION_UNITS: [unit: string, ms: number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['min', 60_000],
  ['s', 1000],
  ['ms', 1],
  ['us', 1 / 1000]
]
const DURATION = /^(\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?$/
/** lock_timeout and statement_timeout are int GUCs in milliseconds. */
const MAX_TIMEOUT_MS = 2_147_483_647

function duration(name: InputName, value: string): string {
  const match = DURATION.exec(value)
  if (!match) throw invalid(name, value, 'must be a Postgres duration (a number with an optional unit us, ms, s, min, h or d)')
  const [, number, unit] = match
  const ms = timeoutMilliseconds(Number(number), unit)
  if (ms > MAX_TIMEOUT_MS) throw invalid(name, value, `exceeds PostgreSQL's limit for timeouts, ${MAX_TIMEOUT_MS} ms (24d 20h 31min 23.647s)`)
  if (ms === 0 && Number(number) !== 0) {
    throw invalid(name, value, 'rounds to 0 ms, which PostgreSQL takes as no timeout at all; write 0 to disable the timeout, or give at least 1ms')
  }
  // Leading zeros dropped: PostgreSQL reads '010' as octal (8 ms).
  return value.replace(/\s+/g, '').replace(/^0+(?=\d)/, '')
}

/** The milliseconds of a duration input as validated (lock-timeout, statement-timeout); 0 means none. */
export function durationMs(value: string): number {
  const match = DURATION.exec(value)
  return match ? timeoutMilliseconds(Number(match[1]), match[2]) : 0
}

/**
 * The milliseconds PostgreSQL makes of a duration (parse_int and convert_to_base_unit in guc.c): a
 * fraction is first rounded to the next smaller unit, then to whole milliseconds, both half to even.
 */
function timeoutMilliseconds(value: number, unit: string | undefined): number {
  if (unit === undefined) return roundHalfEven(value)
  const index = DURATION_UNITS.findIndex(([u]) => u === unit)
  const multiplier = DURATION_UNITS[index][1]
  const smaller = DURATION_UNITS[index + 1]?.[1]
  const inMs = smaller === undefined ? value * multiplier : roundHalfEven((value * multiplier) / smaller) * smaller
  return roundHalfEven(inMs)
}

/** C's rint() in the default rounding mode. */
function roundHalfEven(x: number): number {
  const rounded = Math.round(x)
  return rounded - x === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/
/** NAMEDATALEN - 1: PostgreSQL silently truncates longer identifiers. */
const MAX_IDENTIFIER_BYTES = 63

function qualifiedName(name: InputName, value: string, defaultSchema: string, warnings: string[]): QualifiedName {
  const parts = value.split('.')
  if (parts.length > 2 || !parts.every((p) => IDENTIFIER.test(p))) {
    throw invalid(name, value, 'must be a table name or schema.table made of letters, digits and underscores')
  }
  const tooLong = parts.find((p) => Buffer.byteLength(p, 'utf8') > MAX_IDENTIFIER_BYTES)
  if (tooLong !== undefined) {
    throw invalid(
      name,
      value,
      `has the name '${echo(tooLong, 80)}' of ${Buffer.byteLength(tooLong, 'utf8')} bytes; PostgreSQL cuts names to ${MAX_IDENTIFIER_BYTES} bytes, so use a shorter one`
    )
  }
  if (parts.some((p) => p !== p.toLowerCase())) {
    warnings.push(
      `Input '${name}' '${value}' has upper-case letters, so it names the case-sensitive table ${parts.map((p) => `"${p}"`).join('.')}: ` +
        `queries must quote it that way (unquoted, PostgreSQL reads ${value.toLowerCase()}). Write it in lower case unless the quoted name is intended.`
    )
  }
  return parts.length === 2 ? { schema: parts[0], table: parts[1] } : { schema: defaultSchema, table: parts[0] }
}
