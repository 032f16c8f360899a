import { afterAll, expect, it } from '@jest/globals'
// @ts-expect-error -- plain ESM script without type declarations
import { runAction } from '../../scripts/run-action.mjs'
import { type ActionRun, visible } from '../support/action-run.js'
import { describeNeeding } from '../support/capabilities.js'
import { createTestDatabase, dropTestDatabases } from '../support/database.js'

/**
 * Issue 16 #12, run through the bundle as the runner runs it: a huge input must not be copied into
 * every message that names it.
 */

describeNeeding(['database'], 'huge input values are cut where a message repeats them (issue 16 #12)', () => {
  afterAll(() => dropTestDatabases())
  const huge = (head: string): string => head + 'x'.repeat(120_000)

  it.each([
    ['mode', { mode: huge('m') }],
    ['extensions, one long name', { extensions: huge('e') }],
    ['extensions, thousands of names', { extensions: Array.from({ length: 12_000 }, (_, i) => `ext${i}`).join(',') }],
    ['migrations-path', { 'migrations-path': huge('p') }],
    ['history-table', { 'history-table': huge('h') }],
    ['python', { python: huge('py') }],
    ['alembic-requirements', { 'alembic-requirements': huge('r') }],
    ['repair-revision outside repair mode', { 'repair-revision': huge('r') }],
    ['repair-revision in repair mode', { mode: 'repair', 'repair-action': 'mark-applied', 'repair-revision': huge('r'), 'migrations-path': 'migrations-example/sql' }],
    ['sslrootcert in database-url', { 'database-url': '' }]
  ])(
    '%s',
    async (label, inputs) => {
      const db = await createTestDatabase()
      const given: Record<string, string> = { 'database-url': db.url, 'migrations-path': 'migrations-example/sql', ...inputs }
      if (label.startsWith('sslrootcert')) given['database-url'] = `${db.url}?sslrootcert=/${'c'.repeat(120_000)}`
      const result = (await runAction({ inputs: given })) as ActionRun
      expect(result.exitCode).toBe(1)
      expect(result.summary.length).toBeLessThan(10_000)
      expect(result.stdout.length).toBeLessThan(10_000)
      expect(visible(result)).toMatch(/… \([\d,]+ more characters\)|\d+ more extensions of the input|at most 100 are checked/)
      // Cut to a few hundred characters wherever it is repeated.
      expect(visible(result)).not.toMatch(/[xc]{1000}/)
    },
    60_000
  )
})
