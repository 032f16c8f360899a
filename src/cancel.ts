import { ActionError } from './errors.js'

/**
 * A cancelled run (the Cancel button, a newer run of a `cancel-in-progress` concurrency group, a
 * step's `timeout-minutes`): the runner sends SIGINT to the action's process, SIGTERM 7.5 s later
 * and kills the process tree 2.5 s after that. Without a handler Node dies at the first signal,
 * leaving its migration sessions (and before, an Alembic interpreter) running without the lock and
 * no summary. With one, the run stops what is in flight, reads what the database holds, releases the
 * lock and writes the report within that time.
 */

/** The signals a runner sends to cancel a step. */
export const CANCEL_SIGNALS = ['SIGINT', 'SIGTERM'] as const
export type CancelSignal = (typeof CANCEL_SIGNALS)[number]

/** The error a cancelled run ends with; also the abort reason of the run's signal. */
export class CancelledError extends ActionError {
  constructor(
    readonly signalName: CancelSignal,
    what = 'the run stopped before its next step'
  ) {
    super('cancelled', `The run was cancelled (${signalName}): ${what}.`, {
      hint: 'Run the job again: it continues from what the database holds now, as the report shows.'
    })
  }
}

/** The signal a cancelled run received; undefined while it is not cancelled. */
export function cancelSignal(signal: AbortSignal | undefined): CancelSignal | undefined {
  if (!signal?.aborted) return undefined
  return signal.reason instanceof CancelledError ? signal.reason.signalName : 'SIGTERM'
}

/** Throws the cancellation as an ActionError when `signal` has been aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError(cancelSignal(signal)!)
}

/**
 * Turns the runner's SIGINT and SIGTERM into an aborted signal instead of the process's death. A
 * second signal changes nothing: the run is already stopping, and the runner's last resort comes anyway.
 */
export function abortOnCancelSignals(target: Pick<NodeJS.Process, 'on' | 'off'> = process): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController()
  const handlers = CANCEL_SIGNALS.map((name) => {
    const handler = (): void => {
      if (!controller.signal.aborted) controller.abort(new CancelledError(name))
    }
    target.on(name, handler)
    return [name, handler] as const
  })
  return { signal: controller.signal, dispose: () => handlers.forEach(([name, handler]) => target.off(name, handler)) }
}

/** `ms` of waiting that ends early, without an error, when the run is cancelled; the caller checks the signal after it. */
export function sleepUnlessCancelled(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const done = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

/** A sleep for backoff loops (the readiness wait, the lock wait) that throws the cancellation instead of waiting on. */
export function cancellableSleep(signal: AbortSignal | undefined): (ms: number) => Promise<void> {
  return async (ms) => {
    await sleepUnlessCancelled(ms, signal)
    throwIfCancelled(signal)
  }
}
