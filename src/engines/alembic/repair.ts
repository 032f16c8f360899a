import { ActionError } from '../../errors.js'
import type { RepairRequest } from '../../inputs.js'
import { redact } from '../../redact.js'
import type { Chain, EngineContext, RepairResult, Revision } from '../engine.js'
import { extractError } from './output.js'
import { runAlembic, type AlembicVersions } from './run.js'
import { readVersionRows, reconcile, versionTableName, type VersionTable } from './version-table.js'

/**
 * `mode: repair` for Alembic: `alembic stamp` through the same launcher as upgrades, so the version
 * table is written by Alembic itself. `--purge` (erase the table first) only when the rows are not a
 * set of known, distinct branch heads — an unknown stamped revision, a duplicate, a stale ancestor —
 * because a plain stamp refuses those, and a purge of a healthy multi-branch table would lose the
 * other branches' heads.
 */

export interface AlembicRepairOptions {
  python: string
  cwd: string
  env: NodeJS.ProcessEnv
  table: VersionTable
  onVersions?: (versions: AlembicVersions) => void
}

export async function repairAlembic(ctx: EngineContext, chain: Chain, revision: Revision, request: RepairRequest, options: AlembicRepairOptions): Promise<RepairResult> {
  const target = stampTarget(revision, request)
  const before = (await readVersionRows(ctx.client, options.table)) ?? []
  const purge = new Set(before).size !== before.length || reconcile(chain, before, options.table).problems.length > 0
  const args = ['stamp', ...(purge ? ['--purge'] : []), target]
  const command = `alembic ${args.join(' ')}`
  const table = versionTableName(options.table)
  const rows = (ids: string[]): string[][] => ids.map((id) => [id])
  if (before.length === 1 && before[0] === target) {
    return {
      revision: revision.id,
      done: `${table} already records ${target}; nothing changed`,
      changed: false,
      command,
      columns: ['version_num'],
      before: rows(before),
      after: rows(before)
    }
  }
  const proc = await ctx.log.group(command, () =>
    runAlembic({ python: options.python, args, cwd: options.cwd, env: options.env, log: ctx.log, echo: true, onVersions: options.onVersions })
  )
  if (proc.exitCode !== 0) {
    const error = extractError(proc.stderr + '\n' + proc.stdout)
    throw new ActionError('repair-failed', `${command} failed: ${redact(error?.summary ?? `exit code ${proc.exitCode}`)}. ${table} is unchanged.`, {
      location: { input: 'repair-revision', revision: revision.id },
      hint: 'Run the same command locally (DATABASE_URL=<url> alembic ' + args.join(' ') + ') to see the whole error; the full log is below.',
      details: [proc.log]
    })
  }
  const after = (await readVersionRows(ctx.client, options.table)) ?? []
  const what = request.action === 'mark-pending' ? `${revision.id} is pending again: ${table} now records ${target}` : `recorded ${revision.id} as applied: ${table} now records it`
  return {
    revision: revision.id,
    done: `${what}${purge ? ` (--purge: the table held ${before.length ? before.join(', ') : 'nothing'}, which Alembic cannot move from)` : ''}`,
    changed: true,
    command,
    columns: ['version_num'],
    before: rows(before),
    after: rows(after)
  }
}

/** mark-pending stamps the parent, so the next upgrade runs the revision again; a merge has no single parent to go back to. */
function stampTarget(revision: Revision, request: RepairRequest): string {
  if (request.action !== 'mark-pending') return revision.id
  if (revision.parents.length === 0) return 'base'
  if (revision.parents.length === 1) return revision.parents[0]
  throw new ActionError(
    'invalid-input',
    `Input 'repair-action' is mark-pending, but ${revision.id} is a merge of ${revision.parents.join(', ')}, so there is no single revision to stamp back to; got 'mark-pending'.`,
    {
      location: { input: 'repair-action', revision: revision.id, file: revision.file },
      hint: `Set repair-revision to the revision the database really is at (one of ${revision.parents.join(', ')}) and leave repair-action empty, or stamp several heads by hand: alembic stamp ${revision.parents.join(' ')}.`
    }
  )
}
