import { afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { checksumOf, type SqlMigration } from '../../src/engines/sql/files.js'
import { planMigration } from '../../src/engines/sql/plan.js'
import { clearSecretsForTests, redact } from '../../src/redact.js'
import { loadSqlParser, type SqlParser } from '../../src/sql/parse.js'
import { findSqlSecrets, maskStringLiterals, registerSqlSecrets } from '../../src/sql/secrets.js'

let parser: SqlParser
beforeAll(async () => {
  parser = await loadSqlParser()
})
afterEach(() => clearSecretsForTests())

const values = (sql: string): string[] => findSqlSecrets(parser, sql).map((s) => s.value)

describe('password literals in migration SQL', () => {
  it('finds role passwords and password options of user mappings and servers, with their positions', () => {
    const sql = [
      "CREATE ROLE app LOGIN PASSWORD 'sekrit';",
      "ALTER USER app WITH ENCRYPTED PASSWORD 'it''s-2';",
      "CREATE USER MAPPING FOR app SERVER remote OPTIONS (user 'app', password 'mapping-pw');",
      'ALTER USER MAPPING FOR app SERVER remote OPTIONS (SET "password" \'changed-pw\');',
      "CREATE SERVER remote FOREIGN DATA WRAPPER dblink_fdw OPTIONS (host 'db', password $pw$dollar-pw$pw$);",
      "ALTER ROLE app PASSWORD E'back\\\\slash';",
      'ALTER ROLE app PASSWORD NULL;',
      "SELECT 'PASSWORD', password FROM accounts;"
    ].join('\n')
    const found = findSqlSecrets(parser, sql)
    expect(found.map((s) => s.value)).toEqual(['sekrit', "it's-2", 'mapping-pw', 'changed-pw', 'dollar-pw', 'back\\slash'])
    for (const s of found) expect(sql.slice(s.start, s.end)).toMatch(/^(E?'|\$pw\$).*('|\$pw\$)$/)
    expect(found[1].written).toBe("it''s-2")
  })

  it('finds them in text the grammar rejects, and after tabs and non-ASCII text', () => {
    expect(values("CREATE ROLE app PASSWORD 'sekrit' SYNTAX ERROR HERE;")).toEqual(['sekrit'])
    expect(values("SELECT 'héllo\tthere';\n\tCREATE ROLE ünï PASSWORD 'pässwörd';")).toEqual(['pässwörd'])
    expect(values("CREATE ROLE app PASSWORD 'sekrit';\nSELECT 'a string never closed;\n")).toEqual(['sekrit'])
  })

  it('registers them, so redaction removes every spelling from any text', () => {
    registerSqlSecrets(parser, "CREATE ROLE a PASSWORD 'sekrit'; CREATE ROLE b PASSWORD 'o''hara';")
    expect(redact("CREATE ROLE a PASSWORD 'sekrit'; -- sekrit")).toBe("CREATE ROLE a PASSWORD '***'; -- ***")
    expect(redact("CREATE ROLE b PASSWORD 'o''hara' (o'hara)")).toBe("CREATE ROLE b PASSWORD '***' (***)")
  })

  it('are registered when a migration is planned, from both sections, also when it cannot run as written', () => {
    const up = "CREATE ROLE app PASSWORD 'plan-pw';\nSELEC 1;"
    const down = "ALTER ROLE app PASSWORD 'old-pw';\n"
    const fileText = `-- migrate:up\n${up}\n-- migrate:down\n${down}`
    const file = 'db/0001_role.sql'
    const m: SqlMigration = {
      version: '0001',
      name: 'role',
      style: 'dbmate',
      file,
      up: { text: up, startLine: 2, file, fileText },
      down: { text: down, startLine: 5, file, fileText },
      checksum: checksumOf(up),
      directives: []
    }
    expect(planMigration(parser, m, 150000).invalid).toMatchObject({ line: 3 })
    expect(redact(fileText)).toBe(fileText.replace('plan-pw', '***').replace('old-pw', '***'))
  })
})

describe('password literals inside bodies and dynamic SQL (issue 16 #11)', () => {
  it('finds them in DO bodies and function bodies, dollar-quoted or quoted', () => {
    expect(values("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app') THEN CREATE ROLE app LOGIN PASSWORD 'do-pw'; END IF; END $$;")).toEqual(['do-pw'])
    expect(values("CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $fn$ ALTER ROLE app PASSWORD 'fn-pw' $fn$;")).toEqual(['fn-pw'])
    expect(values("DO 'BEGIN ALTER ROLE app PASSWORD ''quoted-pw''; END';")).toEqual(['quoted-pw'])
  })

  it("finds them in EXECUTE strings, nested to any depth, and registers each level's spelling", () => {
    const sql = "DO $a$ BEGIN EXECUTE 'DO $b$ BEGIN EXECUTE ''ALTER ROLE app PASSWORD ''''it''''''''s-deep''''''; END $b$'; END $a$;"
    const [found] = findSqlSecrets(parser, sql)
    expect(found.value).toBe("it's-deep")
    expect(found.spellings).toEqual(["it''s-deep", "it''''s-deep", "it''''''''s-deep"])
    expect(sql).toContain(found.written)
    registerSqlSecrets(parser, sql)
    expect(redact(sql)).not.toContain('s-deep')
    expect(redact(`CONTEXT: SQL statement "ALTER ROLE app PASSWORD 'it''s-deep'"`)).not.toContain('s-deep')
  })

  it('follows format(), concatenation and a variable given a literal', () => {
    const body = [
      'DO $$',
      "DECLARE pw text := 'var-pw'; other text DEFAULT 'not-a-password';",
      'BEGIN',
      "  EXECUTE format('ALTER ROLE %I PASSWORD %L', 'app', 'format-pw');",
      "  EXECUTE format('ALTER ROLE %2$I PASSWORD ''%1$s''', 'positional-pw', 'app');",
      "  EXECUTE format('ALTER ROLE app PASSWORD %L', pw);",
      "  EXECUTE 'ALTER ROLE app PASSWORD ' || quote_literal('concat-pw');",
      "  EXECUTE 'ALTER ROLE app PASSWORD ''' || 'raw-concat-pw' || '''';",
      "  RAISE NOTICE '%', other;",
      'END $$;'
    ].join('\n')
    expect(values(body).sort()).toEqual(['concat-pw', 'format-pw', 'positional-pw', 'raw-concat-pw', 'var-pw'])
  })

  it('leaves literals alone that set no password', () => {
    expect(values("DO $$ BEGIN RAISE NOTICE 'password policy: %', 'strict'; EXECUTE format('SELECT %L', 'harmless'); END $$;")).toEqual([])
  })
})

describe('maskStringLiterals, for SQL of another session', () => {
  it('replaces every string literal, also one cut off at the end', () => {
    expect(maskStringLiterals(parser, "ALTER ROLE x PASSWORD 'abc'; SELECT $q$zz$q$, E'it\\'s', 'cut off")).toBe("ALTER ROLE x PASSWORD '…'; SELECT '…', '…', '…'")
    expect(maskStringLiterals(parser, 'LOCK TABLE "quoted ""name""" IN ACCESS EXCLUSIVE MODE')).toBe('LOCK TABLE "quoted ""name""" IN ACCESS EXCLUSIVE MODE')
  })
})
