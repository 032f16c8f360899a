import { ActionError } from './errors.js'

export interface DatabaseUrl {
  /** Exactly what the user gave, driver suffix included: handed to Alembic's env.py. */
  original: string
  /** What the action's own `pg` connections use: `postgresql://…` without a driver suffix. */
  forPg: string
  /** `asyncpg`, `psycopg2`, … when the SQLAlchemy form was used. */
  driver?: string
  host: string
  port: number
  database: string
  user: string
  password?: string
  /** The URL with the password replaced, for display. */
  display: string
}

const SCHEME = /^(postgres|postgresql)(?:\+([a-z0-9_]+))?:\/\//i

/**
 * Accepts `postgres://`, `postgresql://` and the SQLAlchemy form `postgresql+driver://`.
 * Throws an ActionError naming `inputName` without ever echoing the password.
 */
export function parseDatabaseUrl(raw: string, inputName = 'database-url'): DatabaseUrl {
  const value = raw.trim()
  const scheme = SCHEME.exec(value)
  if (!scheme) {
    const shown = value.replace(/:\/\/.*$/s, '://…')
    throw new ActionError('invalid-input', `Input '${inputName}' must be a PostgreSQL URL; got '${shown}'.`, {
      location: { input: inputName },
      hint: 'Use postgres://user:password@host:5432/database (postgresql:// and SQLAlchemy forms such as postgresql+psycopg2:// are accepted too).'
    })
  }
  const driver = scheme[2]?.toLowerCase()
  const forPg = 'postgresql://' + value.slice(scheme[0].length)
  let url: URL
  try {
    url = new URL(forPg)
  } catch {
    throw new ActionError('invalid-input', `Input '${inputName}' is not a valid URL.`, {
      location: { input: inputName },
      hint: 'Check for unescaped characters: a password containing @, :, / or # must be percent-encoded (e.g. @ as %40).'
    })
  }
  const password = url.password ? decodeURIComponent(url.password) : undefined
  const hostParam = url.searchParams.get('host')
  const host = url.hostname || hostParam || 'localhost'
  const portText = url.port || url.searchParams.get('port') || '5432'
  const port = Number(portText)
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new ActionError('invalid-input', `Input '${inputName}' has an invalid port '${portText}'.`, {
      location: { input: inputName },
      hint: 'The port must be a number from 1 to 65535.'
    })
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || decodeURIComponent(url.username) || 'postgres'
  const user = decodeURIComponent(url.username) || 'postgres'
  const displayUrl = new URL(forPg)
  if (displayUrl.password) displayUrl.password = '***'
  return { original: value, forPg, driver, host, port, database, user, password, display: displayUrl.toString() }
}

/** The same server and credentials, another database (used for tests and backups). */
export function withDatabase(url: DatabaseUrl, database: string): string {
  const next = new URL(url.forPg)
  next.pathname = '/' + encodeURIComponent(database)
  return next.toString()
}
