import { afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ActionError } from '../../src/errors.js'
import { canonicalVersion, compareVersions, hasSql, loadSqlMigrations } from '../../src/engines/sql/files.js'
import { loadSqlParser, type SqlParser } from '../../src/sql/parse.js'

let parser: SqlParser
beforeAll(async () => {
  parser = await loadSqlParser()
})

const dirs: string[] = []
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true })
})

/** A temporary working directory with `migrations/` holding `files`. */
function chain(files: Record<string, string | Buffer>): { cwd: string; dir: string } {
  const cwd = mkdtempSync(path.join(tmpdir(), 'pgma-sql-files-'))
  dirs.push(cwd)
  const dir = path.join(cwd, 'db', 'migrations')
  mkdirSync(dir, { recursive: true })
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content)
  return { cwd, dir: 'db/migrations' }
}

async function loadError(files: Record<string, string | Buffer>): Promise<ActionError> {
  const { cwd, dir } = chain(files)
  try {
    await loadSqlMigrations(dir, cwd)
  } catch (error) {
    if (error instanceof ActionError) return error
    throw error
  }
  throw new Error('expected loadSqlMigrations to reject')
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex')

describe('loadSqlMigrations', () => {
  it('orders by numeric version, whatever the width, and ignores non-SQL files', async () => {
    const { cwd, dir } = chain({
      '10_ten.sql': 'SELECT 10;',
      '0002_two.sql': 'SELECT 2;',
      '20251016103800_stamp.sql': 'SELECT 3;',
      '1_one.sql': 'SELECT 1;',
      'README.md': '# not a migration'
    })
    const migrations = await loadSqlMigrations(dir, cwd)
    expect(migrations.map((m) => m.version)).toEqual(['1', '0002', '10', '20251016103800'])
    expect(migrations[1]).toMatchObject({ name: 'two', style: 'plain', file: 'db/migrations/0002_two.sql', checksum: sha('SELECT 2;') })
  })

  it('takes files and links to files; skips directories named *.sql and dangling links', async () => {
    const { cwd, dir } = chain({ '0001_one.sql': 'SELECT 1;' })
    const absolute = path.join(cwd, dir)
    writeFileSync(path.join(cwd, 'shared.sql'), 'SELECT 2;')
    symlinkSync(path.join(cwd, 'shared.sql'), path.join(absolute, '0002_linked.sql'))
    symlinkSync(path.join(cwd, 'gone.sql'), path.join(absolute, '0003_dangling.sql'))
    mkdirSync(path.join(absolute, '0004_folder.sql'))
    const migrations = await loadSqlMigrations(dir, cwd)
    expect(migrations.map((m) => [m.file, m.checksum])).toEqual([
      ['db/migrations/0001_one.sql', sha('SELECT 1;')],
      ['db/migrations/0002_linked.sql', sha('SELECT 2;')]
    ])
  })

  it('reads dbmate sections: the checksum covers the up section only', async () => {
    const up = 'CREATE TABLE a (id int);\n'
    const { cwd, dir } = chain({ '0001_a.sql': `-- migrate:up\n${up}\n-- migrate:down\nDROP TABLE a;\n` })
    const [m] = await loadSqlMigrations(dir, cwd)
    expect(m.style).toBe('dbmate')
    expect(m.up.startLine).toBe(2)
    expect(m.up.text).toBe(up)
    expect(m.down?.text).toBe('DROP TABLE a;\n')
    expect(m.down?.startLine).toBe(5)
    expect(m.checksum).toBe(sha(up))
    expect(m.up.noTransaction).toBeUndefined()
  })

  it("reads dbmate's transaction:false option", async () => {
    const { cwd, dir } = chain({ '0001_a.sql': '-- migrate:up transaction:false\nVACUUM;\n' })
    const [m] = await loadSqlMigrations(dir, cwd)
    expect(m.up.noTransaction).toBe('-- migrate:up transaction:false (line 1)')
  })

  it('pairs golang-migrate .up.sql and .down.sql files', async () => {
    const { cwd, dir } = chain({ '0001_a.up.sql': 'CREATE TABLE a (id int);', '0001_a.down.sql': 'DROP TABLE a;', '0002_b.up.sql': 'SELECT 1;' })
    const migrations = await loadSqlMigrations(dir, cwd)
    expect(migrations.map((m) => [m.version, m.style, m.file, m.down?.file])).toEqual([
      ['0001', 'pair', 'db/migrations/0001_a.up.sql', 'db/migrations/0001_a.down.sql'],
      ['0002', 'pair', 'db/migrations/0002_b.up.sql', undefined]
    ])
  })

  it('gives CRLF and LF checkouts the same checksum and drops a BOM', async () => {
    const { cwd, dir } = chain({ '0001_a.sql': 'SELECT 1;\r\nSELECT 2;\r\n', '0002_b.sql': '\uFEFFSELECT 3;\n' })
    const [a, b] = await loadSqlMigrations(dir, cwd)
    expect(a.checksum).toBe(sha('SELECT 1;\nSELECT 2;\n'))
    expect(a.up.text).toBe('SELECT 1;\nSELECT 2;\n')
    expect(b.checksum).toBe(sha('SELECT 3;\n'))
  })

  it('reads -- pg-migrate: directives at the top only', async () => {
    const { cwd, dir } = chain({ '0001_a.sql': '-- Build the index\n-- pg-migrate:no-transaction\n\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- pg-migrate:later\n' })
    const [m] = await loadSqlMigrations(dir, cwd)
    expect(m.directives).toEqual([{ name: 'no-transaction', line: 2 }])
  })

  it('rejects names that do not match, listing them', async () => {
    const error = await loadError({ '0001_ok.sql': 'SELECT 1;', 'create_users.sql': 'SELECT 1;', 'V2__flyway.sql': 'SELECT 1;' })
    expect(error.code).toBe('sql-bad-file-name')
    expect(error.message).toContain('create_users.sql')
    expect(error.message).toContain('V2__flyway.sql')
  })

  it('rejects duplicate versions, also when written with different widths', async () => {
    const error = await loadError({ '0001_a.sql': 'SELECT 1;', '1_b.sql': 'SELECT 1;', '0002_c.sql': 'SELECT 1;' })
    expect(error.code).toBe('sql-duplicate-version')
    expect(error.message).toContain('0001_a.sql and 1_b.sql')
  })

  it('rejects a single file and a pair for the same migration, and a down file without up', async () => {
    expect((await loadError({ '0001_a.sql': 'SELECT 1;', '0001_a.up.sql': 'SELECT 1;' })).code).toBe('sql-duplicate-version')
    const lone = await loadError({ '0001_a.down.sql': 'DROP TABLE a;' })
    expect(lone.code).toBe('sql-missing-up')
    expect(lone.message).toContain('0001_a.down.sql')
  })

  it('rejects an empty up section, naming the file', async () => {
    const plain = await loadError({ '0003_empty.sql': '-- nothing yet\n/* still /* nothing */ */\n\n' })
    expect(plain.code).toBe('sql-empty-migration')
    expect(plain.message).toContain('db/migrations/0003_empty.sql')
    const dbmate = await loadError({ '0004_x.sql': '-- migrate:up\n\n-- migrate:down\nDROP TABLE x;\n' })
    expect(dbmate.code).toBe('sql-empty-migration')
    expect(dbmate.message).toContain('0004_x.sql')
  })

  it('rejects a file that is not UTF-8, naming it and the offset', async () => {
    const error = await loadError({ '0001_latin1.sql': Buffer.from([...Buffer.from("SELECT 'caf"), 0xe9, ...Buffer.from("';")]) })
    expect(error.code).toBe('sql-not-utf8')
    expect(error.message).toContain('db/migrations/0001_latin1.sql')
    expect(error.message).toContain('offset 11')
  })

  it('rejects a NUL byte, naming the file and line: the parser would stop reading there', async () => {
    const error = await loadError({ '0001_nul.sql': 'CREATE TABLE a (id int);\nSELECT 1;\0\nCREATE TABLE b (id int);\n' })
    expect(error.code).toBe('sql-nul-byte')
    expect(error.message).toContain('db/migrations/0001_nul.sql:2:')
    expect(error.location).toMatchObject({ file: 'db/migrations/0001_nul.sql', line: 2, column: 10 })
    // UTF-16 without a BOM is valid UTF-8, full of NUL bytes.
    expect((await loadError({ '0001_utf16.sql': Buffer.from('SELECT 1;\n', 'utf16le') })).code).toBe('sql-nul-byte')
  })

  it('rejects broken dbmate sections', async () => {
    expect((await loadError({ '0001_a.sql': 'SELECT 1;\n-- migrate:up\nSELECT 2;\n' })).code).toBe('sql-bad-sections')
    expect((await loadError({ '0001_a.sql': '-- migrate:down\nSELECT 2;\n' })).code).toBe('sql-bad-sections')
    expect((await loadError({ '0001_a.sql': '-- migrate:up\nSELECT 1;\n-- migrate:up\nSELECT 2;\n' })).code).toBe('sql-bad-sections')
  })

  it('reads markers in any case and with space after the colon, so a down section never runs as part of up', async () => {
    for (const marker of ['-- Migrate:Down', '-- migrate: down', '--MIGRATE:DOWN', '   -- migrate:  Down  ']) {
      const { cwd, dir } = chain({ '0001_a.sql': `-- Migrate:Up\nCREATE TABLE important (id int);\n${marker}\nDROP TABLE important;\n` })
      const [m] = await loadSqlMigrations(dir, cwd)
      expect(m.style).toBe('dbmate')
      expect(m.up.text).toBe('CREATE TABLE important (id int);')
      expect(m.down?.text).toBe('DROP TABLE important;\n')
    }
    const { cwd, dir } = chain({ '0001_a.sql': '-- MIGRATE:UP Transaction:False\nVACUUM;\n' })
    expect((await loadSqlMigrations(dir, cwd))[0].up.noTransaction).toBe('-- MIGRATE:UP Transaction:False (line 1)')
  })

  it('rejects a line that looks like a mistyped marker, naming the file, the line and the valid markers', async () => {
    for (const typo of [
      '-- migrate:dwn',
      '-- migration:down',
      '--migrate:downn',
      '-- migrate :down',
      '-- migrate down',
      '-- migrate:down;',
      '-- Migrations: Up',
      '-- mirgate:down',
      '-- migrate:'
    ]) {
      const error = await loadError({ '0001_a.sql': `-- migrate:up\nCREATE TABLE important (id int);\n${typo}\nDROP TABLE important;\n` })
      expect([typo, error.code]).toEqual([typo, 'sql-bad-section-marker'])
      expect(error.message).toContain(`db/migrations/0001_a.sql:3: "${typo.trim()}" looks like a dbmate section marker`)
      expect(error.message).toContain('-- migrate:up and -- migrate:down')
      expect(error.location).toMatchObject({ file: 'db/migrations/0001_a.sql', line: 3 })
    }
    // Also in a file without a valid marker: the typo was meant to start a section.
    expect((await loadError({ '0001_a.sql': '-- migrate:upp\nSELECT 1;\n' })).code).toBe('sql-bad-section-marker')
  })

  it('leaves comments that merely mention migrating alone', async () => {
    const comments = ['-- migrate: move the rows to the new table', '-- Migration 12 of the billing rework', '-- migrate the data', '-- TODO: down the road', '-- migrated: yes']
    const { cwd, dir } = chain({ '0001_a.sql': `${comments.join('\n')}\nSELECT 1;\n` })
    const [m] = await loadSqlMigrations(dir, cwd)
    expect(m.style).toBe('plain')
  })

  it('does not take marker lines inside a dollar-quoted body, a string or a block comment as markers', async () => {
    const up = [
      'CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $body$',
      "  SELECT 'x'",
      '-- migrate:down',
      '-- migrate:dwn',
      '$body$;',
      "SELECT 'a string that spans lines",
      '-- Migrate:Down',
      "';",
      '/* a comment',
      '-- migrate:down',
      '*/',
      'SELECT 1;'
    ].join('\n')
    const { cwd, dir } = chain({ '0001_a.sql': `-- migrate:up\n${up}\n-- migrate:down\nDROP FUNCTION f();\n` })
    const [m] = await loadSqlMigrations(dir, cwd)
    expect(m.up.text).toBe(up)
    expect(m.down).toMatchObject({ text: 'DROP FUNCTION f();\n', startLine: up.split('\n').length + 3 })
  })

  it('reads everything after a dollar quote that is never closed as inside it, so that section fails to parse and nothing of it runs', async () => {
    const { cwd, dir } = chain({ '0001_a.sql': '-- migrate:up\nDO $$ BEGIN\n-- migrate:down\nDROP TABLE important;\n' })
    const [m] = await loadSqlMigrations(dir, cwd)
    expect(m.down).toBeUndefined()
    expect(() => parser.parse(m.up.text)).toThrow(/unterminated dollar-quoted string/)
  })

  it('rejects a missing directory with a hint about migrations-path', async () => {
    await expect(loadSqlMigrations('nope/here', tmpdir())).rejects.toMatchObject({ code: 'migrations-path-missing', location: { input: 'migrations-path' } })
  })
})

describe('helpers', () => {
  it('compares versions numerically', () => {
    expect(['10', '9', '0002', '20251016103800', '1'].sort(compareVersions)).toEqual(['1', '0002', '9', '10', '20251016103800'])
    expect(compareVersions('0001', '1')).toBe(0)
  })

  it('drops only the leading zeros that precede a digit (a history row may hold any text)', () => {
    expect(['0001', '1', '0', '000', '0010', '00a', '0 1', 'abc', ''].map(canonicalVersion)).toEqual(['1', '1', '0', '0', '10', '0a', '0 1', 'abc', ''])
  })

  it('tells comments from SQL', () => {
    expect(hasSql('-- a\n/* b /* c */ d */ ;\n')).toBe(false)
    expect(hasSql('-- a\nSELECT 1')).toBe(true)
  })
})
