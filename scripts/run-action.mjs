// Runs the bundled action (dist/index.js) exactly as the GitHub runner does: inputs as INPUT_<NAME>
// environment variables (hyphens kept), GITHUB_STEP_SUMMARY / GITHUB_OUTPUT files, RUNNER_TEMP.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * `wrap` runs the node process under another command (the bench's `/usr/bin/time -f %M -o file`);
 * `script` runs another build's bundle (the bench's before/after comparisons); `onSpawn` gets the child, e.g. to kill it mid-run.
 * @param {{ inputs: Record<string,string>, cwd?: string, node?: string, wrap?: string[], script?: string, env?: Record<string,string>, onStdout?: (s: string) => void, onSpawn?: (child: import('node:child_process').ChildProcess) => void }} options
 * @returns {Promise<{ exitCode: number, stdout: string, stderr: string, summary: string, outputs: Record<string,string>, durationMs: number }>}
 */
export async function runAction(
  { inputs, cwd = repoRoot, node = process.execPath, wrap = [], script = join(repoRoot, 'dist', 'index.js'), env = {}, onStdout, onSpawn } = { inputs: {} }
) {
  const work = mkdtempSync(join(tmpdir(), 'pgma-run-'))
  const summaryFile = join(work, 'summary.md')
  const outputFile = join(work, 'output.txt')
  writeFileSync(summaryFile, '')
  writeFileSync(outputFile, '')
  // The runner gives every declared input, with action.yml's default when the workflow omits it.
  const defaults = Object.entries(parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')).inputs).filter(([, spec]) => spec.default !== undefined)
  const given = { ...Object.fromEntries(defaults.map(([name, spec]) => [name, String(spec.default)])), ...inputs }
  const inputEnv = Object.fromEntries(Object.entries(given).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]))
  const childEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PYTHONPATH: process.env.PYTHONPATH ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    RUNNER_TEMP: work,
    ...inputEnv,
    ...env
  }
  const started = Date.now()
  const command = [...wrap, node, script]
  const child = spawn(command[0], command.slice(1), { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  onSpawn?.(child)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => {
    stdout += d
    onStdout?.(String(d))
  })
  child.stderr.on('data', (d) => (stderr += d))
  const exitCode = await new Promise((res) => child.on('close', (code) => res(code ?? -1)))
  return { exitCode, stdout, stderr, summary: readFileSync(summaryFile, 'utf8'), outputs: parseOutputs(readFileSync(outputFile, 'utf8')), durationMs: Date.now() - started }
}

/** GITHUB_OUTPUT holds `name<<DELIMITER\nvalue\nDELIMITER` blocks. */
export function parseOutputs(text) {
  const outputs = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i])
    if (!m) continue
    const [, name, delimiter] = m
    const value = []
    while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i])
    outputs[name] = value.join('\n')
  }
  return outputs
}
