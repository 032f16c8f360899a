import { afterAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { loadSqlParser } from '../../../src/sql/parse.js'
import { SchemaModel } from '../../../src/lint/schema-model.js'
import type { RuleDefinition } from '../../../src/lint/rule.js'

/** `npm run new-rule <id>` on a temporary copy of the lint sources. */

// Inside the checkout (.cache is gitignored), so the scaffolded module is compiled like the sources.
mkdirSync('.cache', { recursive: true })
const temp = mkdtempSync(path.resolve('.cache', 'new-rule-test-'))
afterAll(() => rmSync(temp, { recursive: true, force: true }))

function copyProject(): string {
  const root = mkdtempSync(path.join(temp, 'repo-'))
  cpSync('src/lint', path.join(root, 'src/lint'), { recursive: true })
  mkdirSync(path.join(root, '__tests__/unit/lint/rules'), { recursive: true })
  return root
}

function newRule(root: string, id: string): string {
  return execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/new-rule.ts', id, '--root', root], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

describe('npm run new-rule', () => {
  it('writes the rule, its test and its registry entry in alphabetical order, and the rule works as written', async () => {
    const root = copyProject()
    expect(newRule(root, 'ban-lock-table')).toContain('Scaffolded ban-lock-table')
    const registry = readFileSync(path.join(root, 'src/lint/registry.ts'), 'utf8')
    expect(registry).toMatch(/^import banLockTable from '\.\/rules\/ban-lock-table\.js'\nimport changeColumnType from/m)
    expect(registry).toMatch(/export const RULES = \[\n {2}banLockTable,\n {2}changeColumnType,/)
    expect(readFileSync(path.join(root, '__tests__/unit/lint/rules/ban-lock-table.test.ts'), 'utf8')).toContain(
      "findingsOf(await lintSql('LOCK TABLE documents;'), 'ban-lock-table')"
    )

    const rule = (await import(path.join(root, 'src/lint/rules/ban-lock-table.ts'))).default as RuleDefinition
    expect(rule.id).toBe('ban-lock-table')
    const parser = await loadSqlParser()
    const check = (sql: string) =>
      parser
        .parse(sql)
        .flatMap((statement) =>
          rule.appliesTo!.includes(statement.kind) ? rule.check!({ statement, body: (statement.node as never)[statement.kind], schema: new SchemaModel(), engine: 'sql' }) : []
        )
    expect(check(rule.docs.bad)).toEqual([{ message: 'TODO: locks documents', table: 'documents' }])
    expect(check(rule.docs.good)).toEqual([])
  })

  it('appends after the last rule and refuses an existing id or one that is not kebab-case', () => {
    const root = copyProject()
    newRule(root, 'zzz-last')
    expect(readFileSync(path.join(root, 'src/lint/registry.ts'), 'utf8')).toMatch(/ {2}volatileDefault,\n {2}zzzLast\n\] as const/)
    expect(() => newRule(root, 'drop-table')).toThrow(/exists already/)
    expect(() => newRule(root, 'Drop_Table')).toThrow(/not a kebab-case rule id/)
  })
})
