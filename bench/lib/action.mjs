// Runs dist/index.js exactly as the runner does (scripts/run-action.mjs) and timestamps what it prints.
import { runAction } from '../../scripts/run-action.mjs'
import { wallNow } from './common.mjs'

/**
 * `connectMs` is when the wait stage's `Waiting for PostgreSQL` group opens: the action prints it right before
 * its first connection attempt.
 * @returns {Promise<{ ms: number, firstOutputMs: number, connectMs: number, pipelineMs: number, readyAt?: number, startedAt: number,
 *   exitCode: number, outputs: Record<string,string>, stdout: string, stderr: string }>}
 */
export async function runActionTimed(inputs, { env = {}, wrap = [], node, script } = {}) {
  const startedAt = wallNow()
  const t0 = performance.now()
  let firstOutputMs
  let connectMs
  let readyAt
  let buffer = ''
  const result = await runAction({
    inputs,
    // The bench writes its chains under the temporary directory, which stands for the checkout here.
    env: { GITHUB_WORKSPACE: '/', ...env },
    wrap,
    ...(node ? { node } : {}),
    ...(script ? { script } : {}),
    onStdout: (chunk) => {
      const at = wallNow()
      firstOutputMs ??= performance.now() - t0
      buffer += chunk
      if (connectMs === undefined && buffer.includes('::group::Waiting for PostgreSQL')) connectMs = performance.now() - t0
      // The wait stage logs `ready after N attempt(s), X: PostgreSQL …` right after its first successful query.
      if (readyAt === undefined && /ready after \d+ attempt/.test(buffer)) readyAt = at
    }
  })
  const ms = performance.now() - t0
  return { ...result, ms, startedAt, firstOutputMs: firstOutputMs ?? NaN, connectMs: connectMs ?? NaN, pipelineMs: Number(result.outputs['duration-ms'] ?? NaN), readyAt }
}

export function actionMustSucceed(label, r) {
  if (r.exitCode !== 0) {
    const lines = `${r.stdout}\n${r.stderr}`
      .split('\n')
      .filter((l) => /::error|failed|Error/i.test(l))
      .slice(0, 10)
      .join('\n')
    throw new Error(`${label}: the action exited with ${r.exitCode}\n${lines || r.stdout.slice(-2000)}`)
  }
  return r
}
