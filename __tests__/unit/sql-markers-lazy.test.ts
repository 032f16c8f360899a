import { afterAll, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadSqlMigrations } from '../../src/engines/sql/files.js'
import { parserRequested } from '../../src/sql/parse.js'

/** Jest gives each test file its own module registry, so the parser starts unloaded here. */

const cwd = mkdtempSync(path.join(tmpdir(), 'pgma-markers-'))
afterAll(() => rmSync(cwd, { recursive: true, force: true }))

function write(files: Record<string, string>): void {
  mkdirSync(path.join(cwd, 'migrations'), { recursive: true })
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(cwd, 'migrations', name), text)
}

it('loads dbmate files whose markers cannot be inside a literal without the SQL parser, and uses it when one could be', async () => {
  write({
    '0001_a.sql': "-- migrate:up\nINSERT INTO t VALUES ('a', \"it's\", 'b''c', '/* no comment */');\n-- Migrate: Down\nDELETE FROM t;\n",
    '0002_b.sql': 'SELECT $1;\n-- a plain file: only marker lines ever need the parser\n'
  })
  expect((await loadSqlMigrations('migrations', cwd)).map((m) => m.style)).toEqual(['dbmate', 'plain'])
  expect(parserRequested()).toBe(false)

  write({ '0003_c.sql': '-- migrate:up\nDO $$ BEGIN\n-- migrate:down\nEND $$;\n-- migrate:down\nSELECT 1;\n' })
  const loaded = await loadSqlMigrations('migrations', cwd)
  expect(loaded[2].up.text).toBe('DO $$ BEGIN\n-- migrate:down\nEND $$;')
  expect(parserRequested()).toBe(true)
})
