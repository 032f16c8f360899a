import { beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'

/**
 * Every workflow a user may copy from this repository — its own, the recipes and the README's YAML
 * snippets — is valid for GitHub's own parser and for actionlint, and uses only the inputs and
 * outputs action.yml declares (scripts/check-workflows.ts; it runs under tsx, see there why).
 */
interface Checked {
  source: string
  problems: string[]
}

function check(...files: string[]): Checked[] {
  const stdout = execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/check-workflows.ts', '--json', ...files], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe']
  }).toString()
  return JSON.parse(stdout) as Checked[]
}

function checkExpectingFailure(...files: string[]): Checked[] {
  try {
    check(...files)
  } catch (error) {
    return JSON.parse((error as { stdout: string }).stdout) as Checked[]
  }
  throw new Error('the check passed a workflow full of mistakes')
}

describe("the repository's workflows, recipes and README snippets", () => {
  let checked: Checked[]
  beforeAll(() => {
    checked = check()
  }, 240_000)

  it('are all checked: both workflows, every recipe, every YAML snippet of the README', () => {
    const sources = checked.map((c) => c.source)
    expect(sources).toEqual(expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/release.yml']))
    // A recipe of two workflows is checked as two (its source names which one).
    for (const recipe of readdirSync('docs/recipes')) expect(sources.filter((s) => s.split(' (workflow ')[0] === `docs/recipes/${recipe}`).length).toBeGreaterThan(0)
    expect(sources).toContain('docs/recipes/pr-comment-from-fork.yml (workflow 2 of 2)')
    expect(sources.filter((source) => source.startsWith('README.md:')).length).toBeGreaterThanOrEqual(5)
  })

  it('have no problem', () => {
    expect(checked.filter((c) => c.problems.length > 0)).toEqual([])
  })
})

describe('the check', () => {
  it('reports what GitHub, actionlint and action.yml would refuse, with the line', () => {
    const [{ problems }] = checkExpectingFailure('__tests__/fixtures/workflows/mistakes.yml')
    const text = problems.join('\n')
    // GitHub's parser, then actionlint.
    expect(text).toContain("(Line: 7, Col: 5): Unexpected value 'bogus'")
    expect(text).toMatch(/Line: 7, Col: 5\): unexpected key "bogus" for "job" section.*\[syntax-check\]/)
    // action.yml's inputs and outputs, and the jobs' outputs.
    expect(text).toContain("job plan: step plan gives 'databse-url', which is not an input of action.yml")
    expect(text).toContain('job plan: steps.plan.outputs.risk is not an output of action.yml')
    expect(text).toContain('job apply: needs.plan.outputs.max-risk is not an output of job plan')
    expect(text).not.toContain('steps.plan.outputs.max-risk is not')
  }, 120_000)
})
