import { describe, expect, it } from '@jest/globals'
import { readdirSync } from 'node:fs'
import { lintPending, type LintOptions } from '../../../src/lint/lint.js'
import { RULES } from '../../../src/lint/registry.js'
import { RISKS } from '../../../src/lint/rule.js'
import { lintSql, rulesOf, sqlRevision } from './helpers.js'

/** Every rule's documented examples: the bad one must fire the rule, the good one must not. */
describe('every registered rule', () => {
  it('has a unique kebab-case id, a known risk and complete docs, and every rule module is registered', () => {
    const ids = RULES.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
      expect(RISKS).toContain(rule.risk)
      expect(rule.title.length).toBeGreaterThan(5)
      expect(rule.saferWay.length).toBeGreaterThan(10)
      expect(rule.docs.why.length).toBeGreaterThan(20)
    }
    const modules = readdirSync('src/lint/rules').map((f) => f.replace(/\.ts$/, ''))
    expect(modules.sort()).toEqual([...ids].sort())
  })

  const sqlRules = RULES.filter((r) => (r.docs.language ?? 'sql') === 'sql')
  it.each(sqlRules.map((r) => [r.id, r] as const))('%s: the bad example fires, the good one does not', async (_id, rule) => {
    // lock-timeout 0 so that missing-lock-timeout can fire on its example.
    const assumes = { tables: rule.docs.assumes?.tables, server: rule.docs.assumes?.server as LintOptions['server'] }
    const bad = await lintSql(rule.docs.bad, { lockTimeout: '0', ...assumes })
    expect(rulesOf(bad)).toContain(rule.id)
    // For changes that cannot be made safer (dropping data), the good example is the acknowledged one.
    const good = await lintSql(rule.docs.good, { lockTimeout: '0', ...assumes })
    expect(good.findings.filter((f) => f.rule === rule.id && !f.acknowledged)).toEqual([])
  })

  it('not-linted (its examples are Alembic revisions): a revision without SQL fires it, one with SQL does not', async () => {
    const without = await lintPending([{ ...sqlRevision('0001', ''), sql: undefined, notes: ['no SQL: `alembic upgrade head --sql` failed: boom'] }], {
      engine: 'alembic',
      readSource: () => undefined
    })
    expect(without.findings).toEqual([expect.objectContaining({ rule: 'not-linted', risk: 'high', message: 'not linted: no SQL: `alembic upgrade head --sql` failed: boom' })])
    expect(rulesOf(await lintSql('SELECT 1;'))).not.toContain('not-linted')
  })
})
