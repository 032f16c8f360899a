import type { Engine, EngineContext, LoadedChain, RepairResult } from './engines/engine.js'
import { ActionError } from './errors.js'
import type { RepairRequest } from './inputs.js'
import { cell, code, fence, table } from './report/markdown.js'
import type { StageRecord } from './report/model.js'
import { echo } from './echo.js'

/**
 * `mode: repair`: record one revision as applied or pending after the user fixed the database by
 * hand. Runs in place of validate and apply — a dirty or wrongly stamped database is exactly what
 * validation refuses — always under the migration lock, and always reported with the rows before
 * and after.
 */

export interface RepairStageInput {
  engine: Engine
  ctx: EngineContext
  chain: LoadedChain
  request: RepairRequest
}

export async function runRepair({ engine, ctx, chain, request }: RepairStageInput): Promise<RepairResult> {
  const revision = chain.revisions.find((r) => r.id === request.revision)
  if (!revision) {
    const known = chain.revisions.map((r) => r.id)
    throw new ActionError('repair-revision-unknown', `Input 'repair-revision' names '${echo(request.revision)}', which is not a revision of the chain in ${chain.directory}.`, {
      location: { input: 'repair-revision' },
      hint:
        known.length === 0
          ? 'The migrations directory holds no migrations: check migrations-path.'
          : `Use one of the chain's revisions, e.g. ${known.slice(-5).join(', ')} (exactly as the file or revision declares it).`
    })
  }
  if (!ctx.lock) throw new Error('mode: repair must hold the migration lock')
  // The lock may have been lost with its session since it was taken; never write without it.
  await ctx.lock.ensureHeld()
  return engine.repair(ctx, chain, revision, request)
}

export function describeRepairStage(result: RepairResult): Pick<StageRecord, 'status' | 'summary'> {
  return { status: result.changed ? 'ok' : 'warning', summary: result.done }
}

export function renderRepairSection(result: RepairResult | undefined): string {
  if (!result) return ''
  const rows = (label: string, cells: string[][]): string[][] =>
    cells.length === 0 ? [[label, ...result.columns.map((_, i) => (i === 0 ? '*(no row)*' : ''))]] : cells.map((c) => [label, ...c.map(cell)])
  // The full checksum is in the command below; a table cell only needs enough to tell the two apart.
  const short = (value: string): string => (/^[0-9a-f]{40,}$/.test(value) ? `${value.slice(0, 12)}…` : value)
  const shortened = (cells: string[][]): string[][] => cells.map((row) => row.map(short))
  return (
    `### Repair of ${code(result.revision)}\n\n` +
    `${cell(result.done)}. What was run:\n\n${fence(result.command, /^alembic\s/.test(result.command) ? 'sh' : 'sql')}\n` +
    table(['row', ...result.columns], [...rows('before', shortened(result.before)), ...rows('after', shortened(result.after))])
  )
}
