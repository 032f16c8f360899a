import { afterAll, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { checksumOf, loadSqlMigrations, settleSections } from '../../src/engines/sql/files.js'
import { parserRequested } from '../../src/sql/parse.js'

/** Jest gives each test file its own module registry, so the parser starts unloaded here. */

const cwd = mkdtempSync(path.join(tmpdir(), 'pgma-provisional-'))
afterAll(() => rmSync(cwd, { recursive: true, force: true }))

function write(files: Record<string, string>): void {
  mkdirSync(path.join(cwd, 'migrations'), { recursive: true })
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(cwd, 'migrations', name), text)
}

it('splits a file whose markers only the lexer can place provisionally, without the parser, and settles it with the lexer', async () => {
  write({
    // The down marker after a function body is a marker; the one inside the DO block is not.
    '0001_function.sql': '-- migrate:up\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n-- migrate:down\nDROP FUNCTION f();\n',
    '0002_do.sql': '-- migrate:up\nDO $$ BEGIN\n-- migrate:down\nEND $$;\n',
    '0003_plain.sql': "SELECT 'a';\n"
  })
  const provisional = await loadSqlMigrations('migrations', cwd, { provisionalSplits: true })
  expect(provisional.map((m) => [m.version, m.provisional ?? false, m.up.text])).toEqual([
    ['0001', true, 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;'],
    ['0002', true, 'DO $$ BEGIN'],
    ['0003', false, "SELECT 'a';\n"]
  ])
  expect(parserRequested()).toBe(false)

  const [fn, doBlock] = await Promise.all(provisional.slice(0, 2).map(settleSections))
  expect(parserRequested()).toBe(true)
  expect(fn).toEqual({ ...provisional[0], provisional: undefined })
  expect(doBlock.provisional).toBeUndefined()
  expect(doBlock.up.text).toBe('DO $$ BEGIN\n-- migrate:down\nEND $$;\n')
  expect(doBlock.down).toBeUndefined()
  expect(doBlock.checksum).toBe(checksumOf(doBlock.up.text))
  expect(await loadSqlMigrations('migrations', cwd)).toEqual([fn, doBlock, provisional[2]])
})

it('leaves no split provisional when a line before the up marker may open a literal: then the up marker itself is in doubt', async () => {
  write({ '0004_opener_first.sql': "-- it's the first line\n-- migrate:up\nSELECT 1;\n" })
  const loaded = await loadSqlMigrations('migrations', cwd, { provisionalSplits: true })
  expect(loaded[3]).toMatchObject({ style: 'dbmate', up: { text: 'SELECT 1;\n', startLine: 3 } })
  expect(loaded[3].provisional).toBeUndefined()
})
