/** What `scripts/run-action.mjs` returns for one run of the bundle as the runner runs it. */
export interface ActionRun {
  exitCode: number
  /** The signal that ended the process, when one did (a test's kill -9). */
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  summary: string
  outputs: Record<string, string>
  durationMs: number
}

/** Everything the runner would show, less the `::add-mask::` commands that tell it what to mask. */
export function visible(result: ActionRun): string {
  return result.stdout.replace(/^::add-mask::.*$/gm, '') + result.stderr + result.summary + JSON.stringify(result.outputs)
}
