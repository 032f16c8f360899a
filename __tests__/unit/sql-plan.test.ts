import { beforeAll, describe, expect, it } from '@jest/globals'
import type { SqlMigration } from '../../src/engines/sql/files.js'
import { checksumOf } from '../../src/engines/sql/files.js'
import { planMigration } from '../../src/engines/sql/plan.js'
import { loadSqlParser, type SqlParser } from '../../src/sql/parse.js'

let parser: SqlParser
beforeAll(async () => {
  parser = await loadSqlParser()
})

/** A dbmate file whose up section starts on line 2. */
function migration(up: string): SqlMigration {
  const file = 'db/0001_load.sql'
  const fileText = `-- migrate:up\n${up}`
  return {
    version: '0001',
    name: 'load',
    style: 'dbmate',
    file,
    up: { text: up, startLine: 2, file, fileText },
    checksum: checksumOf(up),
    directives: []
  }
}

describe('planMigration: COPY … FROM stdin', () => {
  it('refuses psql inline COPY data before running, naming the line and how to load data instead', () => {
    const planned = planMigration(parser, migration('CREATE TABLE t (a int, b text);\nCOPY t (a, b) FROM stdin;\n1\tone\n2\ttwo\n\\.\nSELECT 1;\n'), 150000)
    expect(planned.invalid).toMatchObject({ line: 3, column: 1 })
    expect(planned.invalid!.message).toContain('db/0001_load.sql line 3: "COPY t (a, b) FROM stdin" reads its rows from the client')
    expect(planned.invalid!.message).toContain('psql feature')
    expect(planned.invalid!.hint).toContain('INSERT … VALUES')
    expect(planned.invalid!.hint).toContain("COPY … FROM '/path/on/the/database/server'")
    expect(planned.invalid!.hint).toContain('\\copy in a separate workflow step')
  })

  it('refuses COPY FROM STDIN without rows too, and leaves server-side COPY and COPY TO alone', () => {
    expect(planMigration(parser, migration('COPY t FROM STDIN WITH (FORMAT csv);'), 150000).invalid?.message).toContain('reads its rows from the client')
    const fine = planMigration(parser, migration("COPY t FROM '/srv/rows.csv';\nCOPY t TO STDOUT;\nCOPY t FROM PROGRAM 'cat /srv/rows.csv';\n"), 150000)
    expect(fine.invalid).toBeUndefined()
    expect(fine.statements).toHaveLength(3)
  })

  it('still reports an ordinary syntax error as one', () => {
    const planned = planMigration(parser, migration('COPY t FROM stdin;\n\\.\n'), 150000)
    expect(planned.invalid?.message).toContain('reads its rows from the client')
    expect(planMigration(parser, migration('SELEC 1;\n'), 150000).invalid).toMatchObject({ line: 2, sqlState: '42601' })
  })
})

describe('planMigration: a statement PostgreSQL refuses in a transaction block, inside the file own BEGIN … COMMIT', () => {
  it('refuses the file before anything runs, naming the statement, the BEGIN and the fix, instead of planning it to run outside a transaction', () => {
    const planned = planMigration(parser, migration('BEGIN;\nCREATE TABLE t (id int);\nCREATE INDEX CONCURRENTLY t_id_idx ON t (id);\nCOMMIT;\n'), 150000)
    expect(planned.invalid).toEqual({
      message:
        "db/0001_load.sql line 4: CREATE INDEX CONCURRENTLY cannot run inside a transaction block, and the file's own BEGIN (line 2) opens one around it: run as written, it would fail there, after the statements before it ran outside a transaction.",
      line: 4,
      column: 1,
      hint: 'Remove BEGIN and COMMIT from the file: a file holding CREATE INDEX CONCURRENTLY runs outside a transaction, statement by statement, without them. Keep such a statement in a file of its own, so a failure leaves nothing half-applied.'
    })
    expect(planned.notes).toEqual([])
  })

  it('still plans the statement outside a transaction without BEGIN, or after the COMMIT', () => {
    for (const up of ['CREATE INDEX CONCURRENTLY t_id_idx ON t (id);\n', 'BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY t_id_idx ON t (id);\n']) {
      const planned = planMigration(parser, migration(up), 150000)
      expect(planned.invalid).toBeUndefined()
      expect(planned.transactional).toBe(false)
    }
  })
})
