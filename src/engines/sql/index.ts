import type pg from 'pg'
import { plural } from '../../report/markdown.js'
import { ActionError } from '../../errors.js'
import type { RepairRequest, Settings } from '../../inputs.js'
import { loadSqlParser } from '../../sql/parse.js'
import type { ApplyResult, DatabaseState, Engine, LoadedChain, PendingRevision, Plan, Problem, Revision, StepOutcome } from '../engine.js'
import { applyPlanned } from './apply.js'
import { canonicalVersion, compareVersions, KNOWN_DIRECTIVES, loadSqlMigrations, settleSections, type SqlMigration } from './files.js'
import { HistoryTable, provenanceFromEnv } from './history.js'
import { planMigration, type PlannedMigration } from './plan.js'
import { runDownSection, stepFailure } from './down.js'

import { planSqlDowngrade, runSqlDowngrade, sqlDowngradeSteps } from './downgrade.js'
import { repairSql } from './repair.js'
import { pendingMigrations, stateFromHistory } from './state.js'
import { defaultWorkspace } from '../../workspace.js'

/**
 * The native SQL engine: a directory of `<version>_<name>.sql` files applied in version order with
 * the `pg` driver, recorded in a history table.
 */
/** What the SQL engine keeps of a loaded chain: the files as read, by version, in version order. */
export type SqlChainData = Map<string, SqlMigration>

export type SqlEngine = Engine<SqlChainData, PlannedMigration[], PlannedMigration[]>

export function createSqlEngine(settings: Settings, cwd: string = process.cwd(), workspace: string = defaultWorkspace(process.env, cwd)): SqlEngine {
  const history = new HistoryTable(settings.historyTable)

  const engine: SqlEngine = {
    name: 'sql',

    async loadChain(): Promise<LoadedChain<SqlChainData>> {
      const migrations = await loadSqlMigrations(settings.migrationsPath, cwd, { provisionalSplits: true, workspace })
      const revisions = migrations.map((m, i): Revision => ({
        id: m.version,
        parents: i === 0 ? [] : [migrations[i - 1].version],
        dependsOn: [],
        branchLabels: [],
        description: m.name.replace(/_/g, ' '),
        file: m.file,
        line: 1,
        checksum: m.checksum
      }))
      return {
        engine: 'sql',
        directory: settings.migrationsPath,
        revisions,
        notes: chainNotes(migrations, history),
        versionTable: settings.historyTable,
        data: new Map(migrations.map((m) => [m.version, m]))
      }
    },

    checkChain(chain): Problem[] {
      const problems: Problem[] = []
      for (const migration of chain.data.values()) {
        for (const directive of migration.directives) {
          if ((KNOWN_DIRECTIVES as readonly string[]).includes(directive.name)) continue
          problems.push({
            code: 'unknown-directive',
            severity: 'error',
            message: `${migration.file} line ${directive.line}: unknown directive -- pg-migrate:${directive.name}.`,
            hint: `Known directives: ${KNOWN_DIRECTIVES.map((d) => `-- pg-migrate:${d}`).join(', ')}.`,
            revisions: [migration.version],
            file: migration.file,
            line: directive.line
          })
        }
      }
      return problems
    },

    async readState(ctx, chain): Promise<DatabaseState> {
      const rows = await history.read(ctx.client)
      // A provisional split stands where the history recorded its checksum (files.ts says why); the lexer settles the rest.
      const recorded = new Set((rows ?? []).map((row) => `${canonicalVersion(row.version)} ${row.checksum}`))
      for (const m of [...chain.data.values()]) {
        if (m.provisional && !recorded.has(`${canonicalVersion(m.version)} ${m.checksum}`)) await settled(chain, m.version)
      }
      return stateFromHistory([...chain.data.values()], rows, history, settings.allowOutOfOrder)
    },

    pending(chain, state): Revision[] {
      const migrations = pendingMigrations(
        [...chain.data.values()],
        state.applied.map((a) => a.id)
      )
      const byId = new Map(chain.revisions.map((r) => [r.id, r]))
      return migrations.map((m) => byId.get(m.version)!)
    },

    async plan(ctx, chain, _state, pending): Promise<Plan<PlannedMigration[]>> {
      if (pending.length === 0) return { revisions: [], notes: [], data: [] }
      const parser = await loadSqlParser()
      const serverVersionNum = await readServerVersionNum(ctx.client)
      const migrations = await Promise.all(pending.map((r) => settled(chain, r.id)))
      const planned = migrations.map((m) => planMigration(parser, m, serverVersionNum))
      const revisions = planned.map((p, i): PendingRevision => ({
        revision: pending[i],
        sql: p.migration.up.text,
        sqlLine: p.migration.up.startLine,
        transactional: p.transactional,
        notes: [
          ...p.notes,
          ...(p.invalid ? [`Cannot run as written: ${p.invalid.message} (line ${p.invalid.line}).`] : []),
          ...(!p.transactional && settings.transaction === 'all' ? ['transaction: all refuses it: it cannot run in the one transaction of the run.'] : [])
        ]
      }))
      return { revisions, notes: [], data: planned }
    },

    async apply(ctx, _chain, state, plan): Promise<ApplyResult> {
      if (plan.data.length === 0) return { runs: [], current: state.current }
      const outcome = await applyPlanned(ctx, plan.data, { history, provenance: provenanceFromEnv() })
      const applied = [...state.applied.map((a) => a.id), ...outcome.runs.filter((r) => r.status === 'applied').map((r) => r.id), ...outcome.appliedElsewhere]
      const newest = applied.sort(compareVersions).at(-1)
      return { runs: outcome.runs, failure: outcome.failure, current: newest ? [newest] : [], appliedElsewhere: outcome.appliedElsewhere }
    },

    async repair(ctx, chain, revision, request: RepairRequest) {
      return repairSql(
        ctx.client,
        history,
        await settled(chain, revision.id),
        { versions: chain.revisions.map((r) => r.id), allowOutOfOrder: settings.allowOutOfOrder },
        request,
        provenanceFromEnv()
      )
    },

    async planDowngrade(ctx, chain, state, target) {
      const steps = sqlDowngradeSteps(chain.revisions, state, target)
      const migrations = await Promise.all(steps.versions.map((version) => settled(chain, chainId(chain, version))))
      if (migrations.length === 0) return { target: steps.target, revisions: [], notes: [], data: [] }
      return planSqlDowngrade(migrations, chain.revisions, steps.target, await loadSqlParser(), await readServerVersionNum(ctx.client))
    },

    downgrade(ctx, _chain, _state, plan) {
      return runSqlDowngrade(ctx, plan, history)
    },

    async downgradeOne(ctx, chain, revision): Promise<StepOutcome> {
      return runDownSection(ctx, history, await settled(chain, revision.id), await loadSqlParser(), await readServerVersionNum(ctx.client))
    },

    upgradeOne(ctx, chain, revision): Promise<StepOutcome> {
      return engine.upgradeTo(ctx, chain, [revision])
    },

    async upgradeTo(ctx, chain, revisions): Promise<StepOutcome> {
      const state = await engine.readState(ctx, chain)
      const result = await engine.apply(ctx, chain, state, await engine.plan(ctx, chain, state, revisions))
      if (!result.failure) return { status: 'ok' }
      const failed = stepFailure(result.failure)
      return { status: 'failed', ...failed, message: revisions.length > 1 ? `${result.failure.revision} failed: ${failed.message}` : failed.message }
    }
  }
  return engine
}

/** The chain's id of a version as the history table spells it (`1` for the file `0001_…`). */
function chainId(chain: LoadedChain<SqlChainData>, version: string): string {
  const key = canonicalVersion(version)
  return chain.revisions.find((r) => canonicalVersion(r.id) === key)?.id ?? version
}

/** The migration as the lexer splits its file: a provisional split is settled once, in the chain's own data. */
async function settled(chain: LoadedChain<SqlChainData>, id: string): Promise<SqlMigration> {
  const migration = chain.data.get(id)
  if (!migration) throw new Error(`The SQL engine has no file for revision ${id}.`)
  if (!migration.provisional) return migration
  const lexed = await settleSections(migration)
  chain.data.set(id, lexed)
  const revision = chain.revisions.find((r) => r.id === id)
  if (revision) revision.checksum = lexed.checksum
  return lexed
}

async function readServerVersionNum(client: pg.Client): Promise<number> {
  try {
    const result = await client.query(`SELECT current_setting('server_version_num')::int AS v`)
    return Number(result.rows[0].v)
  } catch (error) {
    throw new ActionError('server-version-unreadable', 'Could not read the server version (server_version_num).', { cause: error })
  }
}

function chainNotes(migrations: SqlMigration[], history: HistoryTable): string[] {
  const styles = new Set(migrations.map((m) => m.style))
  const described = [...styles].map(
    (s) => ({ plain: 'plain files', dbmate: 'dbmate sections', goose: 'goose annotations', 'sql-migrate': 'sql-migrate sections', pair: '.up.sql/.down.sql pairs' })[s]
  )
  const notes = [`${plural(migrations.length, 'SQL migration')}${described.length ? ` (${described.join(', ')})` : ''}; history table ${history.display}.`]
  const withoutDown = migrations.filter((m) => !m.down).length
  if (migrations.length > 0 && withoutDown > 0) notes.push(`${withoutDown} of ${migrations.length} migrations have no down section.`)
  return notes
}
