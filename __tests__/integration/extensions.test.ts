import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ensureExtensions, extensionsFailure } from '../../src/extensions.js'
import { silentLogger } from '../../src/logger.js'
import { adminQuery, connectClient, createTestDatabase, describeWithDatabase, dropTestDatabases, urlFor } from '../support/database.js'

const connect = connectClient

describeWithDatabase('ensureExtensions against a real server with pgvector', () => {
  afterAll(() => dropTestDatabases())

  it('creates vector, reports its version and schema, and passes every smoke check without leaving anything behind', async () => {
    const db = await createTestDatabase()
    const client = await connect(db.url)
    try {
      const result = await ensureExtensions(client, ['vector'], silentLogger())
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

      const again = await ensureExtensions(client, ['vector'], silentLogger())
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
      const result = await ensureExtensions(client, ['vector'], silentLogger())
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
      const result = await ensureExtensions(client, ['vector'], silentLogger())
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
      const result = await ensureExtensions(client, ['pgma_not_installed_anywhere'], silentLogger())
      expect(result.extensions[0].status).toBe('missing')
      const failure = extensionsFailure(result)!
      expect(failure.code).toBe('extension-missing')
      expect(failure.message).toContain("'pgma_not_installed_anywhere'")
      expect(failure.message).toContain('not available on this server')
    } finally {
      await client.end()
    }
  })

  it('explains that pgvector needs a superuser when a plain role tries to create it', async () => {
    const db = await createTestDatabase()
    const role = `${db.name}_app`
    await adminQuery(`CREATE ROLE ${role} LOGIN PASSWORD 'app-pass'`)
    await adminQuery(`ALTER DATABASE ${db.name} OWNER TO ${role}`)
    const url = new URL(urlFor(db.name))
    url.username = role
    url.password = 'app-pass'
    const client = await connect(url.toString())
    try {
      const result = await ensureExtensions(client, ['vector'], silentLogger())
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
})
