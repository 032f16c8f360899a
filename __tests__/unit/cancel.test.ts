import { describe, expect, it } from '@jest/globals'
import { EventEmitter } from 'node:events'
import { abortOnCancelSignals, cancellableSleep, CancelledError, cancelSignal, sleepUnlessCancelled } from '../../src/cancel.js'
import { StageRunner, StageStopped } from '../../src/pipeline/stage.js'
import type { RunReport } from '../../src/report/model.js'
import { renderReport } from '../../src/report/render.js'

/** A process stand-in: the signals are events a test emits. */
function fakeProcess(): EventEmitter & Pick<NodeJS.Process, 'on' | 'off'> {
  return new EventEmitter() as EventEmitter & Pick<NodeJS.Process, 'on' | 'off'>
}

describe('a cancel signal from the runner', () => {
  it('aborts the run with the signal it got, the first one counting, instead of ending the process', () => {
    const target = fakeProcess()
    const cancel = abortOnCancelSignals(target)
    expect(cancel.signal.aborted).toBe(false)
    target.emit('SIGINT')
    target.emit('SIGTERM')
    expect(cancelSignal(cancel.signal)).toBe('SIGINT')
    expect(cancel.signal.reason).toMatchObject({ code: 'cancelled', message: 'The run was cancelled (SIGINT): the run stopped before its next step.' })
    cancel.dispose()
    expect(target.listenerCount('SIGINT') + target.listenerCount('SIGTERM')).toBe(0)
  })

  it('cuts a backoff sleep short: plainly, or with the cancellation as its error', async () => {
    const controller = new AbortController()
    const started = Date.now()
    const sleeping = sleepUnlessCancelled(60_000, controller.signal)
    const throwing = cancellableSleep(controller.signal)(60_000)
    controller.abort(new CancelledError('SIGTERM'))
    await sleeping
    await expect(throwing).rejects.toMatchObject({ code: 'cancelled', message: 'The run was cancelled (SIGTERM): the run stopped before its next step.' })
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('starts no further stage, and one that ended after the cancel makes the run a cancelled one', async () => {
    const controller = new AbortController()
    const runner = new StageRunner(controller.signal)
    await runner.stage('wait', async () => {
      controller.abort(new CancelledError('SIGTERM'))
      return { result: {} as never, summary: 'ready' }
    })
    let ran = false
    await expect(
      runner.stage('lint', async () => {
        ran = true
        return { result: {} as never, summary: '' }
      })
    ).rejects.toBeInstanceOf(StageStopped)
    expect(ran).toBe(false)
    expect(runner.failure).toMatchObject({ stage: 'lint', error: { code: 'cancelled', message: 'The run was cancelled (SIGTERM): the lint stage did not start.' } })

    const late = new StageRunner(controller.signal)
    expect(() => late.stopIfCancelled('every step had finished before it arrived')).toThrow(StageStopped)
    expect(late.failure?.error).toMatchObject({ message: 'The run was cancelled (SIGTERM): every step had finished before it arrived.' })
  })
})

function report(overrides: Partial<RunReport>): RunReport {
  return { status: 'failure', mode: 'migrate', startedAt: new Date(0), durationMs: 1, stages: [], problems: [], warnings: [], ...overrides }
}

describe('the report of a cancelled run', () => {
  it('headlines the cancel, not a failed migration, and gives the engine’s database state', () => {
    const text = renderReport(
      report({
        error: { stage: 'apply', code: 'cancelled', message: 'The run was cancelled (SIGTERM) while m/0002.sql was running.', details: [], location: {}, bug: false },
        apply: {
          current: ['0001'],
          runs: [
            { id: '0001', description: 'a', file: 'm/0001.sql', status: 'applied', attempts: 1, transactional: true, notes: [] },
            { id: '0002', description: 'b', file: 'm/0002.sql', status: 'rolled-back', attempts: 1, transactional: true, notes: ['stopped by the cancel'] }
          ],
          failure: {
            code: 'cancelled',
            revision: '0002',
            file: 'm/0002.sql',
            message: 'The run was cancelled (SIGTERM) while m/0002.sql was running.',
            databaseState: 'Rolled back: nothing of m/0002.sql was applied.',
            recovery: ['Run the job again: it starts from 0002.']
          }
        }
      })
    )
    expect(text).toMatch(/^## 🛑 pg-migrate-action · migrate: cancelled during \*\*apply\*\* at migration `0002` \(1 of 2 applied\)/)
    expect(text).toContain('> **The run was cancelled (SIGTERM) while m/0002.sql was running.**')
    expect(text).not.toContain('failed:')
    expect(text).toContain('**Database state:** 1 revision, `0001`, committed in this run; now at `0001`. Rolled back: nothing of m/0002.sql was applied.')
  })

  it('says nothing was applied when the cancel came before the apply stage', () => {
    const text = renderReport(
      report({
        error: { stage: 'lock', code: 'cancelled', message: 'The run was cancelled (SIGINT): the run stopped before its next step.', details: [], location: {}, bug: false }
      })
    )
    expect(text).toMatch(/^## 🛑 pg-migrate-action · migrate: cancelled during \*\*lock\*\*: nothing applied/)
    expect(text).toContain('**Database state:** no migration was applied by this run: it was cancelled before it applied anything.')
  })

  it('says when the lock wait included a migration an earlier, killed run left running', () => {
    const text = renderReport(
      report({
        status: 'success',
        lock: { waitedMs: 4200, waitedForSessions: 'pid 77 (pg-migrate-action migration, active for 1.2 s)' },
        apply: { runs: [], current: ['0003'] }
      })
    )
    expect(text).toContain(
      '- Migration lock: waited 4.20 s for a migration session an earlier run left running when it ended (pid 77 (pg-migrate-action migration, active for 1.2 s)), then read what it left'
    )
  })
})
