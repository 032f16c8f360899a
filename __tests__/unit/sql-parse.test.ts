import { beforeAll, describe, expect, it } from '@jest/globals'
import { loadSqlParser, noTransactionReason, PIECE_CHARS, SqlSyntaxError, SqlTooLargeError, type SqlParser } from '../../src/sql/parse.js'

let parser: SqlParser
beforeAll(async () => {
  parser = await loadSqlParser()
})

describe('parse: splitting', () => {
  it('keeps semicolons inside dollar-quoted bodies, strings, quoted identifiers and comments', () => {
    const source = [
      '-- a comment; with a semicolon',
      'CREATE TABLE "odd;name" (note text DEFAULT \'a;b\');',
      '/* block; comment /* nested; */ still comment */',
      'CREATE FUNCTION touch() RETURNS trigger AS $body$',
      'BEGIN',
      "  NEW.note := 'x;y'; -- inside",
      '  RETURN NEW;',
      'END;',
      '$body$ LANGUAGE plpgsql;',
      "SELECT E'it\\'s; fine', $$;$$"
    ].join('\n')
    const statements = parser.parse(source)
    expect(statements.map((s) => s.kind)).toEqual(['CreateStmt', 'CreateFunctionStmt', 'SelectStmt'])
    expect(statements.map((s) => s.line)).toEqual([2, 4, 10])
    expect(statements[1].text).toBe(source.split('\n').slice(3, 9).join('\n').replace(/;$/, ''))
    expect(statements[2].text).toBe("SELECT E'it\\'s; fine', $$;$$")
    for (const s of statements) expect(source.slice(s.start, s.end)).toBe(s.text)
  })

  it('reports byte and character offsets correctly after non-ASCII text', () => {
    const source = "SELECT 'héllo wörld 😀';\nSELECT 'ü'; SELECT 2"
    const statements = parser.parse(source)
    expect(statements.map((s) => s.text)).toEqual(["SELECT 'héllo wörld 😀'", "SELECT 'ü'", 'SELECT 2'])
    expect(statements.map((s) => [s.line, s.column])).toEqual([
      [1, 1],
      [2, 1],
      [2, 13]
    ])
    const bytes = Buffer.from(source, 'utf8')
    for (const s of statements) expect(bytes.subarray(s.startByte, s.endByte).toString('utf8')).toBe(s.text)
  })

  it('handles a first statement at offset 0, a last one without semicolon, and empty statements', () => {
    const statements = parser.parse('SELECT 1;; SELECT 2\n\n')
    expect(statements.map((s) => s.text)).toEqual(['SELECT 1', 'SELECT 2'])
    expect(statements[0].start).toBe(0)
  })

  it('returns no statements for comments only', () => {
    expect(parser.parse('-- nothing\n/* here */\n')).toEqual([])
    expect(parser.parse('   ')).toEqual([])
  })

  it('throws SqlSyntaxError with the line and column of the error', () => {
    const source = "SELECT 1;\nSELECT 'é😀'\n  FRM x;"
    let caught: unknown
    try {
      parser.parse(source)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(SqlSyntaxError)
    const error = caught as SqlSyntaxError
    // FRM parses as a column alias, so the error is at the x after it.
    expect(error.message).toMatch(/syntax error at or near "x"/)
    expect([error.line, error.column]).toEqual([3, 7])
    expect(source.slice(error.offset, error.offset + 2)).toBe('x;')
  })
})

describe('parse: a text larger than one piece', () => {
  /**
   * Statements whose semicolons and line ends are not where a naive cut would put them: a function
   * body, a string over several lines, a block comment, BEGIN ATOMIC and a rule action list (whose `;`
   * do not end the statement), non-ASCII text (UTF-8 offsets), and lines of several statements.
   */
  const BLOCK = [
    "INSERT INTO t VALUES (1, 'héllo; wörld 😀');",
    'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$\nBEGIN\n  PERFORM 1;\n  RETURN 2;\nEND $body$;',
    "SELECT 'a string\nover; several\nlines';",
    '/* a comment;\nover lines; */ SELECT 2; SELECT 3;',
    'CREATE FUNCTION g() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND;',
    'CREATE RULE r AS ON INSERT TO t DO ALSO (\n  INSERT INTO u VALUES (1);\n  INSERT INTO u VALUES (2)\n);',
    'SELECT "quoted;\nidentifier" FROM t;'
  ].join('\n')

  /** What libpg-query itself makes of the whole text in one call. */
  async function wholeParse(source: string): Promise<{ stmt_location?: number; stmt_len?: number; stmt: unknown }[]> {
    const lib = (await import('libpg-query')) as unknown as {
      loadModule(): Promise<void>
      parseSync(s: string): { stmts: { stmt_location?: number; stmt_len?: number; stmt: unknown }[] }
    }
    await lib.loadModule()
    return lib.parseSync(source).stmts
  }

  it('gives the statements one parse of the whole text gives, at the same places', async () => {
    const source = Array.from({ length: Math.ceil((2.5 * PIECE_CHARS) / BLOCK.length) }, () => BLOCK).join('\n')
    expect(source.length).toBeGreaterThan(2 * PIECE_CHARS)
    const whole = await wholeParse(source)
    const statements = parser.parse(source)
    // Compared as JSON: a deep comparison that fails would take minutes to print.
    expect(JSON.stringify(statements.map((s) => [s.startByte, s.node]))).toBe(JSON.stringify(whole.map((w) => [w.stmt_location ?? 0, w.stmt])))
    const bytes = Buffer.from(source, 'utf8')
    for (const s of statements) {
      expect(source.slice(s.start, s.end)).toBe(s.text)
      expect(bytes.subarray(s.startByte, s.endByte).toString('utf8')).toBe(s.text)
    }
    const last = statements[statements.length - 1]
    expect([last.line, last.text]).toEqual([source.split('\n').length - 1, 'SELECT "quoted;\nidentifier" FROM t'])
  })

  it('reports a syntax error far into the text at its line and column in the whole text', () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => `INSERT INTO t VALUES (${i}, 'row ${i}');`)
    lines[25_000] = 'INSERT INTO t VALUES (1, 2'
    lines[25_001] = 'SELEC 1;'
    const error = (() => {
      try {
        parser.parse(lines.join('\n'))
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(SqlSyntaxError)
    expect(error).toMatchObject({ message: 'syntax error at or near "SELEC"', line: 25_002, column: 1 })
  })

  it('refuses more statements than maxStatements as too large, not as a syntax error, naming where the limit is crossed', () => {
    expect(() => parser.parse('SELECT 1; SELECT 2;\nSELECT 3;', { maxStatements: 2 })).toThrow(expect.objectContaining({ name: 'SqlTooLargeError', limit: 2, line: 2 }))
    const big = Array.from({ length: 25_000 }, (_, i) => `SELECT ${i};`).join('\n')
    expect(big.length).toBeGreaterThan(PIECE_CHARS)
    expect(() => parser.parse(big, { maxStatements: 20_000 })).toThrow(SqlTooLargeError)
    expect(() => parser.parse(big, { maxStatements: 20_000 })).toThrow(expect.objectContaining({ line: 20_001 }))
    expect(parser.parse(big)).toHaveLength(25_000)
  })
})

describe('scan: the lexer', () => {
  it("gives each token's character offsets, also after tabs and non-ASCII text, and tells literals and comments apart", () => {
    const source = "SELECT 'tab\there', 'ü';\n\t/* c */ CREATE ROLE r PASSWORD $x$pw$x$;"
    const tokens = parser.scan(source)!
    expect(tokens.map((t) => [source.slice(t.start, t.end), t.kind, t.keyword])).toEqual([
      ['SELECT', 'UNKNOWN', 'SELECT'],
      ["'tab\there'", 'SCONST', undefined],
      [',', 'ASCII_44', undefined],
      ["'ü'", 'SCONST', undefined],
      [';', 'ASCII_59', undefined],
      ['/* c */', 'C_COMMENT', undefined],
      ['CREATE', 'UNKNOWN', 'CREATE'],
      ['ROLE', 'UNKNOWN', 'ROLE'],
      ['r', 'IDENT', undefined],
      ['PASSWORD', 'UNKNOWN', 'PASSWORD'],
      ['$x$pw$x$', 'SCONST', undefined],
      [';', 'ASCII_59', undefined]
    ])
  })

  it('scans text the grammar rejects, and ends with a token to the end of the text at a literal that is never closed', () => {
    expect(parser.scan('SELEC FROM WHERE;')!.map((t) => t.kind)).toEqual(['IDENT', 'UNKNOWN', 'UNKNOWN', 'ASCII_59'])
    const kinds = (source: string): [string, string][] => parser.scan(source)!.map((t) => [source.slice(t.start, t.end), t.kind])
    expect(kinds("SELECT 'é';\nSELECT 'open\nmore")).toEqual([
      ['SELECT', 'UNKNOWN'],
      ["'é'", 'SCONST'],
      [';', 'ASCII_59'],
      ['SELECT', 'UNKNOWN'],
      ["'open\nmore", 'UNTERMINATED']
    ])
    expect(kinds('SELECT $$ open')).toEqual([
      ['SELECT', 'UNKNOWN'],
      ['$$ open', 'UNTERMINATED']
    ])
    expect(kinds('/* open')).toEqual([['/* open', 'UNTERMINATED']])
    expect(kinds('SELECT 1; "open')).toEqual([
      ['SELECT', 'UNKNOWN'],
      ['1', 'ICONST'],
      [';', 'ASCII_59'],
      ['"open', 'UNTERMINATED']
    ])
  })
})

describe('parse: statements that cannot run in a transaction block', () => {
  const cases: [string, string | undefined][] = [
    ['CREATE INDEX CONCURRENTLY i ON t (a)', 'CREATE INDEX CONCURRENTLY'],
    ['CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t USING hnsw (e vector_cosine_ops)', 'CREATE INDEX CONCURRENTLY'],
    ['CREATE INDEX i ON t (a)', undefined],
    ['DROP INDEX CONCURRENTLY IF EXISTS i', 'DROP INDEX CONCURRENTLY'],
    ['DROP INDEX i', undefined],
    ['REINDEX INDEX CONCURRENTLY i', 'REINDEX … CONCURRENTLY'],
    ['REINDEX (CONCURRENTLY) TABLE t', 'REINDEX … CONCURRENTLY'],
    ['REINDEX (CONCURRENTLY false) TABLE t', undefined],
    ['REINDEX TABLE t', undefined],
    ['REINDEX DATABASE d', 'REINDEX DATABASE'],
    ['VACUUM t', 'VACUUM'],
    ['VACUUM (ANALYZE) t', 'VACUUM'],
    ['ANALYZE t', undefined],
    ["ALTER SYSTEM SET work_mem = '64MB'", 'ALTER SYSTEM'],
    ['CREATE DATABASE d', 'CREATE DATABASE'],
    ['DROP DATABASE d', 'DROP DATABASE'],
    ['ALTER DATABASE d SET TABLESPACE ts', 'ALTER DATABASE … SET TABLESPACE'],
    ["ALTER DATABASE d SET work_mem = '1MB'", undefined],
    ['ALTER TABLE p DETACH PARTITION c CONCURRENTLY', 'ALTER TABLE … DETACH PARTITION … CONCURRENTLY'],
    ['ALTER TABLE p DETACH PARTITION c', undefined],
    ['CLUSTER', 'CLUSTER without a table name'],
    ['CLUSTER t USING i', undefined],
    ["CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p", 'CREATE SUBSCRIPTION (creating a replication slot)'],
    ["CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (connect = false)", undefined],
    ["COMMIT PREPARED 'x'", 'COMMIT PREPARED'],
    ["ALTER TYPE mood ADD VALUE 'meh'", undefined],
    ['CREATE FUNCTION f() RETURNS void AS $$ VACUUM; $$ LANGUAGE sql', undefined],
    ["SELECT 'CREATE INDEX CONCURRENTLY x ON y (z)'", undefined],
    ['-- VACUUM t\nSELECT 1', undefined]
  ]
  it.each(cases)('%s', (sql, what) => {
    const [statement] = parser.parse(sql)
    expect(statement.noTransaction?.what).toBe(what)
    expect(statement.noTransaction?.reason?.includes('cannot run inside a transaction block') ?? false).toBe(what !== undefined)
  })

  it('treats ALTER TYPE … ADD VALUE as non-transactional only before PostgreSQL 12', () => {
    const sql = "ALTER TYPE mood ADD VALUE 'meh' BEFORE 'sad'"
    expect(parser.parse(sql, { serverVersionNum: 110022 })[0].noTransaction?.what).toBe('ALTER TYPE … ADD VALUE')
    expect(parser.parse(sql, { serverVersionNum: 120000 })[0].noTransaction).toBeUndefined()
    // RENAME VALUE was never restricted.
    expect(parser.parse("ALTER TYPE mood RENAME VALUE 'a' TO 'b'", { serverVersionNum: 110000 })[0].noTransaction).toBeUndefined()
  })

  it('marks transaction control statements', () => {
    const kinds = parser.parse("BEGIN; SAVEPOINT a; ROLLBACK TO a; COMMIT; START TRANSACTION; ROLLBACK; PREPARE TRANSACTION 'x'").map((s) => s.transactionControl)
    expect(kinds).toEqual(['begin', 'savepoint', 'savepoint', 'commit', 'begin', 'rollback', 'prepared'])
  })

  it('ignores unknown statement kinds', () => {
    expect(noTransactionReason('SelectStmt', {}, 170000)).toBeUndefined()
  })
})
