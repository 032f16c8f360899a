import { afterAll, expect, it } from '@jest/globals'
import { ensureExtensions, extensionsFailure } from '../../src/extensions.js'
import { silentLogger } from '../../src/logger.js'
import type pg from 'pg'
import {
  adminQuery,
  connectClient,
  createTestDatabase,
  describeWithAnyDatabase,
  dropTestDatabases,
  itNeedingServer,
  PGLITE_LACKS,
  urlFor,
  withClient
} from '../support/database.js'

const connect = connectClient

describeWithAnyDatabase('ensureExtensions against PostgreSQL with pgvector', () => {
  afterAll(() => dropTestDatabases())

  it('creates vector, reports its version and schema, and passes every smoke check without leaving anything behind', async () => {
    const db = await createTestDatabase()
    const client = await connect(db.url)
    try {
      const result = await ensureExtensions(client, ['vector'], silentLogger(), { create: true })
      expect(result.extensions).toEqual([expect.objectContaining({ name: 'vector', status: 'created', schema: 'public', onSearchPath: true })])
      expect(result.extensions[0].version).toMatch(/^\d+\.\d+\.\d+$/)
      expect(result.smoke.map((c) => c.name)).toEqual([
        'distance operators <-> <=> <#>',
        'vector(3) column round trip',
        'HNSW index build',
        'index-backed nearest-neighbour query',
        'halfvec'
      ])
      expect(result.smoke.every((c) => c.ok)).toBe(true)
      expect(extensionsFailure(result)).toBeUndefined()
      const leftovers = await client.query(`SELECT relname FROM pg_class WHERE relname LIKE 'pgma_smoke%'`)
      expect(leftovers.rowCount).toBe(0)
      expect((await client.query('SELECT 1 AS ok')).rows[0].ok).toBe(1)

      const again = await ensureExtensions(client, ['vector'], silentLogger(), { create: true })
      expect(again.extensions[0].status).toBe('installed')
    } finally {
      await client.end()
    }
  })

  it('warns when the extension schema is not on the search_path, and the smoke test still works', async () => {
    const db = await createTestDatabase()
    const client = await connect(db.url)
    try {
      await client.query('CREATE SCHEMA extensions; CREATE EXTENSION vector SCHEMA extensions')
      const result = await ensureExtensions(client, ['vector'], silentLogger(), { create: true })
      expect(result.extensions[0]).toMatchObject({ status: 'installed', schema: 'extensions', onSearchPath: false })
      expect(result.warnings.join('\n')).toContain("schema 'extensions', which is not on the search_path")
      expect(result.smoke.every((c) => c.ok)).toBe(true)
    } finally {
      await client.end()
    }
  })

  it('fails the smoke test when pgvector is installed but broken, and says which check failed', async () => {
    const db = await createTestDatabase()
    const client = await connect(db.url)
    try {
      await client.query('CREATE EXTENSION vector')
      await client.query('ALTER EXTENSION vector DROP OPERATOR CLASS vector_l2_ops USING hnsw')
      await client.query('DROP OPERATOR CLASS vector_l2_ops USING hnsw')
      const result = await ensureExtensions(client, ['vector'], silentLogger(), { create: true })
      const failed = result.smoke.filter((c) => !c.ok)
      expect(failed.map((c) => c.name)).toEqual(['HNSW index build'])
      expect(failed[0].detail).toContain('vector_l2_ops')
      const failure = extensionsFailure(result)!
      expect(failure.code).toBe('vector-smoke-test-failed')
      expect(failure.message).toContain('HNSW index build')
      expect((await client.query('SELECT 1 AS ok')).rows[0].ok).toBe(1)
    } finally {
      await client.end()
    }
  })

  it('reports an extension the server does not have, naming where to get it', async () => {
    const db = await createTestDatabase()
    const client = await connect(db.url)
    try {
      const result = await ensureExtensions(client, ['pgma_not_installed_anywhere'], silentLogger(), { create: true })
      expect(result.extensions[0].status).toBe('missing')
      const failure = extensionsFailure(result)!
      expect(failure.code).toBe('extension-missing')
      expect(failure.message).toContain("'pgma_not_installed_anywhere'")
      expect(failure.message).toContain('not available on this server')
    } finally {
      await client.end()
    }
  })

  itNeedingServer(PGLITE_LACKS.roles, 'explains that pgvector needs a superuser when a plain role tries to create it', async () => {
    const db = await createTestDatabase()
    const role = `${db.name}_app`
    await adminQuery(`CREATE ROLE ${role} LOGIN PASSWORD 'app-pass'`)
    await adminQuery(`ALTER DATABASE ${db.name} OWNER TO ${role}`)
    const url = new URL(urlFor(db.name))
    url.username = role
    url.password = 'app-pass'
    const client = await connect(url.toString())
    try {
      const result = await ensureExtensions(client, ['vector'], silentLogger(), { create: true })
      expect(result.extensions[0].status).toBe('not-permitted')
      const failure = extensionsFailure(result)!
      expect(failure.code).toBe('extension-not-permitted')
      expect(failure.hint).toContain('not a trusted extension')
      expect(failure.hint).toContain('superuser')
      expect(result.smoke).toEqual([])
    } finally {
      await client.end()
      await adminQuery(`DROP DATABASE ${db.name} WITH (FORCE)`)
      await adminQuery(`DROP ROLE ${role}`)
    }
  })

  /** A login role on a fresh database; `setup` runs as the admin in that database before the role connects. */
  async function asRole(setup: string[], fn: (client: pg.Client, db: { name: string; url: string }) => Promise<void>): Promise<void> {
    const db = await createTestDatabase()
    const role = `${db.name}_user`
    await adminQuery(`CREATE ROLE ${role} LOGIN PASSWORD 'user-pass'`)
    try {
      await withClient(db.url, async (admin) => {
        for (const statement of setup) await admin.query(statement.replaceAll('<role>', role).replaceAll('<db>', db.name))
      })
      const url = new URL(db.url)
      url.username = role
      url.password = 'user-pass'
      const client = await connect(url.toString())
      try {
        await fn(client, db)
      } finally {
        await client.end()
      }
    } finally {
      await adminQuery(`DROP DATABASE ${db.name} WITH (FORCE)`)
      await adminQuery(`DROP ROLE ${role}`)
    }
  }

  // issue 7 #5: a read-only pull-request role was told to reinstall pgvector.
  itNeedingServer(PGLITE_LACKS.roles, 'runs the smoke checks a read-only session can run, lists the others as skipped, and does not blame pgvector', async () => {
    await asRole(['CREATE EXTENSION vector', 'ALTER ROLE <role> SET default_transaction_read_only = on'], async (client) => {
      const result = await ensureExtensions(client, ['vector'], silentLogger(), { create: true })
      expect(result.extensions[0]).toMatchObject({ name: 'vector', status: 'installed' })
      expect(result.smoke.map((c) => [c.name, c.ok])).toEqual([
        ['distance operators <-> <=> <#>', true],
        ['vector(3) value round trip', true],
        ['halfvec', true]
      ])
      expect(result.smokeSkipped.map((c) => c.name)).toEqual(['vector(3) column round trip', 'HNSW index build', 'index-backed nearest-neighbour query'])
      expect(result.smokeSkipped[0].reason).toContain('read-only')
      expect(result.smokeSkipped[0].reason).toContain('default_transaction_read_only')
      expect(extensionsFailure(result)).toBeUndefined()
    })
  })

  itNeedingServer(PGLITE_LACKS.roles, 'says that a read-only session cannot create a missing extension, instead of a server error', async () => {
    await asRole(['ALTER ROLE <role> SUPERUSER', 'ALTER ROLE <role> SET default_transaction_read_only = on'], async (client) => {
      const result = await ensureExtensions(client, ['vector'], silentLogger(), { create: true })
      expect(result.extensions[0]).toMatchObject({ name: 'vector', status: 'read-only' })
      const failure = extensionsFailure(result)!
      expect(failure.code).toBe('extension-read-only')
      expect(failure.message).toContain('the session is read-only')
      expect(failure.hint).toContain('mode: validate')
    })
  })

  itNeedingServer(PGLITE_LACKS.roles, 'skips the table checks for a role without TEMP on the database, naming the privilege', async () => {
    await asRole(['CREATE EXTENSION vector', 'REVOKE TEMPORARY ON DATABASE <db> FROM PUBLIC'], async (client, db) => {
      const result = await ensureExtensions(client, ['vector'], silentLogger(), { create: true })
      expect(result.smoke.every((c) => c.ok)).toBe(true)
      expect(result.smokeSkipped).toHaveLength(3)
      expect(result.smokeSkipped[0].reason).toContain(`lacks TEMP on database ${db.name}`)
      expect(extensionsFailure(result)).toBeUndefined()
    })
  })

  itNeedingServer(PGLITE_LACKS.roles, 'blames a missing USAGE on the extension schema, not the pgvector build', async () => {
    await asRole(['CREATE SCHEMA ext', 'CREATE EXTENSION vector SCHEMA ext'], async (client) => {
      const result = await ensureExtensions(client, ['vector'], silentLogger(), { create: true })
      expect(result.extensions[0]).toMatchObject({ status: 'installed', schema: 'ext', schemaUsable: false })
      expect(result.smoke).toEqual([])
      expect(result.smokeSkipped[0].reason).toMatch(/lacks USAGE on schema ext$/)
      expect(result.warnings.join('\n')).toContain('GRANT USAGE ON SCHEMA "ext" TO')
      expect(extensionsFailure(result)).toBeUndefined()
    })
  })

  // issue 10: validate and plan ran CREATE EXTENSION although they apply nothing.
  it('without create, reports that a superuser would create the extension and leaves the database untouched', async () => {
    const db = await createTestDatabase()
    const client = await connect(db.url)
    try {
      const result = await ensureExtensions(client, ['vector'], silentLogger(), { create: false })
      expect(result.extensions[0]).toMatchObject({ name: 'vector', status: 'would-create' })
      expect(result.extensions[0].message).toContain('CREATE EXTENSION "vector"')
      expect(result.extensions[0].message).toContain('superuser')
      expect(result.smoke).toEqual([])
      expect(result.smokeSkipped.map((c) => c.reason)).toEqual(Array(5).fill('vector is not created yet (this mode creates nothing)'))
      expect(extensionsFailure(result)).toBeUndefined()
      expect((await client.query(`SELECT extname FROM pg_extension WHERE extname = 'vector'`)).rowCount).toBe(0)
    } finally {
      await client.end()
    }
  })

  itNeedingServer(PGLITE_LACKS.roles, 'without create, tells which extension a role could not create and why, trusted or not', async () => {
    await asRole(['GRANT CREATE ON DATABASE <db> TO <role>'], async (client) => {
      const result = await ensureExtensions(client, ['vector', 'pg_trgm'], silentLogger(), { create: false })
      expect(result.extensions.map((e) => [e.name, e.status])).toEqual([
        ['vector', 'not-permitted'],
        ['pg_trgm', 'would-create']
      ])
      expect(result.extensions[0].message).toContain('vector is not a trusted extension')
      expect(result.extensions[1].message).toContain('trusted extension, CREATE on the database')
      expect(extensionsFailure(result)!.code).toBe('extension-not-permitted')
      expect((await client.query(`SELECT extname FROM pg_extension WHERE extname IN ('vector', 'pg_trgm')`)).rowCount).toBe(0)
    })
    await asRole([], async (client, db) => {
      const result = await ensureExtensions(client, ['pg_trgm'], silentLogger(), { create: false })
      expect(result.extensions[0]).toMatchObject({ status: 'not-permitted' })
      expect(result.extensions[0].message).toContain(`lacks CREATE on database ${db.name}`)
    })
  })
})
