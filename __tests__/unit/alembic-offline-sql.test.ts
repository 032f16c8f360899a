import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { readOfflineRun, splitOfflineSql } from '../../src/engines/alembic/offline-sql.js'

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/alembic/${name}`, import.meta.url), 'utf8')

describe('splitOfflineSql', () => {
  it("splits Alembic's real offline output per revision, in Alembic's order, without the run's BEGIN/COMMIT", () => {
    const { preamble, chunks } = splitOfflineSql(fixture('offline-example.sql'))
    expect(preamble).toContain('CREATE TABLE alembic_version')
    expect(preamble).not.toContain('BEGIN')
    expect(chunks.map((c) => c.revision)).toEqual(['3f1c9a7b2d10', '8a2e4c6d0b31', 'e91b0f3d5c77', 'c47d19e5a8f2', '5d08a6e2f4b9', '0b6f2a9c3e84'])
    const embeddings = chunks[1]
    expect(embeddings.sql).toMatch(/^CREATE TABLE embeddings/)
    expect(embeddings.sql).toContain('ALTER TABLE embeddings ADD COLUMN embedding vector(3) NOT NULL;')
    expect(embeddings.sql).not.toContain('CREATE TABLE documents')
    expect(chunks[5].sql).not.toMatch(/COMMIT;\s*$/)
    expect(chunks.every((c) => !c.leavesTransaction)).toBe(true)
  })

  it('flags a revision whose autocommit_block commits in the middle, keeping that COMMIT/BEGIN', () => {
    const { chunks } = splitOfflineSql(fixture('offline-autocommit.sql'))
    const last = chunks.find((c) => c.revision === 'ffff0001')!
    expect(last.leavesTransaction).toBe(true)
    expect(last.sql).toContain('COMMIT;\n\nCREATE INDEX CONCURRENTLY documents_summary')
    expect(chunks.find((c) => c.revision === '0b6f2a9c3e84')!.leavesTransaction).toBe(false)
  })

  it('drops per-migration framing (transaction_per_migration)', () => {
    const { chunks } = splitOfflineSql('BEGIN;\n\n-- Running upgrade  -> a\n\nCREATE TABLE t ();\n\nCOMMIT;\n\nBEGIN;\n\n-- Running upgrade a -> b\n\nDROP TABLE t;\n\nCOMMIT;\n')
    expect(chunks).toEqual([
      { revision: 'a', sql: 'CREATE TABLE t ();', leavesTransaction: false },
      { revision: 'b', sql: 'DROP TABLE t;', leavesTransaction: false }
    ])
  })
})

describe('splitOfflineSql of a downgrade (mode: downgrade)', () => {
  it("splits Alembic's real `downgrade <head>:<target> --sql` output per revision undone, newest first", () => {
    const { chunks } = splitOfflineSql(fixture('offline-downgrade-example.sql'), 'downgrade')
    expect(chunks.map((c) => c.revision)).toEqual(['0b6f2a9c3e84', '5d08a6e2f4b9', 'c47d19e5a8f2', 'e91b0f3d5c77', '8a2e4c6d0b31'])
    expect(chunks[0].sql).toMatch(/^DROP VIEW document_search;/)
    expect(chunks[3].sql).toContain('ALTER TABLE documents DROP COLUMN tags;')
    expect(chunks[4].sql).toMatch(/^DROP TABLE embeddings;/)
    expect(chunks[4].sql).not.toMatch(/COMMIT;\s*$/)
    // An upgrade's split of the same output finds no section: the directions are not mixed up.
    expect(splitOfflineSql(fixture('offline-downgrade-example.sql')).chunks).toEqual([])
  })
})

describe('readOfflineRun', () => {
  it('without a revision frame, stops at the last section Alembic started and keeps the ones before', () => {
    const stdout = 'BEGIN;\n\n-- Running upgrade  -> a\n\nCREATE TABLE t ();\n\n-- Running upgrade a -> b\n\nSELECT 1;\n'
    const stderr = 'Traceback (most recent call last):\n  File "/p/env.py", line 21, in run_migrations_offline\n    context.run_migrations()\nRuntimeError: boom\n'
    const run = readOfflineRun({ exitCode: 1, stdout, stderr }, new Map(), '/p/env.py')
    expect(run.chunks.map((c) => c.revision)).toEqual(['a'])
    expect(run.stopped).toEqual({
      revision: 'b',
      file: path.relative(process.cwd(), '/p/env.py'),
      line: 21,
      message: 'RuntimeError: boom',
      reason: undefined,
      partialSql: 'SELECT 1;'
    })
    expect(readOfflineRun({ exitCode: 0, stdout, stderr: '' }, new Map(), '/p/env.py').stopped).toBeUndefined()
  })
})
