import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

/**
 * What the Marketplace lists from action.yml: a name, a description it shows whole (at most 125
 * characters), and branding it accepts. The icon and colour are checked by GitHub's own action-metadata
 * schema (@actions/workflow-parser, run under tsx: it imports its JSON schema without import
 * attributes), which lists the Feather icons GitHub allows.
 */
const action = parse(readFileSync('action.yml', 'utf8')) as { name?: string; description?: string; author?: string; branding?: { icon?: string; color?: string } }

/** GitHub's errors for an action.yml text, [] when it has none. */
function parseActionErrors(text: string): string[] {
  const script = `
    import { parseAction } from '@actions/workflow-parser/actions/action-parser'
    import { NoOperationTraceWriter } from '@actions/workflow-parser'
    const chunks = []
    for await (const chunk of process.stdin) chunks.push(chunk)
    const result = parseAction({ name: 'action.yml', content: Buffer.concat(chunks).toString() }, new NoOperationTraceWriter())
    process.stdout.write(JSON.stringify(result.context.errors.getErrors().map((error) => error.message)))
  `
  const stdout = execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', '--input-type=module', '-e', script], { input: text, encoding: 'utf8' })
  return JSON.parse(stdout) as string[]
}

describe('action.yml for the Marketplace', () => {
  it('has a name, an author and a description of at most 125 characters', () => {
    expect(action.name).toBeTruthy()
    expect(action.author).toBeTruthy()
    expect(action.description!.length).toBeGreaterThan(20)
    expect(action.description!.length).toBeLessThanOrEqual(125)
  })

  it('is valid for GitHub, branding included', () => {
    expect(action.branding).toEqual({ icon: expect.any(String), color: expect.any(String) })
    expect(parseActionErrors(readFileSync('action.yml', 'utf8'))).toEqual([])
  }, 60_000)

  it('would be refused with an icon or a colour GitHub does not offer', () => {
    const text = readFileSync('action.yml', 'utf8')
    const errors = parseActionErrors(text.replace(/icon: '[^']*'/, "icon: 'postgresql'").replace(/color: '[^']*'/, "color: 'teal'"))
    expect(errors.join('\n')).toMatch(/Unexpected value 'postgresql'/)
    expect(errors.join('\n')).toMatch(/Unexpected value 'teal'/)
  }, 60_000)
})
