import { randomUUID } from 'node:crypto'
import { appendFileSync, existsSync } from 'node:fs'
import { access, appendFile, constants } from 'node:fs/promises'
import { EOL } from 'node:os'

/**
 * The runner's I/O: inputs, workflow commands on stdout (https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions)
 * and file commands. The same functions, signatures and bytes as `@actions/core` 3.x, for the part of
 * it the action uses — but importing `@actions/core` also loads `@actions/http-client` and undici
 * (only for OIDC tokens, which the action never requests): half of the bundle and ~30 ms of every
 * run's start-up under Node 20, ~17 ms under Node 24 (bench/README.md). `@actions/core` cannot be
 * imported in parts (its package exports only the whole), so the protocol is written out here, and
 * __tests__/unit/runner-commands.test.ts holds it to `@actions/core`'s output byte for byte.
 */

export interface AnnotationProperties {
  title?: string
  file?: string
  startLine?: number
  startColumn?: number
}

/** An input as the runner passes it (`INPUT_<NAME>`), trimmed; '' when not given. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim()
}

/** The runner replaces the value with *** in every later log line. */
export function setSecret(secret: string): void {
  issueCommand('add-mask', {}, secret)
}

export function info(message: string): void {
  process.stdout.write(message + EOL)
}

export function debug(message: string): void {
  issueCommand('debug', {}, message)
}

export function notice(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('notice', annotation(properties), message)
}

export function warning(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('warning', annotation(properties), message)
}

export function error(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('error', annotation(properties), message)
}

/** Fails the step (exit code 1) with an error annotation. */
export function setFailed(message: string): void {
  process.exitCode = 1
  error(message)
}

/** Folds everything `fn` logs into one collapsible group. */
export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  issueCommand('group', {}, name)
  try {
    return await fn()
  } finally {
    issueCommand('endgroup', {}, '')
  }
}

/** A step output, as a `name<<delimiter` block in the GITHUB_OUTPUT file (a workflow command on a runner without one). */
export function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT
  if (!file) {
    process.stdout.write(EOL)
    issueCommand('set-output', { name }, value)
    return
  }
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`)
  // A random delimiter, so a value cannot end its own block and set another output.
  const delimiter = `ghadelimiter_${randomUUID()}`
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`Unexpected input: the output ${name} contains the delimiter "${delimiter}"`)
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, { encoding: 'utf8' })
}

/** Appends markdown (and a line break) to the job summary file, GITHUB_STEP_SUMMARY. */
export async function appendSummary(markdown: string): Promise<void> {
  const file = process.env.GITHUB_STEP_SUMMARY
  if (!file) throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.')
  try {
    await access(file, constants.R_OK | constants.W_OK)
  } catch {
    throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`)
  }
  await appendFile(file, markdown + EOL, { encoding: 'utf8' })
}

function annotation(p: AnnotationProperties): Record<string, string | number | undefined> {
  return Object.keys(p).length === 0 ? {} : { title: p.title, file: p.file, line: p.startLine, col: p.startColumn }
}

/**
 * `::command key=value,key=value::message`. Properties without a value are left out, but, as in
 * `@actions/core`, the space after the command stays when any were given.
 */
function issueCommand(command: string, properties: Record<string, string | number | undefined>, message: string): void {
  const given = Object.entries(properties).filter(([, value]) => value)
  const props = Object.keys(properties).length > 0 ? ' ' + given.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',') : ''
  process.stdout.write(`::${command}${props}::${escapeData(message)}${EOL}`)
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C')
}
