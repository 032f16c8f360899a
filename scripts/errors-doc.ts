// Writes docs/errors.md, the troubleshooting page, from the codes catalogue (src/codes.ts).
// Run by `npm run docs`; a unit test fails when the committed page is stale.
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CODES, type Code, type CodeEntry } from '../src/codes.js'

const SECTIONS: { kind: CodeEntry['kind']; heading: string; intro: string }[] = [
  { kind: 'error', heading: 'Errors', intro: 'An error stops the run. The summary shows its code, what happened, where, and what to do.' },
  {
    kind: 'problem',
    heading: 'Chain problems',
    intro:
      'Validation lists every problem it finds in the migration chain under **Chain problems**. A problem of severity error stops the run (as `chain-invalid`) before anything is applied; a warning does not.'
  }
]

export function renderErrorsDoc(): string {
  const entries = Object.entries(CODES) as [Code, CodeEntry][]
  const out = [
    '# Error and problem codes',
    '',
    '<!-- Generated from src/codes.ts by `npm run docs`; do not edit by hand. -->',
    '',
    'Every code pg-migrate-action reports, what it means, what usually causes it and how to fix it. The job summary links each code it shows to its entry here.',
    ''
  ]
  for (const section of SECTIONS) {
    const inSection = entries.filter(([, entry]) => entry.kind === section.kind).sort(([a], [b]) => a.localeCompare(b))
    out.push(`## ${section.heading}`, '', section.intro, '')
    for (const [code, entry] of inSection) {
      out.push(`<a id="${code}"></a>`, `### \`${code}\`: ${entry.title}`, '', entry.meaning, '', `**Typical cause:** ${entry.cause}`, '', `**Fix:** ${entry.fix}`, '')
    }
  }
  return out.join('\n')
}

export const errorsDocPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'errors.md')

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(errorsDocPath, renderErrorsDoc())
  console.log('docs/errors.md regenerated from src/codes.ts')
}
