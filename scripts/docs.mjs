// Regenerates the inputs and outputs tables in README.md from action.yml, the one source of the
// public interface's descriptions. `npm run docs`; a test fails when README and action.yml disagree.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { repoRoot } from './run-action.mjs'

const escape = (text) => String(text).replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\n/g, ' ')

export function renderTables(actionYml) {
  const action = parse(actionYml)
  const inputs = Object.entries(action.inputs).map(
    ([name, spec]) => `| \`${name}\` | ${spec.default === undefined ? '*(required)*' : spec.default === '' ? "`''`" : `\`${spec.default}\``} | ${escape(spec.description)} |`
  )
  const outputs = Object.entries(action.outputs).map(([name, spec]) => `| \`${name}\` | ${escape(spec.description)} |`)
  return {
    inputs: ['| Input | Default | Description |', '| --- | --- | --- |', ...inputs].join('\n'),
    outputs: ['| Output | Description |', '| --- | --- |', ...outputs].join('\n')
  }
}

export function replaceBetween(text, marker, content) {
  const start = `<!-- ${marker}:start -->`
  const end = `<!-- ${marker}:end -->`
  const i = text.indexOf(start)
  const j = text.indexOf(end)
  if (i < 0 || j < i) throw new Error(`README.md lacks the ${start} … ${end} markers`)
  return text.slice(0, i + start.length) + '\n' + content + '\n' + text.slice(j)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const tables = renderTables(readFileSync(join(repoRoot, 'action.yml'), 'utf8'))
  const readmePath = join(repoRoot, 'README.md')
  let readme = readFileSync(readmePath, 'utf8')
  readme = replaceBetween(readme, 'inputs', tables.inputs)
  readme = replaceBetween(readme, 'outputs', tables.outputs)
  writeFileSync(readmePath, readme)
  console.log('README.md tables regenerated from action.yml')
}
