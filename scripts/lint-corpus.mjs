// The lint corpus (__tests__/fixtures/lint-corpus/*.yaml): cases written from the hazards the lint
// rules are about, each with the findings the action gives against a target whose tables exist and
// hold rows (checked by __tests__/integration/lint-corpus.test.ts), and squawk's findings on the same
// SQL (bench/lint-corpus.mjs writes them to bench/results/lint-corpus.json). This module loads the
// corpus and renders the comparison table that README.md carries between its lint-corpus markers.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

export const CORPUS_DIR = '__tests__/fixtures/lint-corpus'
export const SQUAWK_RESULTS = 'bench/results/lint-corpus.json'
export const RISKS = ['low', 'medium', 'high', 'critical']
/** The action's `lock-timeout` default: the lint runs with it unless a case says otherwise. */
export const DEFAULT_LOCK_TIMEOUT = '10s'

/**
 * squawk rules that are about style or robustness, not about locking or losing data: not counted
 * as flagging a hazard. `require-lock-timeout` counts only in cases run with `lock-timeout: 0`
 * (otherwise the action sets lock_timeout itself).
 */
export const SQUAWK_STYLE_RULES = new Set([
  'prefer-robust-stmts',
  'prefer-bigint-over-int',
  'prefer-bigint-over-smallint',
  'prefer-big-int',
  'prefer-identity',
  'prefer-text-field',
  'prefer-timestamptz',
  'ban-char-field',
  'require-statement-timeout',
  'require-timeout-settings',
  'require-table-schema'
])
export const SQUAWK_LOCK_TIMEOUT_RULES = new Set(['require-lock-timeout'])

const slug = (text) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')

/** Every case of the corpus, in file and then case order, and the reasons for differences. */
export function loadCorpus(root = '.') {
  const dir = join(root, CORPUS_DIR)
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'reasons.yaml')
    .sort()
  const cases = []
  const ids = new Set()
  for (const file of files) {
    const category = file.replace(/\.yaml$/, '')
    for (const raw of parse(readFileSync(join(dir, file), 'utf8')) ?? []) {
      const id = `${category}/${slug(raw.name)}`
      if (ids.has(id)) throw new Error(`${file}: two cases named '${raw.name}'`)
      ids.add(id)
      const revisions = raw.revisions ?? (raw.sql !== undefined ? [raw.sql] : [])
      if (revisions.length === 0 && raw['no-sql'] === undefined) throw new Error(`${file}: case '${raw.name}' has no sql, revisions or no-sql`)
      cases.push({
        id,
        category,
        name: raw.name,
        revisions: revisions.map((r) => String(r)),
        lockTimeout: raw['lock-timeout'] ?? DEFAULT_LOCK_TIMEOUT,
        alembic: raw.alembic,
        noSql: raw['no-sql'],
        expect: expectedFindings(raw.expect ?? {}, `${file}: ${raw.name}`),
        squawk: raw.squawk
      })
    }
  }
  const reasons = parse(readFileSync(join(dir, 'reasons.yaml'), 'utf8')) ?? {}
  return { cases, reasons }
}

/** `{ drop-table: critical, new-table: [low, low] }` → sorted `rule risk` strings. */
function expectedFindings(expect, where) {
  const findings = []
  for (const [rule, risks] of Object.entries(expect)) {
    for (const risk of Array.isArray(risks) ? risks : [risks]) {
      if (!RISKS.includes(risk)) throw new Error(`${where}: '${risk}' is not a risk (${RISKS.join(', ')})`)
      findings.push(`${rule} ${risk}`)
    }
  }
  return findings.sort()
}

/** Identifies the SQL squawk was run on, so a changed case shows its squawk result is stale. */
export function caseHash(c) {
  return createHash('sha256')
    .update(JSON.stringify([c.revisions, c.lockTimeout]))
    .digest('hex')
    .slice(0, 16)
}

/** The action flags a case when a finding is medium or above (low ones are listed for the review, never a hazard). */
export function actionFlags(c) {
  return c.expect.some((f) => f.split(' ')[1] !== 'low')
}

/** squawk's rules on a case that count as flagging a hazard. */
export function squawkHazardRules(c, rules) {
  return [...new Set(rules)].filter((r) => !SQUAWK_STYLE_RULES.has(r) && (!SQUAWK_LOCK_TIMEOUT_RULES.has(r) || isZeroTimeout(c.lockTimeout))).sort()
}

function isZeroTimeout(value) {
  return /^0+(\.0+)?\s*(us|ms|s|min|h|d)?$/i.test(String(value).trim())
}

/**
 * Each case's verdicts side by side, and what is wrong with the corpus's explanations: a difference
 * without a reason, a reason on a case where both agree, a reason that is not in reasons.yaml, a
 * reason no case uses, a case squawk has not been run on (or whose SQL changed since).
 */
export function compare({ cases, reasons }, results) {
  const rows = []
  const problems = []
  const used = new Set()
  for (const c of cases) {
    const result = results?.cases?.[c.id]
    if (!result || result.hash !== caseHash(c)) {
      problems.push(`${c.id}: no squawk result for its current SQL (run node bench/lint-corpus.mjs)`)
      continue
    }
    const ours = actionFlags(c)
    const theirs = squawkHazardRules(c, result.rules).length > 0
    rows.push({ case: c, ours, theirs, squawkRules: squawkHazardRules(c, result.rules) })
    if (c.squawk !== undefined) {
      used.add(c.squawk)
      if (reasons[c.squawk] === undefined) problems.push(`${c.id}: reason '${c.squawk}' is not in reasons.yaml`)
    }
    if (ours !== theirs && c.squawk === undefined) {
      problems.push(`${c.id}: ${ours ? 'only the action' : 'only squawk'} flags it (squawk: ${squawkHazardRules(c, result.rules).join(', ') || 'nothing'}), and no reason says why`)
    }
    if (ours === theirs && c.squawk !== undefined) problems.push(`${c.id}: both ${ours ? 'flag' : 'pass'} it, but it names the difference '${c.squawk}'`)
  }
  for (const key of Object.keys(reasons)) if (!used.has(key)) problems.push(`reasons.yaml: '${key}' explains no case`)
  return { rows, problems }
}

/** The README section: counts per category, then every deliberate difference with its reason. */
export function renderComparison(corpus, results) {
  const { rows } = compare(corpus, results)
  const categories = [...new Set(corpus.cases.map((c) => c.category))]
  const count = (list, ours, theirs) => list.filter((r) => r.ours === ours && r.theirs === theirs).length
  const line = (name, list) =>
    `| ${name} | ${list.length} | ${count(list, true, true)} | ${count(list, false, false)} | ${count(list, true, false)} | ${count(list, false, true)} |`
  const table = [
    '| Cases | Total | Both flag | Neither | Only the action | Only squawk |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...categories.map((category) =>
      line(
        category,
        rows.filter((r) => r.case.category === category)
      )
    ),
    line('**all**', rows)
  ]
  const differences = new Map()
  for (const row of rows.filter((r) => r.ours !== r.theirs)) differences.set(row.case.squawk, [...(differences.get(row.case.squawk) ?? []), row])
  const reasons = [...differences.entries()].map(([key, list]) => {
    const only = (r) => (r.ours ? 'only the action' : `only squawk: ${r.squawkRules.join(', ')}`)
    const examples = list.map((r) => `${r.case.name} (${only(r)})`).join('; ')
    return `- **${list.length} × ${key}**: ${corpus.reasons[key]} Cases: ${examples}.`
  })
  const version = results?.squawk ? `squawk ${results.squawk}` : 'squawk'
  return [
    `${rows.length} cases (\`${CORPUS_DIR}/\`), ${version} with \`--pg-version ${results?.pgVersion ?? '?'}\`. A case is *flagged* by the action when a finding is medium or above, by squawk when a rule other than its style rules (${[...SQUAWK_STYLE_RULES].map((r) => `\`${r}\``).join(', ')}) fires; \`require-lock-timeout\` counts only in the cases run with \`lock-timeout: 0\`, since the action sets a lock_timeout itself otherwise.`,
    '',
    ...table,
    '',
    'Every difference, by reason:',
    '',
    ...reasons
  ].join('\n')
}
