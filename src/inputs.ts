import { parseDatabaseUrl, type DatabaseUrl } from './database-url.js'
import { ActionError } from './errors.js'

/** Stage 1 of the pipeline: read every input, validate it, and return one typed settings object. */

export type EngineChoice = 'auto' | 'sql' | 'alembic'
export type Mode = 'migrate' | 'validate' | 'plan' | 'check'

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
}

/** The public interface: every input, its default, and what it accepts. action.yml and README must agree (tested). */
export const INPUTS = {
  'database-url': { default: undefined, accepts: 'a postgres://, postgresql:// or postgresql+<driver>:// URL (or env DATABASE_URL)' },
  engine: { default: 'auto', accepts: 'auto, sql or alembic' },
  'migrations-path': { default: 'migrations', accepts: 'a directory path' },
  mode: { default: 'migrate', accepts: 'migrate, validate, plan or check' },
  extensions: { default: 'vector', accepts: "a comma-separated list of extension names, or '' / none for no extensions" },
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
  'alembic-version-table': { default: '', accepts: "a table name, optionally schema-qualified, or empty for alembic's default" }
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

  const rawUrl = get('database-url') || env.DATABASE_URL?.trim() || ''
  if (!rawUrl) {
    throw invalid('database-url', '', 'is required (set the input or the DATABASE_URL environment variable)')
  }
  const databaseUrl = parseDatabaseUrl(rawUrl)

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
  for (const extension of extensions) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(extension)) {
      throw invalid('extensions', extension, 'must be extension names such as vector or pg_trgm')
    }
  }

  const requirements = get('alembic-requirements')
  const versionTable = get('alembic-version-table')
  return {
    databaseUrl,
    engine: oneOf('engine', get('engine'), ['auto', 'sql', 'alembic'] as const),
    migrationsPath: nonEmpty('migrations-path', get('migrations-path')),
    mode: oneOf('mode', get('mode'), ['migrate', 'validate', 'plan', 'check'] as const),
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
    python: nonEmpty('python', get('python')),
    historyTable: qualifiedName('history-table', get('history-table'), 'public'),
    allowOutOfOrder: boolean('allow-out-of-order', get('allow-out-of-order')),
    alembicRequirements: requirements === '' ? undefined : requirements,
    alembicVersionTable: versionTable === '' ? undefined : qualifiedName('alembic-version-table', versionTable, '')
  }
}

function invalid(name: InputName, value: string, problem: string): ActionError {
  return new ActionError('invalid-input', `Input '${name}' ${problem}; got '${value}'.`, {
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

/** Units Postgres accepts for time settings such as lock_timeout. */
const DURATION = /^\d+(\.\d+)?\s*(us|ms|s|min|h|d)?$/

function duration(name: InputName, value: string): string {
  if (!DURATION.test(value)) throw invalid(name, value, 'must be a Postgres duration (a number with an optional unit us, ms, s, min, h or d)')
  return value.replace(/\s+/g, '')
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/

function qualifiedName(name: InputName, value: string, defaultSchema: string): QualifiedName {
  const parts = value.split('.')
  if (parts.length > 2 || !parts.every((p) => IDENTIFIER.test(p))) {
    throw invalid(name, value, 'must be a table name or schema.table made of letters, digits and underscores')
  }
  return parts.length === 2 ? { schema: parts[0], table: parts[1] } : { schema: defaultSchema, table: parts[0] }
}
