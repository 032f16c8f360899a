import type { BackupResult } from '../backup/index.js'
import type { ChecksOutcome, LoadedChecks } from '../checks/index.js'
import type { ApplyResult, DowngradeResult, Plan, RepairResult } from '../engines/engine.js'
import type { VerifyOutcome, VerifyPreparation } from '../verify/index.js'
import { CancelledError, cancelSignal } from '../cancel.js'
import { isActionError } from '../errors.js'
import type { Settings } from '../inputs.js'
import type { StageName, StageRecord } from '../report/model.js'
import type { ChainOutcome } from './stages/chain.js'
import type { Connected } from './stages/connect.js'
import type { ExtensionsOutcome } from './stages/extensions.js'
import type { LintOutcome } from './stages/lint.js'
import type { HeldLock } from './stages/lock.js'
import type { Validation } from './stages/validate.js'
import type { SchemaChangeOutcome } from '../scratch/outcomes.js'
import type { DriftStageOutcome } from './stages/drift.js'

/**
 * What each stage hands back, by stage: the report is built from these and the stage records only.
 * A stage in STAGES without an entry here does not compile (RecordedOutcomes indexes it).
 */
export interface Outcomes {
  inputs: Settings
  wait: Connected
  extensions: ExtensionsOutcome
  'load chain': ChainOutcome
  lock: HeldLock
  validate: Validation
  lint: LintOutcome
  drift: DriftStageOutcome
  plan: Plan
  repair: RepairResult
  backup: BackupResult
  snapshot: VerifyPreparation
  apply: ApplyResult
  'schema change': SchemaChangeOutcome
  'verify downgrade': VerifyOutcome
  'load checks': LoadedChecks
  downgrade: DowngradeResult
  checks: ChecksOutcome
}

/** What a failed stage still knows and the report should show (the problems of an invalid chain, the runs of a failed apply). */
export interface FailedOutcomes {
  'load chain': Pick<ChainOutcome, 'engine'>
  extensions: ExtensionsOutcome
  validate: Pick<Validation, 'graph' | 'problems'> & Partial<Pick<Validation, 'state'>>
  lint: LintOutcome
  /** drift: fail: the differences that stopped the run. */
  drift: DriftStageOutcome
  apply: ApplyResult
  /** The round trip that found the difference: its diff is the point of the report. */
  'verify downgrade': VerifyOutcome
  /** The down steps run before the failure, and the state reached. */
  downgrade: DowngradeResult
  /** Every check's verdict: the failing ones' rows are the point of the report. */
  checks: ChecksOutcome
}
type FailedOutcome<N extends StageName> = N extends keyof FailedOutcomes ? FailedOutcomes[N] : never

/** Every stage's result, whole or as known at its failure. */
export type RecordedOutcomes = { [N in StageName]?: Outcomes[N] | FailedOutcome<N> }

/**
 * A stage's answer: its typed result and one line for the Stages table; or the failure that stops
 * the run, with what the stage still knows. Throwing is the same as failing with nothing known.
 */
export type StageResult<N extends StageName> =
  | {
      result: Outcomes[N]
      summary: string
      /** `warning` when the stage succeeded with something the user should see. */
      status?: StageRecord['status']
    }
  | { failure: unknown; known?: FailedOutcome<N> }

/** Thrown by the runner after a failure was recorded, to end the pipeline without recording it twice. */
export class StageStopped extends Error {}

export interface StageFailure {
  stage: StageName | 'report'
  error: unknown
}

/** Runs stages, times them, and keeps their records and outcomes; the first failure ends the run. */
export class StageRunner {
  readonly records: StageRecord[] = []
  readonly outcomes: RecordedOutcomes = {}
  failure?: StageFailure

  /** `signal`: a cancelled run starts no further stage. */
  constructor(private readonly signal?: AbortSignal) {}

  async stage<N extends StageName>(name: N, run: () => Promise<StageResult<N>>): Promise<Outcomes[N]> {
    const start = Date.now()
    const failed = (error: unknown): StageStopped => {
      this.records.push({ name, status: 'failed', durationMs: Date.now() - start, summary: isActionError(error) ? error.message : 'internal error' })
      this.fail(name, error)
      return new StageStopped()
    }
    const cancelled = cancelSignal(this.signal)
    if (cancelled) throw failed(new CancelledError(cancelled, `the ${name} stage did not start`))
    let answer: StageResult<N>
    try {
      answer = await run()
    } catch (error) {
      throw failed(error)
    }
    if ('failure' in answer) {
      if (answer.known) this.outcomes[name] = answer.known
      throw failed(answer.failure)
    }
    this.outcomes[name] = answer.result
    this.records.push({ name, status: answer.status ?? 'ok', durationMs: Date.now() - start, summary: answer.summary })
    return answer.result
  }

  /** Ends the run as cancelled when the signal arrived after the last stage began (`what`: what it had done by then). */
  stopIfCancelled(what: string): void {
    const cancelled = cancelSignal(this.signal)
    if (!cancelled || this.failure) return
    this.fail(this.records.at(-1)?.name ?? 'report', new CancelledError(cancelled, what))
    throw new StageStopped()
  }

  skip(name: StageName, summary: string): void {
    this.records.push({ name, status: 'skipped', durationMs: 0, summary })
  }

  /** Records the run's error; the first one is the cause, later ones are consequences. */
  fail(stage: StageFailure['stage'], error: unknown): void {
    this.failure ??= { stage, error }
  }
}
