// Scaffolds a lint rule: src/lint/rules/<id>.ts, its test __tests__/unit/lint/rules/<id>.test.ts and
// its entry in src/lint/registry.ts.  Usage: npm run new-rule <rule-id> [-- --root <repository>]
// Then write the check and its docs, and run `npm run docs:rules` for its page.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export function camelCase(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}

export function ruleTemplate(id: string): string {
  return `import { relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

// TODO: describe what the rule flags; the docs page is generated from this object (npm run docs:rules).
export default defineRule({
  id: '${id}',
  appliesTo: ['LockStmt'],
  risk: 'medium',
  title: 'TODO: one line saying what the rule flags',
  saferWay: 'TODO: what to do instead.',
  docs: {
    why: 'TODO: what happens to the table, to running code and to the deploy.',
    bad: 'LOCK TABLE documents;',
    good: 'SELECT 1;'
  },
  check: ({ body }) => {
    const ref = relationOf((body.relations as { RangeVar?: unknown }[] | undefined)?.[0]?.RangeVar)
    return ref ? [{ message: \`TODO: locks \${tableKey(ref)}\`, table: tableKey(ref) }] : []
  }
})
`
}

export function testTemplate(id: string): string {
  return `import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('${id}', () => {
  it('flags the statement it is about', async () => {
    const found = findingsOf(await lintSql('LOCK TABLE documents;'), '${id}')
    expect(found).toHaveLength(1)
    expect(found[0].line).toBe(1)
  })

  it('does not flag the safer way', async () => {
    expect(findingsOf(await lintSql('SELECT 1;'), '${id}')).toEqual([])
  })
})
`
}

/** Adds the import and the RULES entry, keeping both in alphabetical order. */
export function addToRegistry(registry: string, id: string): string {
  const name = camelCase(id)
  const lines = registry.split('\n')
  const importLine = `import ${name} from './rules/${id}.js'`
  const imports = lines.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith('import ') && l.includes("from './rules/"))
  const importAt = imports.find(([l]) => l > importLine)?.[1] ?? (imports.at(-1)?.[1] ?? 0) + 1
  lines.splice(importAt, 0, importLine)
  const start = lines.findIndex((l) => l.startsWith('export const RULES = ['))
  const end = lines.findIndex((l, i) => i > start && l.startsWith('] as const'))
  if (start < 0 || end < 0) throw new Error('src/lint/registry.ts has no `export const RULES = [ … ] as const` list')
  const entries = lines.slice(start + 1, end).map((l) => l.trim().replace(/,$/, ''))
  const entryAt = entries.findIndex((entry) => entry > name)
  entries.splice(entryAt < 0 ? entries.length : entryAt, 0, name)
  // Prettier's style here: a comma after every entry but the last.
  lines.splice(start + 1, end - start - 1, ...entries.map((entry, i) => `  ${entry}${i < entries.length - 1 ? ',' : ''}`))
  return lines.join('\n')
}

export function scaffoldRule(root: string, id: string): string[] {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(id)) throw new Error(`'${id}' is not a kebab-case rule id (e.g. ban-lock-table)`)
  const rule = join(root, 'src/lint/rules', `${id}.ts`)
  const test = join(root, '__tests__/unit/lint/rules', `${id}.test.ts`)
  const registry = join(root, 'src/lint/registry.ts')
  if (existsSync(rule)) throw new Error(`the rule ${id} exists already: ${rule}`)
  writeFileSync(registry, addToRegistry(readFileSync(registry, 'utf8'), id))
  writeFileSync(rule, ruleTemplate(id))
  writeFileSync(test, testTemplate(id))
  return [rule, test, registry]
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const args = process.argv.slice(2)
  const rootAt = args.indexOf('--root')
  const root = rootAt >= 0 ? args.splice(rootAt, 2)[1] : join(import.meta.dirname, '..')
  const [id] = args
  try {
    const written = scaffoldRule(root, id ?? '')
    console.log(`Scaffolded ${id}:\n${written.map((f) => `  ${f}`).join('\n')}\nNow write the check and its docs, then: npm run docs:rules`)
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error))
    process.exit(1)
  }
}
