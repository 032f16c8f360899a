import { accessSync, constants } from 'node:fs'
import { echo } from './echo.js'
import { userInfo } from 'node:os'
import { ActionError } from './errors.js'

export interface DatabaseUrl {
  /** What the action's own `pg` connections use: a `postgresql://` URL rebuilt from the parsed parts. */
  forPg: string
  /** DATABASE_URL for Alembic's env.py: the same parts, the driver suffix kept, encoded the way SQLAlchemy decodes. */
  forSqlAlchemy: string
  /** `asyncpg`, `psycopg2`, … when the SQLAlchemy form was used. */
  driver?: string
  /** A host name or address, or the directory of a unix socket (starts with `/`). */
  host: string
  port: number
  database: string
  /** The user the connections log in as: the URL's, else libpq's default (PGUSER, then the OS user). */
  user: string
  password?: string
  /** `sslmode=…` or `ssl=…` as given, for messages about TLS; undefined when the URL does not ask for TLS settings. */
  tls?: string
  /** The URL with the password replaced, for display. */
  display: string
}

/**
 * The one lexical split of a URL with credentials, shared by parsing and masking: the credentials
 * end at the LAST `@`, the longest interpretation. A raw `@` in a password then can never make a
 * piece of it the host — and masking covers the whole span even when parsing rejects it.
 */
export interface UrlSplit {
  scheme: string
  /** Everything between `://` and the last `@`, undefined without an `@`. */
  userinfo?: string
  /** What follows the credentials: host, port, path, query. */
  rest: string
}

const ANY_SCHEME = /^([a-z][a-z0-9+.-]{0,31}):\/\//i
const POSTGRES_SCHEME = /^(postgres|postgresql)(?:\+([a-z0-9_]+))?$/i

export function splitUrl(value: string): UrlSplit | undefined {
  const scheme = ANY_SCHEME.exec(value)
  if (!scheme) return undefined
  const afterScheme = value.slice(scheme[0].length)
  const at = afterScheme.lastIndexOf('@')
  return at < 0 ? { scheme: scheme[1], rest: afterScheme } : { scheme: scheme[1], userinfo: afterScheme.slice(0, at), rest: afterScheme.slice(at + 1) }
}

/** The password part of the credentials (after the first `:`), raw as written. */
export function rawPassword(userinfo: string): string | undefined {
  const colon = userinfo.indexOf(':')
  return colon < 0 ? undefined : userinfo.slice(colon + 1)
}

/** Query parameters that name the server or the credentials; the rest are passed on unchanged. */
const STRUCTURAL_PARAMS = new Set(['host', 'port', 'user', 'password', 'dbname'])
const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify']
/** Parameters whose value the pg driver reads as a file when it builds the connection. */
const FILE_PARAMS = ['sslrootcert', 'sslcert', 'sslkey']

/**
 * Accepts `postgres://`, `postgresql://` and the SQLAlchemy form `postgresql+driver://`, with the
 * server as a host, an IPv6 address in brackets, or a unix-socket directory (`host=` query
 * parameter or a percent-encoded path, as libpq takes it). Throws an ActionError naming the part
 * of the URL that is wrong, without ever echoing the credentials.
 */
export function parseDatabaseUrl(raw: string, options: { fromEnvironment?: boolean; env?: NodeJS.ProcessEnv; input?: UrlInput } = {}): DatabaseUrl {
  const env = options.env ?? process.env
  const input = options.input ?? 'database-url'
  const subject = options.fromEnvironment ? `The DATABASE_URL environment variable (used because input '${input}' is empty)` : `Input '${input}'`
  const fail = (message: string, hint: string): ActionError => new ActionError('invalid-input', `${subject} ${message}.`, { location: { input }, hint })
  const value = raw.trim()
  const split = splitUrl(value)
  const scheme = split && POSTGRES_SCHEME.exec(split.scheme)
  if (!split || !scheme) {
    throw fail(
      notPostgresUrl(value, split?.scheme),
      'Use postgres://user:password@host:5432/database (postgresql:// and SQLAlchemy forms such as postgresql+psycopg2:// are accepted too). ' +
        'If the secret holds only the password, build the URL around it, e.g. postgres://postgres:${{ secrets.DB_PASSWORD }}@localhost:5432/app (percent-encoded, see the README).'
    )
  }
  const driver = scheme[2]?.toLowerCase()
  const { userinfo, rest } = split

  let user: string | undefined
  let password: string | undefined
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':')
    user = decodeCredential(colon < 0 ? userinfo : userinfo.slice(0, colon), 'user name', fail)
    const passwordText = rawPassword(userinfo)
    if (passwordText !== undefined) password = decodeCredential(passwordText, 'password', fail)
  }

  if (rest.includes('#')) {
    throw fail('has a # after the host', 'A URL ends at a raw #: percent-encode # as %23 in a database name or parameter value.')
  }
  const queryAt = rest.indexOf('?')
  const beforeQuery = queryAt < 0 ? rest : rest.slice(0, queryAt)
  const params = parseQuery(queryAt < 0 ? '' : rest.slice(queryAt + 1), fail)
  const slash = beforeQuery.indexOf('/')
  const authority = slash < 0 ? beforeQuery : beforeQuery.slice(0, slash)
  const path = slash < 0 ? '' : beforeQuery.slice(slash + 1)

  const server = parseHostPort(authority, fail)
  const host = params.get('host') ?? server.host
  const portText = params.get('port') ?? server.port
  const port = portText === undefined ? 5432 : Number(portText)
  if (!/^\d+$/.test(portText ?? '5432') || port < 1 || port > 65535) {
    // Only digits are named back: in `postgres://user:secret/db` (the @host forgotten) the "port" is the password.
    const shown = /^\d+$/.test(portText ?? '')
      ? `the port '${echo(portText ?? '', 10)}', which is not a port number`
      : 'a port that is not a number (not shown, as it may be a password)'
    throw fail(
      `has ${shown}`,
      'The port must be a number from 1 to 65535, e.g. postgres://user:password@host:5432/database. Without an @, the text after the first : is read as the port.'
    )
  }
  user = params.get('user') ?? user
  password = params.get('password') ?? password
  const pathDatabase = path === '' ? undefined : decodePart(path, 'database name', fail)
  const database = params.get('dbname') ?? pathDatabase ?? user ?? 'postgres'

  const passOn = [...params].filter(([name]) => !STRUCTURAL_PARAMS.has(name))
  checkTlsParams(new Map(passOn), fail)
  const tlsParam = passOn.find(([name]) => name === 'sslmode') ?? passOn.find(([name]) => name === 'ssl')
  // Without a user, libpq's default, resolved here and written into every URL the action builds: its own
  // connections, Alembic's and pg_dump's then log in as the same user, the one the report names.
  const parts = { host: host || 'localhost', port, database, user: user || defaultUser(env), password, params: passOn }
  return {
    forPg: buildUrl('postgresql', parts),
    forSqlAlchemy: buildUrl(driver ? `postgresql+${driver}` : 'postgresql', parts, { rawDatabase: true }),
    driver,
    host: parts.host,
    port,
    database,
    user: parts.user ?? '',
    password,
    tls: tlsParam && `${tlsParam[0]}=${tlsParam[1]}`,
    display: buildUrl('postgresql', { ...parts, password: password === undefined ? undefined : '***' }, { rawPassword: true })
  }
}

type Fail = (message: string, hint: string) => ActionError

/** The inputs that take a PostgreSQL URL. */
export type UrlInput = 'database-url' | 'shadow-database-url'

/**
 * The same server, credentials and parameters with another database: a scratch database created next
 * to the target. Rebuilt through the parser, so every form (driver suffix, socket directory) stays as given.
 */
export function withDatabase(url: DatabaseUrl, database: string): DatabaseUrl {
  const queryAt = url.forPg.indexOf('?')
  const base = queryAt < 0 ? url.forPg : url.forPg.slice(0, queryAt)
  const query = queryAt < 0 ? '' : url.forPg.slice(queryAt)
  // forPg is built by buildUrl: every part encoded, so the first `/` after the scheme's starts the path.
  const pathAt = base.indexOf('/', base.indexOf('://') + 3)
  const rebuilt = base.slice(0, pathAt + 1) + encodeURIComponent(database) + query
  return parseDatabaseUrl(url.driver ? rebuilt.replace(/^postgresql:/, `postgresql+${url.driver}:`) : rebuilt)
}

/** Schemes of other databases and tools, named back when a URL uses one: a word from this list is not a password. */
const OTHER_SCHEMES = /^(?:mysql|mariadb|sqlite|mssql|sqlserver|oracle|redis|mongodb|mongodb\+srv|http|https|pgsql|psql|postgis|cockroachdb|timescale)(?:\+[a-z0-9_]+)?$/i

/**
 * Why a value is not a PostgreSQL URL, without repeating it: in a mistyped URL (`postgresql:/u:pw@…`,
 * `postgresql//…`) or a bare password nothing can be told apart from the password, so only a scheme
 * name the action recognises and the punctuation after it are named.
 */
function notPostgresUrl(value: string, scheme: string | undefined): string {
  const notShown = 'the rest is not shown, as it may hold a password'
  if (/^jdbc:postgres(?:ql)?:\/\//i.test(value)) return `starts with jdbc:postgresql://, the JDBC form (${notShown})`
  if (scheme !== undefined) {
    return OTHER_SCHEMES.test(scheme)
      ? `must be a PostgreSQL URL; it has the scheme ${scheme.toLowerCase()}:// (${notShown})`
      : `must be a PostgreSQL URL; it has a scheme other than postgres:// or postgresql:// (the value is not shown, as it may hold a password)`
  }
  const typo = /^(postgres(?:ql)?(?:\+[a-z0-9_]+)?)([:/\\;. ]{1,3})/i.exec(value)
  if (typo) return `starts with '${typo[1]}${typo[2]}' where ${typo[1]}:// belongs (${notShown})`
  return 'must be a PostgreSQL URL, but it does not start with postgres:// or postgresql:// (the value is not shown, as it may be a password)'
}

/** libpq's user when the URL names none: PGUSER, then the operating-system user (pg would read $USER instead). */
function defaultUser(env: NodeJS.ProcessEnv): string | undefined {
  if (env.PGUSER) return env.PGUSER
  try {
    return userInfo().username
  } catch {
    // No passwd entry for this uid (a container run as an arbitrary user): libpq fails here too.
    return env.USER || undefined
  }
}

/**
 * Characters that end a user name or password early in some parser (`@` in libpq and SQLAlchemy,
 * `/ ? #` in WHATWG URLs), and a `%` that does not start an escape: each would make the action,
 * the driver and Alembic read different credentials, so they must be percent-encoded.
 */
const UNSAFE_IN_CREDENTIALS = /[@/?#]|%(?![0-9a-f]{2})/gi

function decodeCredential(text: string, part: 'user name' | 'password', fail: Fail): string {
  const unsafe = [...new Set(text.match(UNSAFE_IN_CREDENTIALS) ?? [])]
  if (unsafe.length > 0) {
    const listed = unsafe.map((c) => `'${c}'`).join(', ')
    throw fail(
      `has a ${part} with ${listed} not percent-encoded, which a URL cannot carry as is (the ${part} is not shown)`,
      `Percent-encode the ${part}: ${unsafe.map((c) => `${c} as ${percentEncode(c)}`).join(', ')}. ` +
        (unsafe.some((c) => '/?#'.includes(c))
          ? 'The credentials end at the last @ of the URL, so an @ after them (in a database name or a parameter value) must be written %40 too. '
          : '') +
        `To encode a whole value: python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' 'value' (or encodeURIComponent in JavaScript).`
    )
  }
  return decodePart(text, part, fail)
}

function decodePart(text: string, part: string, fail: Fail): string {
  if (/%(?![0-9a-f]{2})/i.test(text)) {
    throw fail(`has a ${part} with a % that does not start an escape such as %25`, `Write a literal % in the ${part} as %25.`)
  }
  try {
    return decodeURIComponent(text)
  } catch {
    throw fail(`has a ${part} whose percent-escapes are not UTF-8 (the ${part} is not shown)`, `Percent-encode the ${part} from its UTF-8 bytes, e.g. ä as %C3%A4.`)
  }
}

function percentEncode(character: string): string {
  return character === '%' ? '%25' : encodeURIComponent(character)
}

function parseQuery(query: string, fail: Fail): Map<string, string> {
  const params = new Map<string, string>()
  for (const pair of query.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    // Not echoed: a raw & in a password= value leaves a piece of the password here.
    if (eq <= 0)
      throw fail('has a query parameter without a name=value form', 'Write parameters as ?name=value&name2=value2, and percent-encode & as %26 and = as %3D inside a value.')
    const name = decodePart(pair.slice(0, eq), 'query parameter name', fail)
    params.set(name, decodePart(pair.slice(eq + 1), `value of the query parameter ${name}`, fail))
  }
  return params
}

function parseHostPort(authority: string, fail: Fail): { host: string; port?: string } {
  if (authority.includes(',')) {
    throw fail('names several hosts', 'The action connects to one server: give a single host:port (libpq-style host lists are not supported).')
  }
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(authority)
  if (bracketed) return { host: bracketed[1], port: bracketed[2] || undefined }
  const colon = authority.lastIndexOf(':')
  const hostText = colon < 0 ? authority : authority.slice(0, colon)
  const port = colon < 0 ? undefined : authority.slice(colon + 1) || undefined
  return { host: decodePart(hostText, 'host', fail), port }
}

function checkTlsParams(params: Map<string, string>, fail: Fail): void {
  const sslmode = params.get('sslmode')
  if (sslmode !== undefined && !SSL_MODES.includes(sslmode)) {
    const shown = /^[a-z-]{1,20}$/i.test(sslmode) ? `sslmode=${sslmode}` : 'an sslmode value'
    throw fail(`has ${shown}, which is not an sslmode`, `Use one of ${SSL_MODES.join(', ')} (disable for a service container without TLS).`)
  }
  for (const name of FILE_PARAMS) {
    const file = params.get(name)
    if (file === undefined) continue
    try {
      accessSync(file, constants.R_OK)
    } catch {
      throw fail(`has ${name}=${echo(file)}, but that file does not exist or is not readable`, `Write the certificate to that path in an earlier step, or fix the path in ${name}.`)
    }
  }
}

interface UrlParts {
  host: string
  port: number
  database: string
  user?: string
  password?: string
  params: [string, string][]
}

/**
 * Rebuilds a URL from parsed parts with every part percent-encoded, so that `pg` (WHATWG URL),
 * libpq and SQLAlchemy all decode the same values. A socket directory goes into `host=`, which all
 * three accept. SQLAlchemy is the exception for the database name: it takes everything up to the `?`
 * as the name, undecoded (`a%2Bb` would reach the server as is), so its URL carries the name raw.
 */
function buildUrl(scheme: string, parts: UrlParts, options: { rawPassword?: boolean; rawDatabase?: boolean } = {}): string {
  const encode = encodeURIComponent
  const password = parts.password === undefined ? '' : `:${options.rawPassword ? parts.password : encode(parts.password)}`
  const credentials = parts.user === undefined && parts.password === undefined ? '' : `${encode(parts.user ?? '')}${password}@`
  const socket = parts.host.startsWith('/')
  const authority = socket ? '' : `${parts.host.includes(':') ? `[${parts.host}]` : encode(parts.host)}:${parts.port}`
  const params: [string, string][] = socket ? [['host', parts.host], ['port', String(parts.port)], ...parts.params] : parts.params
  const query = params.length === 0 ? '' : '?' + params.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&')
  return `${scheme}://${credentials}${authority}/${options.rawDatabase ? parts.database.replace(/\?/g, '%3F') : encode(parts.database)}${query}`
}

/**
 * A database name as libpq tools (pg_dump, pg_restore, psql) take it in `--dbname`: they read a value
 * with an `=` or a URI prefix as a whole connection string, so such a name goes in as `dbname='…'`.
 */
export function libpqDbname(database: string): string {
  if (!database.includes('=') && !/^postgres(?:ql)?:\/\//i.test(database)) return database
  return `dbname='${database.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}

/**
 * DATABASE_URL for Alembic. SQLAlchemy ends the database name at the first `?` and does not
 * percent-decode it (`%3F` would reach the server as those three characters), so a name with `?`
 * cannot be handed over in a URL.
 */
export function urlForSqlAlchemy(url: DatabaseUrl): string {
  if (url.database.includes('?')) {
    throw new ActionError(
      'invalid-input',
      `The database name in input 'database-url' holds a '?', which SQLAlchemy cannot read from a URL: Alembic would connect to another database.`,
      {
        location: { input: 'database-url' },
        hint: 'Rename the database (ALTER DATABASE … RENAME TO …) to one without ?, or use engine: sql.'
      }
    )
  }
  return url.forSqlAlchemy
}

/**
 * The URL as written with another database: the same scheme (and driver), credentials, server and
 * parameters, so a target named by `databases-query` connects exactly as database-url does. A
 * `dbname=` parameter would override the path, so it goes.
 */
export function urlWithDatabase(raw: string, database: string): string {
  const split = splitUrl(raw.trim())
  if (!split) throw new Error('urlWithDatabase needs a URL that parseDatabaseUrl accepted')
  const queryAt = split.rest.indexOf('?')
  const beforeQuery = queryAt < 0 ? split.rest : split.rest.slice(0, queryAt)
  const query = queryAt < 0 ? '' : split.rest.slice(queryAt + 1)
  const slash = beforeQuery.indexOf('/')
  const authority = slash < 0 ? beforeQuery : beforeQuery.slice(0, slash)
  const params = query.split('&').filter((p) => p !== '' && !/^dbname=/i.test(p))
  const credentials = split.userinfo === undefined ? '' : `${split.userinfo}@`
  return `${split.scheme}://${credentials}${authority}/${encodeURIComponent(database)}${params.length ? `?${params.join('&')}` : ''}`
}
