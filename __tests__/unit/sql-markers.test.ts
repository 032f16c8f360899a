import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ActionError } from '../../src/errors.js'
import { loadSqlMigrations, type SqlMigration } from '../../src/engines/sql/files.js'

/**
 * goose and sql-migrate files read as those tools read them, and every line that only looks like a
 * marker (of any of the three tools) refused with its line and the marker to write: taken as a plain
 * comment, the down section below it would run as part of up.
 */

const dirs: string[] = []
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true })
})

async function load(text: string, fileName = '0001_a.sql'): Promise<SqlMigration> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'pgma-markers-'))
  dirs.push(cwd)
  mkdirSync(path.join(cwd, 'db'))
  writeFileSync(path.join(cwd, 'db', fileName), text)
  const [migration] = await loadSqlMigrations('db', cwd)
  return migration
}

async function loadError(text: string): Promise<ActionError> {
  const error = await load(text).catch((e: unknown) => e)
  if (error instanceof ActionError) return error
  throw new Error(`expected an ActionError, got ${String(error)}`)
}

const FUNCTION = ['CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$', 'BEGIN', '  NEW.updated := now();', '  RETURN NEW;', 'END $$;']

describe('goose annotations', () => {
  it('splits the up and down sections, keeping StatementBegin/StatementEnd blocks in their section', async () => {
    const up = ['CREATE TABLE t (id int, updated timestamptz);', '-- +goose StatementBegin', ...FUNCTION, '-- +goose StatementEnd']
    const down = ['-- +goose StatementBegin', 'DROP FUNCTION touch();', '-- +goose StatementEnd', 'DROP TABLE t;']
    const m = await load(['-- a comment before the up annotation', '-- +goose Up', ...up, '', '-- +goose Down', ...down, ''].join('\n'))
    expect(m.style).toBe('goose')
    expect(m.up).toMatchObject({ text: [...up, ''].join('\n'), startLine: 3 })
    expect(m.up.noTransaction).toBeUndefined()
    expect(m.down).toMatchObject({ text: [...down, ''].join('\n'), startLine: 3 + up.length + 2 })
  })

  it('reads annotations in any case and NO TRANSACTION anywhere, for both directions', async () => {
    const m = await load('-- +goose NO TRANSACTION\n--+goose up\nCREATE INDEX CONCURRENTLY i ON t (id);\n-- +goose DOWN\nDROP INDEX CONCURRENTLY i;\n')
    expect(m.up).toMatchObject({ text: 'CREATE INDEX CONCURRENTLY i ON t (id);', noTransaction: '-- +goose NO TRANSACTION (line 1)' })
    expect(m.down).toMatchObject({ text: 'DROP INDEX CONCURRENTLY i;\n', noTransaction: '-- +goose NO TRANSACTION (line 1)' })
  })

  it('takes an annotation inside a dollar-quoted body as text', async () => {
    const m = await load("-- +goose Up\nDO $$ BEGIN\n-- +goose Down\nRAISE NOTICE 'x';\nEND $$;\n-- +goose Down\nSELECT 1;\n")
    expect(m.up.text).toBe("DO $$ BEGIN\n-- +goose Down\nRAISE NOTICE 'x';\nEND $$;")
    expect(m.down?.text).toBe('SELECT 1;\n')
  })

  it.each([
    ['no up annotation', '-- +goose Down\nDROP TABLE t;\n', /has -- \+goose Down \(line 1\) but no -- \+goose Up line/],
    ['two up annotations', '-- +goose Up\nSELECT 1;\n-- +goose Up\nSELECT 2;\n', /has 2 -- \+goose Up lines \(lines 1, 3\)/],
    ['down before up', '-- +goose Down\nSELECT 1;\n-- +goose Up\nSELECT 2;\n', /has its -- \+goose Down line \(line 1\) before its -- \+goose Up line \(line 3\)/],
    ['SQL before up', 'SELECT 1;\n-- +goose Up\nSELECT 2;\n', /has SQL before its first -- \+goose Up line \(line 2\)/],
    ['an unclosed StatementBegin', '-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n', /does not close the block opened by -- \+goose StatementBegin on line 2\./],
    ['a StatementBegin closed after Down', '-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n-- +goose Down\n-- +goose StatementEnd\n', /before -- \+goose Down \(line 4\)/],
    ['a StatementEnd without StatementBegin', '-- +goose Up\nSELECT 1;\n-- +goose StatementEnd\n', /has -- \+goose StatementEnd \(line 3\) without a -- \+goose StatementBegin/],
    [
      'markers of two tools',
      '-- +goose Up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n',
      /mixes the markers of goose and dbmate \("-- \+goose Up" on line 1, "-- migrate:down" on line 3\)/
    ]
  ])('refuses %s', async (_what, text, message) => {
    const error = await loadError(text)
    expect(error.code).toBe('sql-bad-sections')
    expect(error.message).toMatch(message)
  })

  it("refuses ENVSUB: the action does not substitute environment variables, so it would not run goose's migration", async () => {
    const error = await loadError('-- +goose Up\n-- +goose ENVSUB ON\nCREATE ROLE app PASSWORD ${APP_PASSWORD};\n')
    expect(error).toMatchObject({ code: 'sql-unsupported-marker', location: { file: 'db/0001_a.sql', line: 2 } })
    expect(error.message).toContain('db/0001_a.sql:2: "-- +goose ENVSUB ON" is a goose annotation this action does not support')
  })
})

describe('sql-migrate markers', () => {
  it("splits the sections, reads notransaction per direction, and accepts sql-migrate's <timestamp>-<name>.sql names", async () => {
    const text = '-- +migrate Up notransaction\nCREATE INDEX CONCURRENTLY i ON t (id);\n\n-- +migrate Down\n-- +migrate StatementBegin\nDROP INDEX i;\n-- +migrate StatementEnd\n'
    const m = await load(text, '20240101120000-add-index.sql')
    expect(m).toMatchObject({ version: '20240101120000', name: 'add-index', style: 'sql-migrate' })
    expect(m.up).toMatchObject({ text: 'CREATE INDEX CONCURRENTLY i ON t (id);\n', startLine: 2, noTransaction: '-- +migrate Up notransaction (line 1)' })
    expect(m.down).toMatchObject({ text: '-- +migrate StatementBegin\nDROP INDEX i;\n-- +migrate StatementEnd\n', startLine: 5 })
    expect(m.down?.noTransaction).toBeUndefined()
  })
})

describe('lines that only look like a marker', () => {
  const body = (marker: string): string => `-- migrate:up\nCREATE TABLE t (id int);\n${marker}\nDROP TABLE t;\n`
  const goose = (marker: string): string => `-- +goose Up\nCREATE TABLE t (id int);\n${marker}\nDROP TABLE t;\n`
  const sqlMigrate = (marker: string): string => `-- +migrate Up\nCREATE TABLE t (id int);\n${marker}\nDROP TABLE t;\n`

  it.each([
    ['a block comment', body('/* migrate:down */'), 'a dbmate section marker', '-- migrate:down', 'it is a block comment'],
    ['a fullwidth colon', body('-- migrate\uff1adown'), 'a dbmate section marker', '-- migrate:down', 'U+FF1A'],
    ['a ratio sign for the colon', body('-- migrate\u2236down'), 'a dbmate section marker', '-- migrate:down', 'U+2236'],
    ['a zero-width space', body('-- migrate:\u200bdown'), 'a dbmate section marker', '-- migrate:down', 'U+200B'],
    ['a Cyrillic a', body('-- migr\u0430te:down'), 'a dbmate section marker', '-- migrate:down', 'U+0430'],
    ['an em dash', body('\u2014 migrate:down'), 'a dbmate section marker', '-- migrate:down', 'U+2014'],
    ['a goose annotation in a block comment', goose('/* +goose Down */'), 'a goose annotation', '-- +goose Down', 'block comment'],
    ['an indented goose annotation', goose('  -- +goose Down'), 'a goose annotation', '-- +goose Down', 'only at the very start of the line'],
    ['+Goose', goose('-- +Goose Down'), 'a goose annotation', '-- +goose Down', undefined],
    ['+ goose', goose('-- + goose Down'), 'a goose annotation', '-- +goose Down', undefined],
    ['a goose annotation with a comment after it', goose('-- +goose Down -- drop it again'), 'a goose annotation', '-- +goose Down', 'goose has no annotation'],
    ['goose without the plus', goose('-- goose down'), 'a goose annotation', '-- +goose Down', undefined],
    ['a goose annotation goose does not know', goose('-- +goose Downgrade'), 'a goose annotation', '-- +goose Down', 'goose has no annotation "Downgrade"'],
    ['a fullwidth plus', goose('-- \uff0bgoose Down'), 'a goose annotation', '-- +goose Down', 'U+FF0B'],
    ['lower-case sql-migrate', sqlMigrate('-- +migrate down'), 'an sql-migrate marker', '-- +migrate Down', 'would ignore "down"'],
    ['sql-migrate without the space', sqlMigrate('--+migrate Down'), 'an sql-migrate marker', '-- +migrate Down', undefined],
    ['an indented sql-migrate marker', sqlMigrate('  -- +migrate Down'), 'an sql-migrate marker', '-- +migrate Down', undefined],
    [
      'an sql-migrate option it does not know',
      sqlMigrate('-- +migrate Down noTransaction'),
      'an sql-migrate marker',
      '-- +migrate Down notransaction',
      'would ignore "noTransaction"'
    ],
    ['sql-migrate in a block comment', sqlMigrate('/* +migrate Down */'), 'an sql-migrate marker', '-- +migrate Down', 'block comment']
  ])('refuses %s with the file, line and marker to write', async (_what, text, tool, suggestion, why) => {
    const error = await loadError(text)
    expect(error).toMatchObject({ code: 'sql-bad-section-marker', location: { file: 'db/0001_a.sql', line: 3 } })
    expect(error.message).toContain(`db/0001_a.sql:3: "${text.split('\n')[2].trim()}" looks like ${tool} but is not one`)
    expect(error.message).toContain(`Write it as ${suggestion}.`)
    expect(error.message).toContain(why ?? 'is not one, so everything below it')
  })

  it('also in a file without any valid marker', async () => {
    expect((await loadError('/* migrate:up */\nSELECT 1;\n')).code).toBe('sql-bad-section-marker')
    expect((await loadError('-- +goose up\nSELECT 1;\n-- +Goose Down\nSELECT 2;\n')).location.line).toBe(3)
  })

  it('leaves ordinary comments alone, in any script', async () => {
    const comments = [
      '/* create the table */',
      '-- goose: the bird',
      '-- migrate the rows later',
      '-- миграция: создать таблицу',
      '-- 移行: テーブル',
      '/* +1 for this */',
      '-- see https://example.com/migrate'
    ]
    const m = await load(`${comments.join('\n')}\nSELECT 1;\n`)
    expect(m.style).toBe('plain')
  })
})
