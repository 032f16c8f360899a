import type { ApplyResult, DatabaseState, Engine, EngineContext, LoadedChain, MigrationFailure, Plan } from '../../engines/engine.js'
import { ActionError } from '../../errors.js'
import type { StageResult } from '../stage.js'
import { plural } from '../../report/markdown.js'

/** The apply stage (migrate mode). */
export async function applyStage(engine: Engine, ctx: EngineContext, chain: LoadedChain, state: DatabaseState, plan: Plan): Promise<StageResult<'apply'>> {
  const count = plan.revisions.length
  let result: ApplyResult
  try {
    result = count === 0 ? { runs: [], current: state.current } : await ctx.log.group(`Applying ${plural(count, 'migration')}`, () => engine.apply(ctx, chain, state, plan))
  } catch (error) {
    return { failure: error, known: await appliedAfterThrow(engine, ctx, chain, plan) }
  }
  if (result.failure) return { failure: migrationFailed(result.failure), known: result }
  const applied = result.runs.filter((r) => r.status === 'applied').length
  return { result, summary: result.runs.length === 0 ? 'nothing to apply' : `applied ${plural(applied, 'migration')}` }
}

function migrationFailed(failure: MigrationFailure): ActionError {
  // A cancel is not the migration's failure: its message says what was stopped.
  const message = failure.code === 'cancelled' ? failure.message : `Migration ${failure.revision} failed: ${failure.message}`
  return new ActionError(failure.code ?? 'migration-failed', message, {
    location: { file: failure.file, line: failure.line, column: failure.column, revision: failure.revision },
    hint: failure.recovery[0],
    details: [failure.databaseState]
  })
}

/**
 * An engine that throws instead of returning its failure still may have applied some migrations;
 * the database knows which, so the report and the outputs say so. Undefined when it cannot be read.
 */
async function appliedAfterThrow(engine: Engine, ctx: EngineContext, chain: LoadedChain, plan: Plan): Promise<ApplyResult | undefined> {
  const after = await engine.readState(ctx, chain).catch(() => undefined)
  if (!after) return undefined
  const applied = new Set(after.applied.map((a) => a.id))
  return {
    current: after.current,
    runs: plan.revisions.map(({ revision, transactional }) => ({
      id: revision.id,
      description: revision.description,
      file: revision.file,
      status: applied.has(revision.id) ? ('applied' as const) : ('not-run' as const),
      attempts: 1,
      transactional,
      notes: []
    }))
  }
}
