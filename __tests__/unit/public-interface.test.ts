import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { INPUTS } from '../../src/inputs.js'
import { Outputs } from '../../src/runner/outputs.js'
// @ts-expect-error -- a plain ESM script without type declarations
import { renderTables } from '../../scripts/docs.mjs'

const actionYml = readFileSync('action.yml', 'utf8')
const action = parse(actionYml) as {
  inputs: Record<string, { default?: string; description: string }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}
const readme = readFileSync('README.md', 'utf8')

describe('the public interface', () => {
  it('action.yml declares exactly the inputs the code reads, with the same defaults', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.keys(INPUTS).sort())
    for (const [name, spec] of Object.entries(INPUTS)) {
      expect([name, action.inputs[name].default]).toEqual([name, spec.default])
    }
  })

  it('action.yml declares exactly the outputs the code sets', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(Outputs).sort())
  })

  it('README documents every input and output as action.yml does (npm run docs)', () => {
    const tables = renderTables(actionYml) as { inputs: string; outputs: string }
    expect(readme).toContain(tables.inputs)
    expect(readme).toContain(tables.outputs)
  })

  it('.env.example (local debugging with @github/local-action) names every input as INPUT_<NAME>, with its action.yml default', () => {
    const example = readFileSync('.env.example', 'utf8')
    const listed = Object.fromEntries([...example.matchAll(/^(# )?INPUT_([A-Z-]+)=(.*)$/gm)].map(([, commented, name, value]) => [name, commented ? value : 'set']))
    const expected = Object.fromEntries(Object.entries(action.inputs).map(([name, spec]) => [name.toUpperCase(), listed[name.toUpperCase()] === 'set' ? 'set' : spec.default]))
    expect(listed).toEqual(expected)
  })

  it('runs the committed bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })

  it("the README's test command is the one .ci/run calls", () => {
    const ci = readFileSync('.ci/run', 'utf8')
    expect(readme).toMatch(/^npm ci && npm test\b/m)
    expect(readme).toMatch(/^npm ci && npm run demo\b/m)
    expect(ci).toMatch(/^npm ci && npm test$/m)
  })
})
