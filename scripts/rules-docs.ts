// Writes docs/rules/<id>.md for every lint rule and the rules table in README.md, from the registry
// (src/lint/registry.ts). `npm run docs:rules`; __tests__/unit/lint/docs.test.ts fails when they are stale.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { renderRulePage, renderRulesTable, replaceBetweenMarkers, RULES_DIR } from '../src/lint/docs.js'
import { RULES } from '../src/lint/registry.js'

const root = join(import.meta.dirname, '..')
const dir = join(root, RULES_DIR)
mkdirSync(dir, { recursive: true })
const wanted = new Set(RULES.map((r) => `${r.id}.md`))
for (const name of readdirSync(dir)) if (name.endsWith('.md') && !wanted.has(name)) rmSync(join(dir, name))
for (const rule of RULES) writeFileSync(join(dir, `${rule.id}.md`), renderRulePage(rule))
const readmePath = join(root, 'README.md')
if (existsSync(readmePath)) writeFileSync(readmePath, replaceBetweenMarkers(readFileSync(readmePath, 'utf8'), 'rules', renderRulesTable()))
console.log(`${RULES.length} rule pages in ${RULES_DIR}/ and the README rules table regenerated`)
