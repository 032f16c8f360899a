import { beforeEach, describe, expect, it } from '@jest/globals'
import { gate } from '../../src/lint/gate.js'
import type { Finding, LintResult } from '../../src/lint/lint.js'
import type { Risk } from '../../src/lint/rule.js'
import { clearSecretsForTests, registerSecret } from '../../src/redact.js'
import { commentMarker, MAX_COMMENT_CHARS, renderComment } from '../../src/report/comment.js'
import type { RunReport } from '../../src/report/model.js'
import type { Revision } from '../../src/engines/engine.js'
import { renderGfm } from '../support/gfm.js'

const marker = commentMarker({ workflow: 'CI', job: 'migrate', migrationsPath: 'db/migrations' })
const context = { marker, runUrl: 'https://github.example/octo/app/actions/runs/42/attempts/1', commit: '0123456789abcdef0123' }

function report(overrides: Partial<RunReport> = {}): RunReport {
  return { status: 'success', startedAt: new Date(0), durationMs: 1234, stages: [], problems: [], warnings: [], ...overrides }
}

function revision(id: string, description = `step ${id}`): Revision {
  return { id, parents: [], dependsOn: [], branchLabels: [], description, file: `db/migrations/${id}_${description.replace(/ /g, '_')}.sql` }
}

function finding(revision: string, risk: Risk, rule: Finding['rule'], message: string, line = 1): Finding {
  return { rule, risk, revision, file: `db/migrations/${revision}.sql`, line, message, saferWay: `the safer way for ${rule}` }
}

function lintOf(findings: Finding[], failOnRisk: 'none' | Risk = 'critical'): RunReport['lint'] {
  const result: LintResult = { findings, maxRisk: 'none', revisions: 2, statements: 4 }
  return { result, gate: gate(result, failOnRisk) }
}

describe('the pull request comment', () => {
  beforeEach(() => clearSecretsForTests())

  it('starts with the hidden marker of its workflow, job and chain, one line that cannot end the HTML comment', () => {
    const tricky = commentMarker({ workflow: 'CI --> <b>x</b>', job: 'a\nb', migrationsPath: './db/migrations/' })
    expect(tricky).toBe('<!-- pg-migrate-action:pr-comment workflow=CI%20--%3E%20%3Cb%3Ex%3C%2Fb%3E job=a%0Ab path=db%2Fmigrations -->')
    expect(commentMarker({ workflow: 'CI', job: 'migrate', migrationsPath: 'db/migrations' })).toBe(marker)
    expect(commentMarker({ workflow: 'CI', job: 'migrate', migrationsPath: 'db/other' })).not.toBe(marker)
    const body = renderComment(report({ mode: 'check' }), context)
    expect(body.split('\n')[0]).toBe(marker)
    // Hidden: an HTML block of its own, passed through as a comment rather than shown as text.
    const html = renderGfm(body)
    expect(html.startsWith(marker + '\n')).toBe(true)
    expect(html.indexOf('pg-migrate-action:pr-comment')).toBe(html.lastIndexOf('pg-migrate-action:pr-comment'))
  })

  it('plan: what would happen, the pending migrations with their risk, blocked findings first, and the link to the run', () => {
    const findings = [
      finding('0002', 'low', 'index-on-new-table', 'creates an index on new table items'),
      finding('0003', 'critical', 'drop-table', 'drops table documents', 4),
      finding('0003', 'medium', 'create-index-not-concurrent', 'builds an index without CONCURRENTLY', 7)
    ]
    const body = renderComment(
      report({
        mode: 'plan',
        migrationsPath: 'db/migrations',
        state: { current: ['0001'], applied: [], versionTableExists: true, problems: [] },
        pending: [revision('0002', 'add items'), revision('0003', 'drop documents')],
        plan: [revision('0002', 'add items'), revision('0003', 'drop documents')].map((r) => ({ revision: r, transactional: true, notes: [], sql: 'SELECT 1;' })),
        lint: lintOf(findings, 'critical')
      }),
      context
    )
    expect(body).toContain('### ⚠️ pg-migrate-action · plan: 2 pending migrations, 2 lint findings to review')
    expect(body).toContain('Nothing was applied (mode plan); the database this job checked is at `0001`. Migrating would apply 2 pending migrations.')
    expect(body).toContain('[Job summary](https://github.example/octo/app/actions/runs/42/attempts/1)')
    expect(body).toContain('commit `0123456789ab`')
    expect(body).toContain('#### Pending migrations')
    expect(body).toContain('| `0002` | add items | `0002_add_items.sql` | 🔵 low (1 finding) |')
    expect(body).toContain('| `0003` | drop documents | `0003_drop_documents.sql` | 🛑 critical (2 findings, 1 **blocked**) |')
    const lint = body.slice(body.indexOf('### Risk lint'))
    expect(lint.indexOf('drops table documents')).toBeGreaterThan(0)
    expect(lint.indexOf('drops table documents')).toBeLessThan(lint.indexOf('builds an index without CONCURRENTLY'))
    expect(lint).toContain('❌ **blocked**')
    expect(body).not.toContain('Left out')
  })

  it('migrate: what happened, each migration with its result, and where the database is now', () => {
    const body = renderComment(
      report({
        status: 'failure',
        mode: 'migrate',
        error: {
          stage: 'apply',
          code: 'migration-failed',
          message: 'Migration 0003 failed: relation "x" does not exist',
          hint: 'Fix 0003 and re-run.',
          details: [],
          location: {},
          bug: false
        },
        apply: {
          current: ['0002'],
          runs: [
            { id: '0002', description: 'add items', file: 'db/migrations/0002_add_items.sql', status: 'applied', attempts: 1, transactional: true, notes: [] },
            { id: '0003', description: 'break', file: 'db/migrations/0003_break.sql', status: 'failed', attempts: 1, transactional: true, notes: [] }
          ],
          failure: {
            revision: '0003',
            file: 'db/migrations/0003_break.sql',
            message: 'relation "x" does not exist',
            databaseState: 'rolled back: nothing of 0003 was applied',
            recovery: []
          }
        }
      }),
      context
    )
    expect(body).toContain('### ❌ pg-migrate-action · migrate: failed at **apply** on migration `0003` (1 of 2 applied)')
    expect(body).toContain('**Migration 0003 failed: relation &quot;x&quot; does not exist** <sub>[`migration-failed`]')
    expect(body).toContain('**What to do:** Fix 0003 and re-run.')
    expect(body).toContain('This run applied 1 migration of 2 before `0003` failed (rolled back: nothing of 0003 was applied). The database is now at `0002`.')
    expect(body).toContain('| `0002` | add items | `0002_add_items.sql` | ✅ applied |')
    expect(body).toContain('| `0003` | break | `0003_break.sql` | ❌ failed |')
  })

  it('shows the schema changes and the drift the run computed, and the round trip when it ran', () => {
    const body = renderComment(
      report({
        mode: 'validate',
        schemaChange: {
          status: 'computed',
          basis: 'copy',
          revisions: ['0002'],
          changes: [{ object: 'table public.items', change: 'added', after: 'id integer' }]
        },
        drift: { policy: 'warn', status: 'clean', replayed: 1, entries: [] },
        verifyDowngrade: { status: 'passed', revisions: ['0002'], steps: [], scope: 'pending' }
      }),
      context
    )
    const order = [
      '#### Schema changes',
      'table `public.items`',
      '#### Drift',
      '✅ No drift',
      '### Down-migration round trip (pending)',
      'Every down step of `0002` restores the schema'
    ]
    const at = order.map((text) => body.indexOf(text))
    expect(at.every((i) => i > 0)).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
    expect(renderComment(report({ mode: 'validate' }), context)).not.toMatch(/Schema changes|Drift|round trip/)
  })

  it('stays under GitHub’s 65,536 characters: the findings cut at a row, a section that does not fit left out whole, and a line saying what', () => {
    const findings = Array.from({ length: 600 }, (_, i) => finding('0002', 'high', 'drop-column', `drops column c${i} of table t${i} ${'x'.repeat(400)}`, i + 1))
    const body = renderComment(
      report({
        mode: 'plan',
        pending: [revision('0002')],
        lint: lintOf(findings, 'none'),
        schemaChange: {
          status: 'computed',
          basis: 'copy',
          revisions: ['0002'],
          // Long names: even the comment's 40 rows do not fit beside the findings.
          changes: Array.from({ length: 5000 }, (_, i) => ({ object: `column public.${'t'.repeat(1500)}${i}.c`, change: 'added' as const, after: 'text' }))
        },
        drift: { policy: 'warn', status: 'clean', replayed: 1, entries: [] }
      }),
      context
    )
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS)
    expect(body).toContain('### Risk lint')
    expect(body).toContain('| 🔴 high | [`drop-column`]')
    expect(body).not.toContain('#### Schema changes')
    // Smaller sections after the one left out still come.
    expect(body).toContain('✅ No drift: the schema is what its 1 applied migration creates.')
    const note = body.slice(body.indexOf('> [!NOTE]'))
    expect(note).toMatch(
      /^> \[!NOTE\]\n> Left out to stay under GitHub's limit of 65,536 characters for a comment: \d+ findings after the first \d+; Schema changes\. The \[job summary\]\(https:\/\/github\.example/
    )
    // Cut at boundaries: the findings table ends with a whole row.
    const table = body.slice(body.indexOf('| Risk |'), body.indexOf('\n\n', body.indexOf('| Risk |')))
    for (const row of table.split('\n')) expect(row).toMatch(/^\|.*\|$/)
  })

  it('redacts secrets from every section, also from markdown other stages rendered', () => {
    registerSecret('Sup3rSecretPw')
    const body = renderComment(
      report({
        status: 'failure',
        mode: 'migrate',
        error: { stage: 'wait', code: 'auth-failed', message: 'password authentication failed for Sup3rSecretPw', details: [], location: {}, bug: false },
        schemaChange: {
          status: 'computed',
          basis: 'copy',
          revisions: ['0002'],
          changes: [{ object: 'function public.f()', change: 'added', after: "SELECT 'postgres://app:Sup3rSecretPw@db/x'" }]
        }
      }),
      context
    )
    expect(body).not.toContain('Sup3rSecretPw')
    expect(body).toContain('password authentication failed for ***')
  })
})
