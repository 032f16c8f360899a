import type pg from 'pg'
import { ActionError } from '../../errors.js'
import type { Settings } from '../../inputs.js'
import { loadSqlParser } from '../../sql/parse.js'
import type { ApplyResult, Chain, DatabaseState, Engine, EngineContext, PendingRevision, Problem, Revision } from '../engine.js'
import { applyPlanned } from './apply.js'
import { compareVersions, KNOWN_DIRECTIVES, loadSqlMigrations, type SqlMigration } from './files.js'
import { HistoryTable, provenanceFromEnv } from './history.js'
import { planMigration, type PlannedMigration } from './plan.js'
import { pendingMigrations, stateFromHistory } from './state.js'

/**
 * The native SQL engine: a directory of `<version>_<name>.sql` files applied in version order with
 * the `pg` driver, recorded in a history table.
 */
export function createSqlEngine(settings: Settings, cwd: string = process.cwd()): Engine {
  const history = new HistoryTable(settings.historyTable)
  // The files as read by loadChain, so later stages run exactly what was validated.
  const loaded = new WeakMap<Chain, Map<string, SqlMigration>>()

  const migrationsOf = (chain: Chain): Map<string, SqlMigration> => {
    const map = loaded.get(chain)
    if (!map) throw new Error('The SQL engine was given a chain it did not load.')
    return map
  }
  const migrationFor = (chain: Chain, revision: Revision): SqlMigration => {
    const migration = migrationsOf(chain).get(revision.id)
    if (!migration) throw new Error(`The SQL engine has no file for revision ${revision.id}.`)
    return migration
  }

  const plan = async (ctx: EngineContext, chain: Chain, pending: Revision[]): Promise<PlannedMigration[]> => {
    if (pending.length === 0) return []
    const parser = await loadSqlParser()
    const serverVersionNum = await readServerVersionNum(ctx.client)
    return pending.map((r) => planMigration(parser, migrationFor(chain, r), serverVersionNum))
  }

  return {
    name: 'sql',

    async loadChain(): Promise<Chain> {
      const migrations = await loadSqlMigrations(settings.migrationsPath, cwd)
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
      const chain: Chain = {
        engine: 'sql',
        directory: settings.migrationsPath,
        revisions,
        notes: chainNotes(migrations, history)
      }
      loaded.set(chain, new Map(migrations.map((m) => [m.version, m])))
      return chain
    },

    checkChain(chain: Chain): Problem[] {
      const problems: Problem[] = []
      for (const migration of migrationsOf(chain).values()) {
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

    async readState(ctx: EngineContext, chain: Chain): Promise<DatabaseState> {
      const rows = await history.read(ctx.client)
      return stateFromHistory([...migrationsOf(chain).values()], rows, history, settings.allowOutOfOrder)
    },

    pending(chain: Chain, state: DatabaseState): Revision[] {
      const migrations = pendingMigrations([...migrationsOf(chain).values()], state.applied.map((a) => a.id))
      const byId = new Map(chain.revisions.map((r) => [r.id, r]))
      return migrations.map((m) => byId.get(m.version)!)
    },

    async renderSql(ctx: EngineContext, chain: Chain, _state: DatabaseState, pending: Revision[]): Promise<PendingRevision[]> {
      const planned = await plan(ctx, chain, pending)
      return planned.map((p, i) => ({
        revision: pending[i],
        sql: p.migration.up.text,
        sqlLine: p.migration.up.startLine,
        transactional: p.transactional,
        notes: p.invalid ? [...p.notes, `Cannot run as written: ${p.invalid.message} (line ${p.invalid.line}).`] : p.notes
      }))
    },

    async apply(ctx: EngineContext, chain: Chain, state: DatabaseState, pending: Revision[]): Promise<ApplyResult> {
      if (pending.length === 0) return { runs: [], current: state.current }
      const planned = await plan(ctx, chain, pending)
      const outcome = await applyPlanned(ctx, planned, { history, provenance: provenanceFromEnv() })
      const applied = [...state.applied.map((a) => a.id), ...outcome.runs.filter((r) => r.status === 'applied').map((r) => r.id), ...outcome.appliedElsewhere]
      const newest = applied.sort(compareVersions).at(-1)
      return { runs: outcome.runs, failure: outcome.failure, current: newest ? [newest] : [], appliedElsewhere: outcome.appliedElsewhere }
    }
  }
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
  const described = [...styles].map((s) => (s === 'plain' ? 'plain files' : s === 'dbmate' ? 'dbmate sections' : '.up.sql/.down.sql pairs'))
  const notes = [`${migrations.length} SQL migration${migrations.length === 1 ? '' : 's'}${described.length ? ` (${described.join(', ')})` : ''}; history table ${history.display}.`]
  const withoutDown = migrations.filter((m) => !m.down).length
  if (migrations.length > 0 && withoutDown > 0) notes.push(`${withoutDown} of ${migrations.length} migrations have no down section.`)
  return notes
}
