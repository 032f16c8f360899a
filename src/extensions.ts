import type pg from 'pg'
import { fromSql, toSql } from 'pgvector'
import { quoteIdent } from './connection.js'
import { ActionError, errorMessage } from './errors.js'
import type { Logger } from './logger.js'
import { errorCode } from './pg-errors.js'

/** Stage 3: make sure each requested extension exists, and prove pgvector actually works. */

export interface ExtensionStatus {
  name: string
  status: 'installed' | 'created' | 'missing' | 'not-permitted' | 'failed'
  version?: string
  schema?: string
  onSearchPath?: boolean
  message?: string
  hint?: string
}

export interface SmokeCheck {
  name: string
  ok: boolean
  detail: string
}

export interface ExtensionsResult {
  extensions: ExtensionStatus[]
  /** pgvector's smoke test; empty when `vector` was not requested. */
  smoke: SmokeCheck[]
  warnings: string[]
}

/** Which image provides an extension, for the "not available" message. */
const PROVIDERS: Record<string, string> = {
  vector: 'the pgvector/pgvector:pg17 image (or any pgvector/pgvector:pgNN), or install the postgresql-NN-pgvector package',
  postgis: 'the postgis/postgis image',
  timescaledb: 'the timescale/timescaledb image',
  vectorscale: 'the timescale/timescaledb-ha image (pgvectorscale)'
}

export async function ensureExtensions(client: pg.Client, names: string[], log: Logger): Promise<ExtensionsResult> {
  const result: ExtensionsResult = { extensions: [], smoke: [], warnings: [] }
  for (const name of names) {
    const status = await ensureExtension(client, name)
    result.extensions.push(status)
    if (status.schema && status.onSearchPath === false) {
      result.warnings.push(
        `Extension '${name}' lives in schema '${status.schema}', which is not on the search_path: unqualified types and operators (e.g. vector, <->) will not resolve. Add the schema to search_path or qualify them (${status.schema}.${name === 'vector' ? 'vector' : '…'}).`
      )
    }
    log.info(`${name}: ${status.status}${status.version ? ` ${status.version}` : ''}${status.schema ? ` in schema ${status.schema}` : ''}${status.message ? ` — ${status.message}` : ''}`)
  }
  const vector = result.extensions.find((e) => e.name === 'vector')
  if (vector && (vector.status === 'installed' || vector.status === 'created')) {
    result.smoke = await smokeTestVector(client, vector)
    for (const check of result.smoke) log.info(`smoke test ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`)
  }
  return result
}

/** The error for extensions that are required but unusable; undefined when all is well. */
export function extensionsFailure(result: ExtensionsResult): ActionError | undefined {
  const broken = result.extensions.filter((e) => e.status === 'missing' || e.status === 'not-permitted' || e.status === 'failed')
  const failedSmoke = result.smoke.filter((c) => !c.ok)
  if (broken.length === 0 && failedSmoke.length === 0) return undefined
  if (broken.length > 0) {
    const first = broken[0]
    return new ActionError(`extension-${first.status}`, broken.map((e) => `Extension '${e.name}': ${e.message}`).join(' '), {
      hint: broken.map((e) => e.hint).filter(Boolean).join(' '),
      details: broken.slice(1).map((e) => `${e.name}: ${e.hint ?? ''}`)
    })
  }
  return new ActionError('vector-smoke-test-failed', `pgvector is installed but does not work: ${failedSmoke.map((c) => `${c.name} (${c.detail})`).join('; ')}.`, {
    hint: 'The server\'s pgvector build is broken or mismatched: reinstall it, run ALTER EXTENSION vector UPDATE, or use a pgvector/pgvector image.'
  })
}

async function ensureExtension(client: pg.Client, name: string): Promise<ExtensionStatus> {
  const available = await client.query<{ installed_version: string | null; default_version: string }>(
    'SELECT installed_version, default_version FROM pg_available_extensions WHERE name = $1',
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
    try {
      await client.query(`CREATE EXTENSION IF NOT EXISTS ${quoteIdent(name)}`)
      status = 'created'
    } catch (error) {
      const code = errorCode(error)
      // Two runners creating it at once: the loser sees a unique violation, but the extension is there.
      if (code !== '23505') {
        if (code === '42501') {
          return {
            name,
            status: 'not-permitted',
            message: `permission denied to create it: ${errorMessage(error)}`,
            hint:
              name === 'vector'
                ? 'pgvector is not a trusted extension: CREATE EXTENSION vector needs a superuser (or the database owner on PG 13+ only for trusted extensions). Connect as a superuser for this step, or have an administrator run CREATE EXTENSION vector in this database beforehand.'
                : `Connect as a role allowed to create '${name}', or have an administrator create it beforehand.`
          }
        }
        return { name, status: 'failed', message: errorMessage(error), hint: 'See the server message; the extension is installed on disk but could not be created.' }
      }
    }
  }
  const installed = await client.query<{ version: string; schema: string; on_path: boolean }>(
    `SELECT e.extversion AS version, n.nspname AS schema, n.nspname = ANY (current_schemas(false)) AS on_path
       FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = $1`,
    [name]
  )
  const row = installed.rows[0]
  return { name, status, version: row?.version, schema: row?.schema, onSearchPath: row?.on_path }
}

const A = [1, 2, 3]
const B = [3, 2, 1]
const EXPECTED = { l2: Math.sqrt(8), cosine: 1 - 10 / 14, negativeInnerProduct: -10 }

/**
 * Exercises the extension the way an application does, inside a transaction that is rolled back,
 * so nothing is left behind: operators, a typed column, an HNSW build and an index-backed search.
 */
export async function smokeTestVector(client: pg.Client, vector: ExtensionStatus): Promise<SmokeCheck[]> {
  const checks: SmokeCheck[] = []
  const check = async (name: string, fn: () => Promise<string>): Promise<void> => {
    try {
      checks.push({ name, ok: true, detail: await fn() })
    } catch (error) {
      checks.push({ name, ok: false, detail: errorMessage(error) })
      throw error
    }
  }
  await client.query('BEGIN')
  try {
    // Resolve vector's types and operators even when its schema is not on the caller's search_path.
    await client.query(`SELECT set_config('search_path', $1, true)`, [`${quoteIdent(vector.schema ?? 'public')}, pg_temp`])
    await check('distance operators <-> <=> <#>', async () => {
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
    await check('vector(3) column round trip', async () => {
      await client.query('CREATE TEMP TABLE pgma_smoke (id int PRIMARY KEY, embedding vector(3)) ON COMMIT DROP')
      await client.query(
        `INSERT INTO pgma_smoke VALUES (1, $1), (2, $2), (3, $3), (4, $4)`,
        [toSql(A), toSql(B), toSql([1, 1, 1]), toSql([10, 10, 10])]
      )
      const r = await client.query<{ embedding: string }>('SELECT embedding::text AS embedding FROM pgma_smoke WHERE id = 1')
      const back = fromSql(r.rows[0].embedding)
      if (JSON.stringify(back) !== JSON.stringify(A)) throw new Error(`stored ${JSON.stringify(A)}, read back ${JSON.stringify(back)}`)
      return 'stored and read back [1,2,3]'
    })
    await check('HNSW index build', async () => {
      await client.query('CREATE INDEX pgma_smoke_hnsw ON pgma_smoke USING hnsw (embedding vector_l2_ops)')
      return 'CREATE INDEX … USING hnsw (embedding vector_l2_ops)'
    })
    await check('index-backed nearest-neighbour query', async () => {
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
    if (vector.version && versionAtLeast(vector.version, '0.7.0')) {
      await check('halfvec', async () => {
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
  return checks
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
