import { RULES } from './registry.js'
import { riskRank, type RuleDefinition } from './rule.js'

/**
 * The rule pages (`docs/rules/<id>.md`) and the README's rules table, generated from the registry by
 * `npm run docs:rules`; a test fails when the checked-in files are stale.
 */

export const RULES_DIR = 'docs/rules'

const escapeCell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')

function fence(code: string, language: string): string {
  return '```' + language + '\n' + code.trimEnd() + '\n```'
}

export function renderRulePage(rule: RuleDefinition): string {
  const language = rule.docs.language ?? 'sql'
  const ack = language === 'python' ? '#' : '--'
  return [
    `# \`${rule.id}\``,
    '',
    `**Risk: ${rule.risk}** — ${rule.title}.`,
    '',
    '<!-- Generated from src/lint/rules/' + rule.id + '.ts by `npm run docs:rules`; edit the rule, not this page. -->',
    '',
    '## Why it is risky',
    '',
    rule.docs.why,
    '',
    '## Flagged',
    '',
    ...(rule.docs.assumes ? [`With ${rule.docs.assumes.description}:`, ''] : []),
    fence(rule.docs.bad, language),
    '',
    '## The safer way',
    '',
    rule.saferWay,
    '',
    fence(rule.docs.good, language),
    '',
    '## Letting it through',
    '',
    `Once the change is reviewed, acknowledge it in the migration file, above the statement (or at the top of the file for the whole file). The reason is required and shows in the summary:`,
    '',
    fence(`${ack} pg-migrate:allow ${rule.id} reason: <why this is safe here>`, language === 'python' ? 'python' : 'sql'),
    '',
    `Whether an unacknowledged finding stops the run depends on the \`fail-on-risk\` input (default \`critical\`).`,
    ''
  ].join('\n')
}

/** Highest risk first, then by id. */
export function sortedRules(rules: readonly RuleDefinition[] = RULES): RuleDefinition[] {
  return [...rules].sort((a, b) => riskRank(b.risk) - riskRank(a.risk) || a.id.localeCompare(b.id))
}

export function renderRulesTable(rules: readonly RuleDefinition[] = RULES): string {
  return [
    '| Rule | Risk | Flags |',
    '| --- | --- | --- |',
    ...sortedRules(rules).map((r) => `| [\`${r.id}\`](${RULES_DIR}/${r.id}.md) | ${r.risk} | ${escapeCell(r.title)} |`)
  ].join('\n')
}

export function replaceBetweenMarkers(text: string, marker: string, content: string): string {
  const start = `<!-- ${marker}:start -->`
  const end = `<!-- ${marker}:end -->`
  const i = text.indexOf(start)
  const j = text.indexOf(end)
  if (i < 0 || j < i) throw new Error(`the ${start} … ${end} markers are missing`)
  return text.slice(0, i + start.length) + '\n' + content + '\n' + text.slice(j)
}
