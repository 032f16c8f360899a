import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { renderRulePage, renderRulesTable, replaceBetweenMarkers, RULES_DIR } from '../../../src/lint/docs.js'
import { RULES } from '../../../src/lint/registry.js'

/** The generated rule pages and README table match the registry (else: npm run docs:rules). */
describe('rule documentation', () => {
  it('has one up-to-date page per rule in docs/rules and no stale pages', () => {
    expect(readdirSync(RULES_DIR).sort()).toEqual(RULES.map((r) => `${r.id}.md`).sort())
    for (const rule of RULES) expect([rule.id, readFileSync(`${RULES_DIR}/${rule.id}.md`, 'utf8')]).toEqual([rule.id, renderRulePage(rule)])
  })

  it('has an up-to-date rules table in the README, highest risk first', () => {
    const readme = readFileSync('README.md', 'utf8')
    expect(replaceBetweenMarkers(readme, 'rules', renderRulesTable())).toBe(readme)
    const risks = renderRulesTable()
      .split('\n')
      .slice(2)
      .map((row) => row.split(' | ')[1])
    expect(risks[0]).toBe('critical')
    expect(risks.at(-1)).toBe('low')
  })

  it('each page shows the bad and the good example and how to acknowledge', () => {
    const page = renderRulePage(RULES.find((r) => r.id === 'drop-column')!)
    expect(page).toContain('**Risk: critical**')
    expect(page).toContain('```sql\nALTER TABLE documents DROP COLUMN legacy_title;\n```')
    expect(page).toContain('-- pg-migrate:allow drop-column reason: <why this is safe here>')
  })
})
