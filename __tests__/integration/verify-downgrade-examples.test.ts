import { afterAll, afterEach, beforeEach, expect, it } from '@jest/globals'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { InputName } from '../../src/inputs.js'
import { silentLogger } from '../../src/logger.js'
import { runPipeline } from '../../src/pipeline/index.js'
import { PYTHON, STACKS, useStack } from '../support/alembic-project.js'
import { describeEachNeeding } from '../support/capabilities.js'
import { createTestDatabase, describeWithAnyDatabase, dropTestDatabases, withClient } from '../support/database.js'

/**
 * verify-downgrade: all on copies of the two example chains, through the pipeline against the real
 * server: the SQL chain's 0003 drops its HNSW index CONCURRENTLY (no transaction block), and the
 * Alembic chain steps back through a merge revision.
 */

const root = fileURLToPath(new URL('../..', import.meta.url))
let url: string
let copy: string
beforeEach(async () => {
  url = (await createTestDatabase('pgma_verify_examples')).url
  copy = mkdtempSync(path.join(os.tmpdir(), 'pgma-verify-examples-'))
})
afterEach(() => rmSync(copy, { recursive: true, force: true }))
afterAll(() => dropTestDatabases())

/** The example, copied so Alembic's __pycache__ and the like stay out of the checkout. */
function copyExample(name: 'sql' | 'alembic'): string {
  const target = path.join(copy, name)
  cpSync(path.join(root, 'migrations-example', name), target, { recursive: true })
  return target
}

function verifyAll(inputs: Partial<Record<InputName, string>>) {
  const all: Partial<Record<InputName, string>> = { 'database-url': url, extensions: 'vector', 'verify-downgrade': 'all', ...inputs }
  return runPipeline((name) => all[name], { log: silentLogger(), env: process.env })
}

/** Each revision was stepped down and up again, and the last step of each is an upgrade. */
function expectEveryRevisionRoundTripped(steps: { revision: string; direction: string; outcome: { status: string } }[], revisions: string[]): void {
  expect(steps.filter((s) => s.outcome.status !== 'ok')).toEqual([])
  for (const revision of revisions) {
    const own = steps.filter((s) => s.revision === revision).map((s) => s.direction)
    expect([revision, own]).toEqual([revision, ['down', 'up', 'down', 'up']])
  }
}

describeWithAnyDatabase('verify-downgrade: all on migrations-example/sql', () => {
  it('passes, the CONCURRENTLY down section included, and ends at head', async () => {
    const outcome = await verifyAll({ 'migrations-path': copyExample('sql') })
    const versions = ['0001', '0002', '0003', '0004', '0005']
    expect(outcome.report.error).toBeUndefined()
    expect(outcome.report.status).toBe('success')
    expect(outcome.report.verifyDowngrade).toEqual(expect.objectContaining({ status: 'passed', scope: 'all', revisions: versions }))
    expectEveryRevisionRoundTripped(outcome.report.verifyDowngrade!.steps, versions)
    await withClient(url, async (client) => {
      expect((await client.query(`SELECT version FROM pg_migrate_history WHERE NOT dirty ORDER BY version`)).rows.map((r) => r.version)).toEqual(versions)
      const index = await client.query(`SELECT indisvalid FROM pg_index WHERE indexrelid = 'chunks_embedding_hnsw_idx'::regclass`)
      expect(index.rows).toEqual([{ indisvalid: true }])
    })
  }, 60_000)
})

describeEachNeeding(['database'], STACKS, 'verify-downgrade: all on migrations-example/alembic ($name)', (stack) => {
  let restore: () => void
  beforeEach(() => {
    restore = useStack(stack)
  })
  afterEach(() => restore())

  it('passes, stepping back through the merge revision, and ends at head', async () => {
    const outcome = await verifyAll({ 'migrations-path': copyExample('alembic'), engine: 'alembic', python: PYTHON })
    const order = ['3f1c9a7b2d10', '8a2e4c6d0b31', 'c47d19e5a8f2', 'e91b0f3d5c77', '5d08a6e2f4b9', '0b6f2a9c3e84']
    expect(outcome.report.error).toBeUndefined()
    expect(outcome.report.status).toBe('success')
    expect(outcome.report.verifyDowngrade).toEqual(expect.objectContaining({ status: 'passed', scope: 'all', revisions: order }))
    expectEveryRevisionRoundTripped(outcome.report.verifyDowngrade!.steps, order)
    expect(await withClient(url, async (client) => (await client.query(`SELECT version_num FROM alembic_version`)).rows)).toEqual([{ version_num: '0b6f2a9c3e84' }])
  }, 180_000)
})
