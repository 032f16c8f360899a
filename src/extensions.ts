import type pg from 'pg'
import { fromSql, toSql } from 'pgvector'
import { quoteIdent } from './connection.js'
import { ActionError, errorMessage } from './errors.js'
import type { Logger } from './logger.js'
import { errorCode } from './pg-errors.js'
import { plural } from './report/markdown.js'
import { advisoriesFor, describeAdvisory, type VectorAdvisory } from './vector/versions.js'

/** Stage 3: make sure each requested extension exists, and prove pgvector actually works. */

export interface ExtensionStatus {
  name: string
  /**
   * `would-create`: not installed, and this role could create it; a mode that applies nothing
   * (validate, plan) leaves it to migrate. `read-only`: it needs creating but the session is read-only.
   */
  status: 'installed' | 'created' | 'would-create' | 'missing' | 'not-permitted' | 'read-only' | 'failed'
  version?: string
  /** The version the server ships (its control file's default_version): the library that runs, whatever `version` the database's objects are at. */
  availableVersion?: string
  schema?: string
  onSearchPath?: boolean
  /** Whether the connected role has USAGE on the extension's schema; without it the types do not resolve. */
  schemaUsable?: boolean
  message?: string
  hint?: string
}

export interface SmokeCheck {
  name: string
  ok: boolean
  detail: string
}

export interface SkippedSmokeCheck {
  name: string
  reason: string
}

export interface ExtensionsResult {
  extensions: ExtensionStatus[]
  /** pgvector's smoke test; empty when `vector` was not requested. */
  smoke: SmokeCheck[]
  /** Smoke checks that could not run here (a read-only session, no TEMP privilege, vector not created yet), and why. */
  smokeSkipped: SkippedSmokeCheck[]
  warnings: string[]
  /** Known advisories of the server's pgvector (src/vector/versions.ts), whether or not this run is concerned. */
  advisories: VectorAdvisory[]
}

export interface EnsureExtensionsOptions {
  /**
   * False for modes that apply nothing (validate, plan): check that each missing extension could
   * be created — available on the server, and this role allowed to — and create none.
   */
  create: boolean
}

/** What the connected role and session may do; read once, before any extension is touched. */
export interface SessionAccess {
  role: string
  database: string
  superuser: boolean
  /** `transaction_read_only` as a new transaction starts: default_transaction_read_only, or a standby. */
  readOnly: boolean
  standby: boolean
  createOnDatabase: boolean
  tempOnDatabase: boolean
}

/** Which image provides an extension, for the "not available" message. */
const PROVIDERS: Record<string, string> = {
  vector: 'the pgvector/pgvector:pg17 image (or any pgvector/pgvector:pgNN), or install the postgresql-NN-pgvector package',
  postgis: 'the postgis/postgis image',
  timescaledb: 'the timescale/timescaledb image',
  vectorscale: 'the timescale/timescaledb-ha image (pgvectorscale)'
}

export async function ensureExtensions(client: pg.Client, names: string[], log: Logger, options: EnsureExtensionsOptions): Promise<ExtensionsResult> {
  const result: ExtensionsResult = { extensions: [], smoke: [], smokeSkipped: [], warnings: [], advisories: [] }
  const access = await sessionAccess(client)
  if (access.readOnly) log.info(`the session is read-only (${readOnlyCause(access)})`)
  for (const name of names) {
    const status = await ensureExtension(client, name, access, options)
    result.extensions.push(status)
    if (status.schema && status.schemaUsable === false) {
      result.warnings.push(
        `Role ${access.role} lacks USAGE on schema '${status.schema}', which holds extension '${name}': its types and operators do not resolve for this role. Run GRANT USAGE ON SCHEMA ${quoteIdent(status.schema)} TO ${quoteIdent(access.role)}, or connect as a role that has it.`
      )
    } else if (status.schema && status.onSearchPath === false) {
      result.warnings.push(
        `Extension '${name}' lives in schema '${status.schema}', which is not on the search_path: unqualified types and operators (e.g. vector, <->) will not resolve. Add the schema to search_path or qualify them (${status.schema}.${name === 'vector' ? 'vector' : '…'}).`
      )
    }
    log.info(
      `${name}: ${status.status}${status.version ? ` ${status.version}` : ''}${status.schema ? ` in schema ${status.schema}` : ''}${status.message ? ` — ${status.message}` : ''}`
    )
  }
  const vector = result.extensions.find((e) => e.name === 'vector')
  if (vector?.schemaUsable === false) {
    result.smokeSkipped = SMOKE_CHECKS.map((name) => ({ name, reason: `role ${access.role} lacks USAGE on schema ${vector.schema}` }))
  } else if (vector && (vector.status === 'installed' || vector.status === 'created')) {
    ;({ checks: result.smoke, skipped: result.smokeSkipped } = await smokeTestVector(client, vector, access))
  } else if (vector?.status === 'would-create') {
    result.smokeSkipped = SMOKE_CHECKS.map((name) => ({ name, reason: 'vector is not created yet (this mode creates nothing)' }))
  }
  for (const check of result.smoke) log.info(`smoke test ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`)
  for (const check of result.smokeSkipped) log.info(`smoke test skip ${check.name}: ${check.reason}`)
  if (vector?.version) await checkAdvisories(client, vector, result, log)
  return result
}

/**
 * The advisories of the server's pgvector, logged and kept for the report. They are warnings only where
 * they concern this database: the HNSW vacuum fixes when it holds HNSW indexes (the lint warns about a
 * pending parallel HNSW build itself, rule vector-version-advisory).
 */
async function checkAdvisories(client: pg.Client, vector: ExtensionStatus, result: ExtensionsResult, log: Logger): Promise<void> {
  const library = vector.availableVersion ?? vector.version
  result.advisories = advisoriesFor(library)
  for (const advisory of result.advisories) log.info(`pgvector ${library} advisory: ${describeAdvisory(advisory)}`)
  const vacuum = advisoriesFor(library, 'hnsw-vacuum')
  if (vacuum.length === 0) return
  const indexes = await client
    .query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_class c JOIN pg_am am ON am.oid = c.relam WHERE c.relkind = 'i' AND am.amname = 'hnsw'`)
    .then((r) => r.rows[0].n)
    .catch(() => 0)
  if (indexes === 0) return
  const fixed = vacuum.map((a) => a.fixedIn).sort((a, b) => (versionAtLeast(a, b) ? -1 : 1))[0]
  result.warnings.push(
    `This database holds ${plural(indexes, 'HNSW index', 'HNSW indexes')}, and the server's pgvector ${library} has known HNSW vacuum bugs: ${vacuum.map(describeAdvisory).join('; ')}. Upgrade pgvector on the server to ${fixed} or later.`
  )
}

async function sessionAccess(client: pg.Client): Promise<SessionAccess> {
  const r = await client.query<SessionAccess>(
    `SELECT current_user AS role, current_database() AS database,
            current_setting('is_superuser') = 'on' AS superuser,
            current_setting('transaction_read_only') = 'on' AS "readOnly",
            pg_is_in_recovery() AS standby,
            has_database_privilege(current_database(), 'CREATE') AS "createOnDatabase",
            has_database_privilege(current_database(), 'TEMP') AS "tempOnDatabase"`
  )
  return r.rows[0]
}

function readOnlyCause(access: SessionAccess): string {
  return access.standby
    ? 'the server is a standby in recovery'
    : `transaction_read_only is on: default_transaction_read_only is set for role ${access.role} or database ${access.database}`
}

type BrokenStatus = 'missing' | 'not-permitted' | 'read-only' | 'failed'

/** Unusable extensions a failure names one by one. */
const LISTED_EXTENSIONS = 5

/** The error for extensions that are required but unusable; undefined when all is well. */
export function extensionsFailure(result: ExtensionsResult): ActionError | undefined {
  const broken = result.extensions.filter(
    (e): e is ExtensionStatus & { status: BrokenStatus } => e.status === 'missing' || e.status === 'not-permitted' || e.status === 'read-only' || e.status === 'failed'
  )
  const failedSmoke = result.smoke.filter((c) => !c.ok)
  if (broken.length === 0 && failedSmoke.length === 0) return undefined
  if (broken.length > 0) {
    const first = broken[0]
    // A long extensions input must not make a message of every name: the first few, then how many more.
    const named = broken.slice(0, LISTED_EXTENSIONS)
    const more = broken.length - named.length
    const message = named.map((e) => `Extension '${e.name}': ${e.message}`).join(' ') + (more > 0 ? ` ${plural(more, 'more extension')} of the input cannot be used either.` : '')
    return new ActionError(`extension-${first.status}`, message, {
      hint: [...new Set(named.map((e) => e.hint).filter(Boolean))].join(' '),
      details: named.slice(1).map((e) => `${e.name}: ${e.hint ?? ''}`)
    })
  }
  return new ActionError('vector-smoke-test-failed', `pgvector is installed but does not work: ${failedSmoke.map((c) => `${c.name} (${c.detail})`).join('; ')}.`, {
    hint: "The server's pgvector build is broken or mismatched: reinstall it, run ALTER EXTENSION vector UPDATE, or use a pgvector/pgvector image."
  })
}

const PERMISSION_DENIED = '42501'

async function ensureExtension(client: pg.Client, name: string, access: SessionAccess, options: EnsureExtensionsOptions): Promise<ExtensionStatus> {
  // `trusted` exists from PostgreSQL 13; through to_jsonb an older server reads it as null (not trusted).
  const available = await client.query<{ installed_version: string | null; default_version: string; trusted: boolean | null }>(
    `SELECT a.installed_version, a.default_version, (to_jsonb(v) ->> 'trusted')::boolean AS trusted
       FROM pg_available_extensions a
       LEFT JOIN pg_available_extension_versions v ON v.name = a.name AND v.version = a.default_version
      WHERE a.name = $1`,
    [name]
  )
  if (available.rowCount === 0) {
    return {
      name,
      status: 'missing',
      message: `not available on this server (no ${name}.control file in its extension directory).`,
      hint: `Use a server that ships it: ${PROVIDERS[name] ?? `a server or image with the ${name} extension installed`}.`
    }
  }
  let status: ExtensionStatus['status'] = 'installed'
  if (available.rows[0].installed_version === null) {
    if (!options.create) return couldCreate(name, available.rows[0].trusted === true, access)
    if (access.readOnly) {
      return {
        name,
        status: 'read-only',
        message: `not installed, and CREATE EXTENSION cannot run: the session is read-only (${readOnlyCause(access)}).`,
        hint: `Create it once as a role with a writable session (CREATE EXTENSION ${quoteIdent(name)}), or connect as such a role; mode: validate and plan only check that it could be created.`
      }
    }
    try {
      await client.query(`CREATE EXTENSION IF NOT EXISTS ${quoteIdent(name)}`)
      status = 'created'
    } catch (error) {
      const code = errorCode(error)
      // Two runners creating it at once: the loser sees a unique violation, but the extension is there.
      if (code !== '23505') {
        if (code === PERMISSION_DENIED) {
          return { name, status: 'not-permitted', message: `permission denied to create it: ${errorMessage(error)}`, hint: notPermittedHint(name) }
        }
        return { name, status: 'failed', message: errorMessage(error), hint: 'See the server message; the extension is installed on disk but could not be created.' }
      }
    }
  }
  const installed = await client.query<{ version: string; schema: string; on_path: boolean; usable: boolean }>(
    `SELECT e.extversion AS version, n.nspname AS schema, n.nspname = ANY (current_schemas(false)) AS on_path,
            has_schema_privilege(n.oid, 'USAGE') AS usable
       FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = $1`,
    [name]
  )
  const row = installed.rows[0]
  return {
    name,
    status,
    version: row?.version,
    availableVersion: available.rows[0].default_version,
    schema: row?.schema,
    onSearchPath: row?.on_path,
    schemaUsable: row?.usable
  }
}

/** The check that CREATE EXTENSION would pass, without running it: superuser, or a trusted extension and CREATE on the database. */
function couldCreate(name: string, trusted: boolean, access: SessionAccess): ExtensionStatus {
  const statement = `CREATE EXTENSION ${quoteIdent(name)}`
  if (access.superuser || (trusted && access.createOnDatabase)) {
    return {
      name,
      status: 'would-create',
      message: `not installed; this mode creates nothing. A migrate run would run ${statement}, which role ${access.role} may (${access.superuser ? 'superuser' : 'trusted extension, CREATE on the database'}).`
    }
  }
  const why = trusted ? `it lacks CREATE on database ${access.database}` : `${name} is not a trusted extension and ${access.role} is no superuser`
  return {
    name,
    status: 'not-permitted',
    message: `not installed, and role ${access.role} may not create it: ${why}.`,
    hint: notPermittedHint(name)
  }
}

function notPermittedHint(name: string): string {
  return name === 'vector'
    ? 'pgvector is not a trusted extension: CREATE EXTENSION vector needs a superuser (or the database owner on PG 13+ only for trusted extensions). Connect as a superuser for this step, or have an administrator run CREATE EXTENSION vector in this database beforehand.'
    : `Connect as a role allowed to create '${name}', or have an administrator create it beforehand.`
}

const A = [1, 2, 3]
const B = [3, 2, 1]
const EXPECTED = { l2: Math.sqrt(8), cosine: 1 - 10 / 14, negativeInnerProduct: -10 }

const CHECK = {
  operators: 'distance operators <-> <=> <#>',
  column: 'vector(3) column round trip',
  value: 'vector(3) value round trip',
  hnsw: 'HNSW index build',
  search: 'index-backed nearest-neighbour query',
  halfvec: 'halfvec'
} as const

/** The checks a writable session runs. */
const SMOKE_CHECKS = [CHECK.operators, CHECK.column, CHECK.hnsw, CHECK.search, CHECK.halfvec]

/**
 * Exercises the extension the way an application does, inside a transaction that is rolled back,
 * so nothing is left behind: operators, a typed column, an HNSW build and an index-backed search.
 * A session that may not create a temporary table (read-only, no TEMP privilege) gets the checks
 * that need none, a typed value instead of a column, and the rest listed as skipped with the reason.
 */
export async function smokeTestVector(client: pg.Client, vector: ExtensionStatus, access: SessionAccess): Promise<{ checks: SmokeCheck[]; skipped: SkippedSmokeCheck[] }> {
  const checks: SmokeCheck[] = []
  const skipped: SkippedSmokeCheck[] = []
  const check = async (name: string, fn: () => Promise<string>): Promise<void> => {
    try {
      checks.push({ name, ok: true, detail: await fn() })
    } catch (error) {
      checks.push({ name, ok: false, detail: errorMessage(error) })
      throw error
    }
  }
  const noTable = temporaryTableRestriction(access)
  await client.query('BEGIN')
  try {
    // Resolve vector's types and operators even when its schema is not on the caller's search_path.
    await client.query(`SELECT set_config('search_path', $1, true)`, [`${quoteIdent(vector.schema ?? 'public')}, pg_temp`])
    await check(CHECK.operators, async () => {
      const r = await client.query<{ l2: number; cosine: number; nip: number }>(
        'SELECT $1::vector <-> $2::vector AS l2, $1::vector <=> $2::vector AS cosine, $1::vector <#> $2::vector AS nip',
        [toSql(A), toSql(B)]
      )
      const { l2, cosine, nip } = r.rows[0]
      expectClose('l2 distance', l2, EXPECTED.l2)
      expectClose('cosine distance', cosine, EXPECTED.cosine)
      expectClose('negative inner product', nip, EXPECTED.negativeInnerProduct)
      return `l2 ${l2.toFixed(4)}, cosine ${cosine.toFixed(4)}, inner product ${nip}`
    })
    if (noTable) {
      await check(CHECK.value, async () => {
        const r = await client.query<{ embedding: string }>('SELECT $1::vector(3)::text AS embedding', [toSql(A)])
        expectRoundTrip(r.rows[0].embedding)
        return 'cast to vector(3) and read back [1,2,3]'
      })
      skipped.push(...[CHECK.column, CHECK.hnsw, CHECK.search].map((name) => ({ name, reason: noTable })))
    } else {
      await checkWithTable(client, check)
    }
    if (vector.version && versionAtLeast(vector.version, '0.7.0')) {
      await check(CHECK.halfvec, async () => {
        const r = await client.query<{ d: number }>('SELECT $1::halfvec <-> $2::halfvec AS d', [toSql(A), toSql(B)])
        expectClose('halfvec l2 distance', r.rows[0].d, EXPECTED.l2, 1e-2)
        return `halfvec l2 ${r.rows[0].d.toFixed(3)}`
      })
    }
  } catch {
    // The failed check is recorded; the remaining ones cannot run in an aborted transaction.
  } finally {
    await client.query('ROLLBACK')
  }
  return { checks, skipped }
}

/** Why this session cannot create the temporary table the column and index checks use; undefined when it can. */
function temporaryTableRestriction(access: SessionAccess): string | undefined {
  if (access.readOnly) return `needs a temporary table, and the session is read-only (${readOnlyCause(access)})`
  if (!access.tempOnDatabase) return `needs a temporary table, and role ${access.role} lacks TEMP on database ${access.database}`
  return undefined
}

async function checkWithTable(client: pg.Client, check: (name: string, fn: () => Promise<string>) => Promise<void>): Promise<void> {
  await check(CHECK.column, async () => {
    await client.query('CREATE TEMP TABLE pgma_smoke (id int PRIMARY KEY, embedding vector(3)) ON COMMIT DROP')
    await client.query(`INSERT INTO pgma_smoke VALUES (1, $1), (2, $2), (3, $3), (4, $4)`, [toSql(A), toSql(B), toSql([1, 1, 1]), toSql([10, 10, 10])])
    const r = await client.query<{ embedding: string }>('SELECT embedding::text AS embedding FROM pgma_smoke WHERE id = 1')
    expectRoundTrip(r.rows[0].embedding)
    return 'stored and read back [1,2,3]'
  })
  await check(CHECK.hnsw, async () => {
    await client.query('CREATE INDEX pgma_smoke_hnsw ON pgma_smoke USING hnsw (embedding vector_l2_ops)')
    return 'CREATE INDEX … USING hnsw (embedding vector_l2_ops)'
  })
  await check(CHECK.search, async () => {
    await client.query(`SELECT set_config('enable_seqscan', 'off', true)`)
    const query = 'SELECT id FROM pgma_smoke ORDER BY embedding <-> $1 LIMIT 2'
    const plan = await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${query}`, [toSql([1, 2, 4])])
    const planText = JSON.stringify(plan.rows[0]['QUERY PLAN'])
    if (!planText.includes('pgma_smoke_hnsw')) throw new Error(`the planner did not use the HNSW index: ${planText.slice(0, 200)}`)
    const r = await client.query<{ id: number }>(query, [toSql([1, 2, 4])])
    const ids = r.rows.map((row) => row.id)
    if (ids[0] !== 1) throw new Error(`nearest neighbours of [1,2,4] were ${JSON.stringify(ids)}, expected 1 first`)
    return `index scan on pgma_smoke_hnsw; nearest to [1,2,4]: ${ids.join(', ')}`
  })
}

/** The pgvector package's parser must read back what it wrote. */
function expectRoundTrip(text: string): void {
  const back = fromSql(text)
  if (JSON.stringify(back) !== JSON.stringify(A)) throw new Error(`stored ${JSON.stringify(A)}, read back ${JSON.stringify(back)}`)
}

function expectClose(what: string, actual: number, expected: number, tolerance = 1e-6): void {
  if (typeof actual !== 'number' || Math.abs(actual - expected) > tolerance) {
    throw new Error(`${what} was ${actual}, expected ${expected.toFixed(6)}`)
  }
}

export function versionAtLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map((n) => parseInt(n, 10) || 0)
  const b = minimum.split('.').map((n) => parseInt(n, 10) || 0)
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0)
  }
  return true
}
