import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { clearSecretsForTests, registerSecret } from '../../src/redact.js'
import { fence } from '../../src/report/markdown.js'
import type { RunReport } from '../../src/report/model.js'
import { renderReport, renderReportSafely } from '../../src/report/render.js'

function report(overrides: Partial<RunReport> = {}): RunReport {
  return { status: 'success', startedAt: new Date(0), durationMs: 1234, stages: [], problems: [], warnings: [], ...overrides }
}

describe('renderReport', () => {
  beforeEach(() => clearSecretsForTests())

  it('headlines each mode and outcome', () => {
    expect(renderReport(report({ mode: 'check' }))).toMatch(/^## ✅ pg-migrate-action · check: server ready, extensions verified/)
    expect(renderReport(report({ mode: 'migrate', apply: { runs: [], current: ['0003'] } }))).toContain('database already up to date')
    const failed = report({
      status: 'failure',
      error: { stage: 'validate', code: 'chain-invalid', message: 'two heads', hint: 'merge them', details: [], location: { file: 'v/x.py', line: 3 }, bug: false }
    })
    const text = renderReport(failed)
    expect(text).toMatch(/^## ❌ pg-migrate-action · failed at \*\*validate\*\*/)
    expect(text).toContain('In `v/x.py:3`')
    expect(text).toContain('**What to do:** merge them')
    expect(text).not.toContain('stack trace')
  })

  describe('links each code to its entry in docs/errors.md', () => {
    const savedEnv = { ...process.env }
    afterEach(() => {
      process.env = { ...savedEnv }
    })
    const failed = (): RunReport =>
      report({
        status: 'failure',
        error: { stage: 'validate', code: 'chain-invalid', message: 'two heads', details: [], location: {}, bug: false },
        problems: [{ code: 'multiple-heads', severity: 'error', message: 'two heads', hint: 'merge', revisions: ['a', 'b'] }]
      })

    it('in the action’s repository at the ref the workflow runs, as the rule links', () => {
      Object.assign(process.env, { GITHUB_SERVER_URL: 'https://github.example.com', GITHUB_ACTION_REPOSITORY: 'acme/pg-migrate-action', GITHUB_ACTION_REF: 'v1.4.2' })
      const text = renderReport(failed())
      const errors = 'https://github.example.com/acme/pg-migrate-action/blob/v1.4.2/docs/errors.md'
      expect(text).toContain(`Code: [\`chain-invalid\`](${errors}#chain-invalid)`)
      expect(text).toContain(`two heads <sub>[\`multiple-heads\`](${errors}#multiple-heads)</sub>`)
    })

    it('relative to this repository when not run as an action (uses: ./, local-action)', () => {
      delete process.env.GITHUB_ACTION_REPOSITORY
      delete process.env.GITHUB_ACTION_REF
      expect(renderReport(failed())).toContain('Code: [`chain-invalid`](docs/errors.md#chain-invalid)')
    })
  })

  it('lists the chain of a run that stopped before validation (lock timeout), without a graph', () => {
    const chain = { engine: 'sql' as const, directory: 'm', revisions: [], notes: ['3 SQL migrations (plain files); history table public.pg_migrate_history.'] }
    const text = renderReport(report({ status: 'failure', chain }))
    expect(text).toContain('<summary><b>Chain</b>: 0 revisions</summary>\n\n- 3 SQL migrations (plain files)')
    expect(text).not.toContain('mermaid')
  })

  it('escapes HTML and table syntax from SQL and server messages', () => {
    const text = renderReport(
      report({
        status: 'failure',
        mode: 'migrate',
        error: { stage: 'apply', code: 'migration-failed', message: 'operator does not exist: vector <-> text', details: [], location: {}, bug: false },
        apply: {
          current: [],
          runs: [{ id: '0001', description: 'a | b <script>', file: 'm/0001.sql', status: 'failed', attempts: 1, transactional: true, notes: [] }],
          failure: {
            revision: '0001',
            file: 'm/0001.sql',
            line: 1,
            message: 'operator does not exist: vector <-> text',
            databaseState: 'rolled back',
            recovery: ['fix it'],
            excerpt: 'SELECT a <-> b FROM t -- ```'
          }
        }
      })
    )
    expect(text).toContain('operator does not exist: vector &lt;-&gt; text')
    expect(text).toContain('a \\| b &lt;script&gt;')
    expect(text).not.toContain('<script>')
    // The SQL excerpt keeps its text and gets a fence longer than the backticks inside it.
    expect(text).toContain('> ````sql\n> SELECT a <-> b FROM t -- ```\n> ````')
  })

  it('names the session that held the lock a migration timed out on', () => {
    const text = renderReport(
      report({
        status: 'failure',
        mode: 'migrate',
        error: { stage: 'apply', code: 'migration-failed', message: 'canceling statement due to lock timeout', details: [], location: {}, bug: false },
        apply: {
          current: [],
          runs: [{ id: '0002', description: 'alter', file: 'm/0002.sql', status: 'failed', attempts: 1, transactional: true, notes: [] }],
          failure: {
            revision: '0002',
            file: 'm/0002.sql',
            sqlState: '55P03',
            message: 'canceling statement due to lock timeout',
            databaseState: 'rolled back',
            recovery: ['wait'],
            blockedBy: [{ pid: 4711, applicationName: 'psql', state: 'idle in transaction', query: 'LOCK TABLE busy', runningForMs: 12_345 }]
          }
        }
      })
    )
    expect(text).toContain('> Lock held by: pid 4711 (psql, idle in transaction for 12.3 s): LOCK TABLE busy\n')
  })

  it('says which migrations another run applied while this one re-acquired a lost lock', () => {
    const text = renderReport(
      report({
        mode: 'migrate',
        apply: {
          current: ['0004'],
          runs: [{ id: '0001', description: 'setup', file: 'm/0001.sql', status: 'applied', attempts: 1, transactional: true, notes: [] }],
          appliedElsewhere: ['0002', '0003', '0004']
        }
      })
    )
    expect(text).toContain('Applied by another run while this one re-acquired the lost migration lock: `0002`, `0003`, `0004`.')
  })

  it('redacts secrets as the very last step', () => {
    registerSecret('hunter2-secret')
    const text = renderReport(
      report({
        status: 'failure',
        error: {
          stage: 'wait',
          code: 'connection-failed',
          message: 'could not use postgres://u:hunter2-secret@h/db',
          hint: 'hunter2-secret',
          details: ['hunter2-secret'],
          location: {},
          bug: false
        }
      })
    )
    expect(text).not.toContain('hunter2-secret')
    expect(text).toContain('postgres://u:***@h/db')
  })

  it('shows the stack of a bug, collapsed', () => {
    const text = renderReport(
      report({
        status: 'failure',
        error: { stage: 'apply', code: 'internal-error', message: 'Internal error: boom', details: [], location: {}, bug: true, stack: 'Error: boom\n    at x' }
      })
    )
    expect(text).toContain('<details><summary>This is a bug in pg-migrate-action')
    expect(text).toContain('at x')
  })

  it('keeps the report within the job summary budget', () => {
    const huge = 'x'.repeat(2_000_000)
    const text = renderReport(report({ warnings: [huge] }))
    expect(text.length).toBeLessThan(1_000_000)
    expect(text).toContain('cut to fit the job summary limit')
  })

  it('counts the budget in bytes, as GitHub does, and cuts only between sections', () => {
    // 600,000 characters but 1.2 MB: under a character budget, over GitHub's 1 MiB.
    const text = renderReport(report({ mode: 'check', warnings: ['é'.repeat(600_000)] }))
    expect(Buffer.byteLength(text)).toBeLessThan(1024 * 1024)
    expect(text).toMatch(/^## ✅ pg-migrate-action · check/)
    expect(text).not.toContain('é')
    expect(text).toContain('cut to fit the job summary limit')
  })
})

describe('renderReportSafely', () => {
  beforeEach(() => clearSecretsForTests())

  it("still produces a summary, with the run's own error, when the renderer throws", () => {
    registerSecret('s3cr3t-pw')
    const broken = report({
      status: 'failure',
      stages: [{ name: 'wait', status: 'failed', durationMs: 12, summary: 'refused' }],
      error: { stage: 'wait', code: 'server-not-ready', message: 'not ready at postgres://u:s3cr3t-pw@h/db', hint: 'raise wait-timeout', details: [], location: {}, bug: false }
    })
    const text = renderReportSafely(broken, () => {
      throw new Error('boom in a section')
    })
    expect(text).toContain('## ❌ pg-migrate-action: the report could not be rendered')
    expect(text).toContain('boom in a section')
    expect(text).toContain('| wait | failed | 12 ms | refused |')
    expect(text).toContain("**The run's own error** (wait): not ready at postgres://u:***@h/db — raise wait-timeout")
    expect(text).not.toContain('s3cr3t-pw')
  })

  it('marks a run that had succeeded as failed, naming the bug', () => {
    const ok = report({ mode: 'check' })
    renderReportSafely(ok, () => {
      throw new Error('boom')
    })
    expect(ok.status).toBe('failure')
    expect(ok.error).toMatchObject({ stage: 'report', bug: true })
    expect(ok.error?.message).toContain('boom')
  })

  it('is the plain renderer when nothing throws', () => {
    const ok = report({ mode: 'check' })
    expect(renderReportSafely(ok)).toBe(renderReport(ok))
  })
})

describe('pending migrations', () => {
  const revision = { id: '0003', parents: ['0002'], dependsOn: [], branchLabels: [], description: 'index', file: 'm/0003.sql' }
  it('show the transaction mode only when the SQL was planned', () => {
    const planned = [{ revision, transactional: false, notes: ['CONCURRENTLY'], sql: 'CREATE INDEX CONCURRENTLY i ON t (c)' }]
    const plan = renderReport(report({ mode: 'plan', pending: [revision], plan: planned }))
    expect(plan).toContain('| `0003` | index | `0003.sql` | 1 line | runs outside a transaction<br>CONCURRENTLY |')
    expect(plan).toContain('CREATE INDEX CONCURRENTLY i ON t (c)')
    const validate = renderReport(report({ mode: 'validate', pending: [revision] }))
    expect(validate).toContain('| `0003` | index | `0003.sql` |\n')
    expect(validate).not.toContain('transaction')
  })
})

describe('the failure of an Alembic revision', () => {
  it('shows the Python line and the SQL statement it sent', () => {
    const text = renderReport(
      report({
        status: 'failure',
        mode: 'migrate',
        apply: {
          current: ['a1'],
          runs: [],
          failure: {
            revision: 'b2',
            file: 'alembic/versions/b2_add.py',
            line: 21,
            message: 'sqlalchemy.exc.ProgrammingError: (psycopg2.errors.UndefinedTable) relation "embeddings" does not exist',
            statement: 'CREATE INDEX ix ON embeddings USING hnsw (v vector_cosine_ops)',
            excerpt: '> 21 |     op.create_index("ix", "embeddings", ["v"])',
            databaseState: 'rolled back: nothing of this run was applied',
            recovery: ['fix b2', 'run again']
          }
        }
      })
    )
    expect(text).toContain('> ```python\n> > 21 |     op.create_index')
    expect(text).toContain('> **Statement sent to the server:**\n>\n> ```sql\n> CREATE INDEX ix ON embeddings')
    expect(text).toContain('> **What to do:** fix b2\n>\n> run again')
  })
})

describe('fence', () => {
  it('uses at least three backticks', () => {
    expect(fence('select 1', 'sql')).toBe('```sql\nselect 1\n```\n')
  })
})

describe('the failure callout', () => {
  const run = (id: string, status: 'applied' | 'failed' | 'not-run') => ({ id, description: `d${id}`, file: `m/${id}.sql`, status, attempts: 1, transactional: true, notes: [] })
  const failed = (runs: ReturnType<typeof run>[]): RunReport =>
    report({
      status: 'failure',
      mode: 'migrate',
      error: {
        stage: 'apply',
        code: 'migration-failed',
        message: 'Migration 0003 failed: boom',
        hint: 'Fix it',
        details: ['rolled back'],
        location: { file: 'm/0003.sql', line: 2 },
        bug: false
      },
      apply: {
        current: ['0002'],
        runs,
        failure: {
          revision: '0003',
          file: 'm/0003.sql',
          line: 2,
          sqlState: '42703',
          message: 'column "x" does not exist',
          databaseState: 'Rolled back: nothing of m/0003.sql was applied.',
          recovery: ["Fix m/0003.sql, or accept it: `UPDATE h SET checksum = '0123456789abcdef0123456789abcdef' WHERE version = '0003';` then run again."]
        }
      }
    })

  it('opens with the error and SQLSTATE, then file:line, then one database state line, then the next step with its command fenced', () => {
    const text = renderReport(failed([run('0001', 'applied'), run('0002', 'applied'), run('0003', 'failed'), run('0004', 'not-run')]))
    const callout = text.slice(text.indexOf('> [!CAUTION]'))
    const blocks = callout.split('\n>\n')
    expect(blocks[0]).toBe('> [!CAUTION]\n> **Migration `0003` failed: column &quot;x&quot; does not exist (SQLSTATE `42703`)**')
    expect(blocks[1]).toBe('> In `m/0003.sql:2`')
    expect(blocks[2]).toBe('> **Database state:** 2 revisions, `0001` → `0002`, committed in this run; now at `0002`. Rolled back: nothing of m/0003.sql was applied.')
    expect(callout).toContain(
      "> **What to do:** Fix m/0003.sql, or accept it: the command below then run again.\n>\n> ```sh\n> UPDATE h SET checksum = '0123456789abcdef0123456789abcdef' WHERE version = '0003';\n> ```"
    )
    // Said once: not repeated in a stages row, a failed-migration table or a recovery list.
    expect(text.split('column &quot;x&quot; does not exist')).toHaveLength(2)
    expect(text.split('Rolled back: nothing of m/0003.sql')).toHaveLength(2)
  })

  it('shows the rows around the failure of a long chain and folds the rest', () => {
    const runs = Array.from({ length: 40 }, (_, i) => run(String(i + 1).padStart(4, '0'), i < 29 ? 'applied' : i === 29 ? 'failed' : 'not-run'))
    const text = renderReport(failed(runs))
    const visible = text.slice(0, text.indexOf('<details><summary>All 40 migrations'))
    const migrationsTable = visible.slice(visible.indexOf('### Migrations'))
    expect(migrationsTable.match(/^\| `\d{4}` /gm)).toEqual(['| `0027` ', '| `0028` ', '| `0029` ', '| `0030` ', '| `0031` ', '| `0032` ', '| `0033` '])
    expect(text).toContain('<details><summary>All 40 migrations (33 more)</summary>')
    expect(text).toContain('| `0001` | d0001 | ✅ applied |')
  })

  it('says a note every migration shares once, above the table', () => {
    const runs = [run('0001', 'applied'), run('0002', 'applied')].map((r) => ({ ...r, notes: ['checked by hand'] }))
    const text = renderReport(report({ mode: 'migrate', apply: { current: ['0002'], runs } }))
    expect(text).toContain('checked by hand (every migration)\n\n| Revision |')
    expect(text.split('checked by hand')).toHaveLength(2)
  })
})

describe('warnings', () => {
  it('lists a chain problem once, in the Chain problems table, not again under Warnings', () => {
    const problem = { code: 'multiple-heads' as const, severity: 'warning' as const, message: 'the chain branches at a1', hint: 'merge later', revisions: ['a1'] }
    const text = renderReport(report({ mode: 'validate', problems: [problem], warnings: [problem.message, 'the server is slow'] }))
    expect(text.split('the chain branches at a1')).toHaveLength(2)
    expect(text).toContain('### Warnings\n\n- ⚠️ the server is slow\n')
  })

  it('leaves out the Where column when no problem has a file', () => {
    const problem = { code: 'multiple-heads' as const, severity: 'warning' as const, message: 'the chain branches at a1', hint: 'merge later', revisions: ['a1'] }
    const text = renderReport(report({ mode: 'validate', problems: [problem] }))
    expect(text).toContain('|  | Problem |\n| --- | --- |\n')
    const located = renderReport(report({ mode: 'validate', problems: [{ ...problem, file: 'm/a1.py', line: 3 }] }))
    expect(located).toContain('|  | Problem | Where |')
    expect(located).toContain('`a1.py:3`')
  })
})

describe('width discipline', () => {
  it('moves a long note (here carrying SQL) out of the table row, under the table, once', () => {
    const revision = (id: string) => ({ id, parents: [], dependsOn: [], branchLabels: [], description: 'd', file: `m/${id}.py` })
    const long =
      'Alembic first creates its version table: CREATE TABLE alembic_version ( version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num) );'
    const plan = [
      { revision: revision('a1'), transactional: true, notes: [long], sql: 'SELECT 1;' },
      { revision: revision('b2'), transactional: true, notes: [], sql: 'SELECT 2;' }
    ]
    const text = renderReport(report({ mode: 'plan', pending: plan.map((p) => p.revision), plan }))
    expect(text).toContain('| `a1` | d | `a1.py` | 1 line | see note a |')
    expect(text).toContain(`- **a.** ${long}`)
    expect(text.split('CREATE TABLE alembic_version')).toHaveLength(2)
  })
})
