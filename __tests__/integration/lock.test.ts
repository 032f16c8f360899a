import { afterAll, expect, it } from '@jest/globals'
import { ActionError } from '../../src/errors.js'
import { LOCK_KEY, acquireMigrationLock } from '../../src/lock.js'
import { silentLogger } from '../../src/logger.js'
import { connectClient, createTestDatabase, describeWithDatabase, dropTestDatabases } from '../support/database.js'

const connect = connectClient

describeWithDatabase('the migration lock', () => {
  afterAll(() => dropTestDatabases())

  it('waits for the holder, names it, times out at the bound, and is acquired once released', async () => {
    const db = await createTestDatabase()
    const holder = await connect(db.url, 'other-runner')
    const waiter = await connect(db.url, 'this-runner')
    try {
      await acquireMigrationLock(holder, { timeoutMs: 1000, minPollMs: 20, maxPollMs: 100 }, silentLogger())

      const started = Date.now()
      const error = await acquireMigrationLock(waiter, { timeoutMs: 600, minPollMs: 20, maxPollMs: 100 }, silentLogger()).then(
        () => undefined,
        (e: unknown) => e
      )
      expect(error).toBeInstanceOf(ActionError)
      expect((error as ActionError).code).toBe('lock-timeout')
      expect((error as ActionError).message).toContain('(other-runner)')
      expect(Date.now() - started).toBeGreaterThanOrEqual(550)

      // While waiting, the waiter holds no snapshot: the holder's CREATE INDEX CONCURRENTLY must not wait on it.
      await holder.query('CREATE TABLE t (id int)')
      const waiting = acquireMigrationLock(waiter, { timeoutMs: 10_000, minPollMs: 20, maxPollMs: 100 }, silentLogger())
      await new Promise((resolve) => setTimeout(resolve, 300))
      await holder.query(`SET lock_timeout = '3s'`)
      await holder.query('CREATE INDEX CONCURRENTLY t_id ON t (id)')
      await holder.query('SELECT pg_advisory_unlock($1, $2)', [...LOCK_KEY])
      const result = await waiting
      expect(result.waitedMs).toBeGreaterThan(0)
      expect(result.heldBy).toContain('other-runner')
      const locks = await holder.query('SELECT pid FROM pg_locks WHERE locktype = $1 AND classid = $2 AND objid = $3 AND granted', ['advisory', ...LOCK_KEY])
      expect(locks.rows).toEqual([{ pid: (await waiter.query('SELECT pg_backend_pid() AS pid')).rows[0].pid }])
    } finally {
      await holder.end()
      await waiter.end()
    }
  })
})
