#!/usr/bin/env node
// The lint corpus (__tests__/fixtures/lint-corpus/*.yaml): cases written from the hazards the lint
// rules are about and from squawk's own rule tests (`source:` names the squawk test file), each with
// the findings the action gives against a target whose tables exist and hold rows (checked by
// __tests__/integration/lint-corpus.test.ts), and squawk's findings on the same SQL.
//
//   node scripts/lint-corpus.mjs            # runs squawk (bench/.peers, `bash bench/setup-peers.sh`) on
//                                           # every case into bench/results/lint-corpus.json, then writes
//                                           # docs/lint-corpus.md and the README's lint-corpus section
//   node scripts/lint-corpus.mjs --no-squawk  # only rewrites the docs from the stored squawk results
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const CORPUS_DIR = '__tests__/fixtures/lint-corpus'
export const SQUAWK_RESULTS = 'bench/results/lint-corpus.json'
export const DOC = 'docs/lint-corpus.md'
export const SQUAWK_VERSION = '2.66.0'
export const PG_VERSION = '15'
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
        squawk: raw.squawk,
        source: raw.source
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
 * How a difference is judged (each reason in reasons.yaml has one): who is right, and so in which
 * column of the score it counts.
 */
export const KINDS = {
  'squawk-over-flags': { only: 'squawk', column: 'squawk over-flags (the action is right)' },
  'our-miss': { only: 'squawk', column: 'Our misses' },
  'squawk-misses': { only: 'action', column: 'squawk misses (the action is right)' },
  'our-false-positive': { only: 'action', column: 'Our false positives' }
}

/**
 * Each case's verdicts side by side, and what is wrong with the corpus's explanations: a difference
 * without a reason, a reason on a case where both agree, a reason that is not in reasons.yaml or
 * judges the difference the wrong way round, a reason no case uses, a case squawk has not been run on
 * (or whose SQL changed since).
 */
export function compare({ cases, reasons }, results) {
  const rows = []
  const problems = []
  const used = new Set()
  for (const [key, reason] of Object.entries(reasons)) {
    if (KINDS[reason?.kind] === undefined || typeof reason.text !== 'string') problems.push(`reasons.yaml: '${key}' needs a kind (${Object.keys(KINDS).join(', ')}) and a text`)
  }
  for (const c of cases) {
    const result = results?.cases?.[c.id]
    if (!result || result.hash !== caseHash(c)) {
      problems.push(`${c.id}: no squawk result for its current SQL (run node scripts/lint-corpus.mjs)`)
      continue
    }
    const ours = actionFlags(c)
    const squawkRules = squawkHazardRules(c, result.rules)
    const theirs = squawkRules.length > 0
    const reason = c.squawk === undefined ? undefined : reasons[c.squawk]
    rows.push({ case: c, ours, theirs, squawkRules, kind: ours === theirs ? undefined : reason?.kind })
    if (c.squawk !== undefined) {
      used.add(c.squawk)
      if (reason === undefined) problems.push(`${c.id}: reason '${c.squawk}' is not in reasons.yaml`)
      else if (ours !== theirs && KINDS[reason.kind] && KINDS[reason.kind].only !== (ours ? 'action' : 'squawk'))
        problems.push(`${c.id}: reason '${c.squawk}' is a ${reason.kind}, but only ${ours ? 'the action' : 'squawk'} flags it`)
    }
    if (ours !== theirs && c.squawk === undefined) {
      problems.push(`${c.id}: ${ours ? 'only the action' : 'only squawk'} flags it (squawk: ${squawkRules.join(', ') || 'nothing'}), and no reason says why`)
    }
    if (ours === theirs && c.squawk !== undefined) problems.push(`${c.id}: both ${ours ? 'flag' : 'pass'} it, but it names the difference '${c.squawk}'`)
  }
  for (const key of Object.keys(reasons)) if (!used.has(key)) problems.push(`reasons.yaml: '${key}' explains no case`)
  return { rows, problems }
}

const escapeCell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ')

/** The score: counts per category, both verdicts and every difference judged. */
export function scoreTable(corpus, results) {
  const { rows } = compare(corpus, results)
  const categories = [...new Set(corpus.cases.map((c) => c.category))]
  const kinds = Object.keys(KINDS)
  const line = (name, list) =>
    `| ${name} | ${list.length} | ${list.filter((r) => r.ours && r.theirs).length} | ${list.filter((r) => !r.ours && !r.theirs).length} | ${kinds.map((k) => list.filter((r) => r.kind === k).length).join(' | ')} |`
  return [
    `| Cases | Total | Both flag | Neither | ${kinds.map((k) => KINDS[k].column).join(' | ')} |`,
    `| --- | ---: | ---: | ---: | ${kinds.map(() => '---:').join(' | ')} |`,
    ...categories.map((category) =>
      line(
        category,
        rows.filter((r) => r.case.category === category)
      )
    ),
    line('**all**', rows)
  ].join('\n')
}

function header(results) {
  const version = results?.squawk ? `squawk ${results.squawk}` : 'squawk'
  return `A case is *flagged* by the action when a finding is medium or above (against a real PostgreSQL ${results?.pgVersion ?? PG_VERSION} whose tables exist and hold rows: \`${CORPUS_DIR}/schema.sql\`), by ${version} (\`--pg-version ${results?.pgVersion ?? PG_VERSION}\`, each migration file on its own) when a rule other than its style rules (${[...SQUAWK_STYLE_RULES].map((r) => `\`${r}\``).join(', ')}) fires; \`require-lock-timeout\` counts only in the cases run with \`lock-timeout: 0\`, since the action sets a lock_timeout itself otherwise.`
}

/** The README section: the score and a pointer to the doc that lists every case. */
export function renderReadmeSection(corpus, results) {
  const { rows } = compare(corpus, results)
  return [
    `${rows.length} cases (\`${CORPUS_DIR}/\`), written from the hazards the rules are about and from squawk's own rule tests; \`node scripts/lint-corpus.mjs\` writes this table and [docs/lint-corpus.md](docs/lint-corpus.md) (every difference, with its reason, and our remaining misses). ${header(results)}`,
    '',
    scoreTable(corpus, results)
  ].join('\n')
}

/** What the corpus does not show: how much of squawk's own suite it holds. */
function coverage(corpus) {
  const fromSquawk = corpus.cases.filter((c) => c.source !== undefined)
  const files = [...new Set(fromSquawk.map((c) => String(c.source).split(' ')[0]))].sort()
  return `An empty list here measures regressions, not completeness: ${corpus.cases.length - fromSquawk.length} cases were written by us from the hazards our rules are about, and ${fromSquawk.length} are rewritten from the tests of ${files.length} of squawk's rule files (${files.map((f) => `\`${f}\``).join(', ')}, in \`crates/squawk_linter/src/rules/\` of sbdchd/squawk), not from all of its suite (its other rules' tests and its lock-kind cases are not in the corpus yet). Hazards of the issue that the corpus does not exercise are not counted here.`
}

/** docs/lint-corpus.md: the score, every difference by reason (our misses first), then every case. */
export function renderDoc(corpus, results) {
  const { rows } = compare(corpus, results)
  const byKind = (kind) => rows.filter((r) => r.kind === kind)
  const differences = (kind) => {
    const groups = new Map()
    for (const row of byKind(kind)) groups.set(row.case.squawk, [...(groups.get(row.case.squawk) ?? []), row])
    if (groups.size === 0) return ['None.']
    return [...groups.entries()].map(([key, list]) => {
      const only = (r) => (r.ours ? 'only the action' : `only squawk: ${r.squawkRules.join(', ')}`)
      return `- **${key}** (${list.length}): ${corpus.reasons[key].text} Cases: ${list.map((r) => `\`${r.case.id}\` (${only(r)})`).join('; ')}.`
    })
  }
  const verdict = (flag) => (flag ? 'flag' : '—')
  return [
    '# Lint corpus: the action vs squawk',
    '',
    '<!-- Generated by `node scripts/lint-corpus.mjs` from __tests__/fixtures/lint-corpus/ and bench/results/lint-corpus.json. Do not edit. -->',
    '',
    `${rows.length} cases. Each case's findings (rule and risk) are asserted by \`__tests__/integration/lint-corpus.test.ts\` against a real server, so a change of verdict fails the suite. ${header(results)}`,
    '',
    scoreTable(corpus, results),
    '',
    '## Our misses (squawk is right; not yet closed)',
    '',
    ...differences('our-miss'),
    '',
    coverage(corpus),
    '',
    '## Our false positives',
    '',
    ...differences('our-false-positive'),
    '',
    '## squawk over-flags (the action is right)',
    '',
    ...differences('squawk-over-flags'),
    '',
    '## squawk misses (the action is right)',
    '',
    ...differences('squawk-misses'),
    '',
    '## Every case',
    '',
    '| Case | Source | The action | squawk |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| \`${r.case.id}\` | ${r.case.source ? `squawk \`${escapeCell(r.case.source)}\`` : 'ours'} | ${verdict(r.ours)}${r.case.expect.length ? `: ${r.case.expect.map((f) => `\`${f}\``).join(', ')}` : ''} | ${verdict(r.theirs)}${r.squawkRules.length ? `: ${r.squawkRules.map((f) => `\`${f}\``).join(', ')}` : ''} |`
    ),
    ''
  ].join('\n')
}

function squawkBinary(root) {
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch]
  const bin = join(root, 'bench', '.peers', 'node_modules', '@squawk-cli', `${process.platform}-${arch}`, 'bin', 'squawk')
  return existsSync(bin) ? bin : undefined
}

/** squawk's rule names per case, each revision as its own file (squawk lints file by file). */
export function runSquawk(corpus, root = '.') {
  const bin = squawkBinary(root)
  if (!bin) throw new Error('squawk is not installed in bench/.peers: run `bash bench/setup-peers.sh`')
  const version = execFileSync(bin, ['--version'], { encoding: 'utf8' })
    .trim()
    .replace(/^squawk\s+/, '')
  if (version !== SQUAWK_VERSION) throw new Error(`squawk ${version} in bench/.peers, the corpus is compared with ${SQUAWK_VERSION}`)
  const work = mkdtempSync(join(tmpdir(), 'pgma-lint-corpus-'))
  const cases = {}
  try {
    for (const c of corpus.cases) {
      const sqls = c.noSql === undefined ? c.revisions : []
      const files = sqls.map((sql, i) => {
        const file = join(work, `${String(i + 1).padStart(4, '0')}.sql`)
        writeFileSync(file, sql)
        return file
      })
      let rules = []
      if (files.length > 0) {
        let out
        try {
          out = execFileSync(bin, ['--reporter', 'json', '--pg-version', PG_VERSION, ...files], { encoding: 'utf8' })
        } catch (e) {
          // squawk exits 1 when it found something: that is a successful lint.
          if (e.status !== 1) throw e
          out = e.stdout
        }
        rules = [...new Set(JSON.parse(out.trim() || '[]').map((v) => v.rule_name))].sort()
      }
      for (const file of files) rmSync(file)
      cases[c.id] = { hash: caseHash(c), rules }
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  return { squawk: version, pgVersion: PG_VERSION, cases }
}

function replaceBetween(text, marker, body) {
  const start = `<!-- ${marker}:start -->`
  const end = `<!-- ${marker}:end -->`
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  if (from === -1 || to === -1) throw new Error(`README.md has no ${start} … ${end} markers`)
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const corpus = loadCorpus()
  const results = process.argv.includes('--no-squawk') ? JSON.parse(readFileSync(SQUAWK_RESULTS, 'utf8')) : runSquawk(corpus)
  if (!process.argv.includes('--no-squawk')) writeFileSync(SQUAWK_RESULTS, JSON.stringify(results, null, 2) + '\n')
  const { problems } = compare(corpus, results)
  writeFileSync(DOC, renderDoc(corpus, results))
  writeFileSync('README.md', replaceBetween(readFileSync('README.md', 'utf8'), 'lint-corpus', renderReadmeSection(corpus, results)))
  for (const p of problems) process.stderr.write(`${p}\n`)
  process.stderr.write(`${DOC}, README.md and ${SQUAWK_RESULTS} written; ${problems.length} problem(s)\n`)
  process.exitCode = problems.length > 0 ? 1 : 0
}
