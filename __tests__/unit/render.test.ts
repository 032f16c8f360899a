import { beforeEach, describe, expect, it } from '@jest/globals'
import { ERRORS_DOC_URL } from '../../src/codes.js'
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
    expect(renderReport(report({ mode: 'check' }))).toMatch(/^## ✅ pg-migrate-action: server ready, extensions verified/)
    expect(renderReport(report({ mode: 'migrate', apply: { runs: [], current: ['0003'] } }))).toContain('database already up to date')
    const failed = report({
      status: 'failure',
      error: { stage: 'validate', code: 'chain-invalid', message: 'two heads', hint: 'merge them', details: [], location: { file: 'v/x.py', line: 3 }, bug: false }
    })
    const text = renderReport(failed)
    expect(text).toMatch(/^## ❌ pg-migrate-action failed at \*\*validate\*\*/)
    expect(text).toContain('In `v/x.py:3`')
    expect(text).toContain('**What to do:** merge them')
    expect(text).not.toContain('stack trace')
  })

  it('links the error code and every problem code to its entry in docs/errors.md', () => {
    const text = renderReport(
      report({
        status: 'failure',
        error: { stage: 'validate', code: 'chain-invalid', message: 'two heads', details: [], location: {}, bug: false },
        problems: [{ code: 'multiple-heads', severity: 'error', message: 'two heads', hint: 'merge', revisions: ['a', 'b'] }]
      })
    )
    expect(text).toContain(`Code: [\`chain-invalid\`](${ERRORS_DOC_URL}#chain-invalid)`)
    expect(text).toContain(`[\`multiple-heads\`](${ERRORS_DOC_URL}#multiple-heads) two heads`)
  })

  it('lists the chain of a run that stopped before validation (lock timeout), without a graph', () => {
    const chain = { engine: 'sql' as const, directory: 'm', revisions: [], notes: ['3 SQL migrations (plain files); history table public.pg_migrate_history.'] }
    const text = renderReport(report({ status: 'failure', chain }))
    expect(text).toContain('### Chain\n\n0 revisions\n- 3 SQL migrations (plain files)')
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
    expect(text).toContain('````sql\nSELECT a <-> b FROM t -- ```\n````')
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
    expect(text).toContain('| Lock held by | pid 4711 (psql, idle in transaction for 12.3 s): LOCK TABLE busy |')
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
    expect(text).toContain('| Applied by another run | `0002`, `0003`, `0004` (while this run re-acquired the lost migration lock) |')
  })

  it('redacts secrets as the very last step', () => {
    registerSecret('hunter2-secret')
    const text = renderReport(
      report({ status: 'failure', error: { stage: 'wait', code: 'connection-failed', message: 'could not use postgres://u:hunter2-secret@h/db', hint: 'hunter2-secret', details: ['hunter2-secret'], location: {}, bug: false } })
    )
    expect(text).not.toContain('hunter2-secret')
    expect(text).toContain('postgres://u:***@h/db')
  })

  it('shows the stack of a bug, collapsed', () => {
    const text = renderReport(report({ status: 'failure', error: { stage: 'apply', code: 'internal-error', message: 'Internal error: boom', details: [], location: {}, bug: true, stack: 'Error: boom\n    at x' } }))
    expect(text).toContain('<details><summary>This is a bug in pg-migrate-action')
    expect(text).toContain('at x')
  })

  it('keeps the report within the job summary budget', () => {
    const huge = 'x'.repeat(2_000_000)
    const text = renderReport(report({ warnings: [huge] }))
    expect(text.length).toBeLessThan(1_000_000)
    expect(text).toContain('cut to fit the job summary limit')
  })
})

describe('renderReportSafely', () => {
  beforeEach(() => clearSecretsForTests())

  it('still produces a summary, with the run\'s own error, when the renderer throws', () => {
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
    expect(plan).toContain('| `0003` | index | `m/0003.sql` | **no** | CONCURRENTLY |')
    expect(plan).toContain('CREATE INDEX CONCURRENTLY i ON t (c)')
    const validate = renderReport(report({ mode: 'validate', pending: [revision] }))
    expect(validate).toContain('| `0003` | index | `m/0003.sql` |\n')
    expect(validate).not.toContain('Transaction')
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
    expect(text).toContain('```python\n> 21 |     op.create_index')
    expect(text).toContain('**Statement sent to the server:**\n\n```sql\nCREATE INDEX ix ON embeddings')
    expect(text).toContain('1. fix b2\n2. run again')
  })
})

describe('fence', () => {
  it('uses at least three backticks', () => {
    expect(fence('select 1', 'sql')).toBe('```sql\nselect 1\n```\n')
  })
})
