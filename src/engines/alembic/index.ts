import path from 'node:path'
import { pendingPath } from '../../chain/graph.js'
import { ActionError } from '../../errors.js'
import type { Settings } from '../../inputs.js'
import type { Logger } from '../../logger.js'
import { redact } from '../../redact.js'
import type { Chain, DatabaseState, Engine, EngineContext, PendingRevision, Problem, Revision } from '../engine.js'
import { applyAlembic } from './apply.js'
import { registerOfflineSqlSecrets, splitOfflineSql } from './offline-sql.js'
import { extractError } from './output.js'
import { chainNotes, loadProject, toChain, type AlembicProject, type RevisionSource } from './project.js'
import { runAlembic, type AlembicVersions } from './run.js'
import { prepareVenv } from './venv.js'
import { readVersionRows, reconcile, resolveVersionTable, versionTableName, type VersionTable } from './version-table.js'

export { alembicDatabaseUrl } from './run.js'

export interface AlembicEngineOptions {
  /** The environment Alembic runs with (DATABASE_URL is added). Defaults to this process's, so PYTHONPATH and friends carry over. */
  env?: NodeJS.ProcessEnv
}

interface Runtime {
  python: string
  env: NodeJS.ProcessEnv
}

/**
 * The Alembic engine: the chain is read statically from alembic.ini and the revision files, the
 * state straight from the version table with `pg`, and only plan (offline `--sql`) and apply run
 * Python.
 */
export function createAlembicEngine(settings: Settings, options: AlembicEngineOptions = {}): Engine {
  let project: AlembicProject | undefined
  let table: VersionTable | undefined
  let runtime: Promise<Runtime> | undefined

  const loaded = (): { project: AlembicProject; table: VersionTable; sources: Map<string, RevisionSource> } => {
    if (!project || !table) throw new Error('Alembic engine: loadChain() must run first')
    return { project, table, sources: new Map(project.revisions.map((r) => [r.revision.id, r])) }
  }

  // The launcher reports the versions on every run; plan followed by apply would note them twice.
  let versionsNoted = false
  const noteVersions =
    (chain: Chain, log: Logger, python: string) =>
    (versions: AlembicVersions): void => {
      if (versionsNoted) return
      versionsNoted = true
      const note = `Alembic ${versions.alembic}, SQLAlchemy ${versions.sqlalchemy}, Python ${versions.python} (${python})`
      chain.notes.push(note)
      log.info(note)
    }

  const prepare = (chain: Chain, log: Logger): Promise<Runtime> => {
    runtime ??= (async () => {
      const baseEnv = options.env ?? process.env
      let python = settings.python
      if (settings.alembicRequirements) {
        const venv = await prepareVenv({ python, requirementsPath: settings.alembicRequirements, env: baseEnv, log })
        python = venv.python
        chain.notes.push(venv.note)
        log.info(venv.note)
      }
      const t = loaded().table
      const env: NodeJS.ProcessEnv = {
        ...baseEnv,
        // Rebuilt from the one parse of the input, so SQLAlchemy reads the same credentials as the action.
        DATABASE_URL: settings.databaseUrl.forSqlAlchemy,
        // libpq drivers (psycopg2, psycopg 3) apply these to Alembic's own session, so the
        // lock-timeout and statement-timeout inputs hold there too; a PGOPTIONS the user set comes later and wins.
        PGOPTIONS: [`-c lock_timeout=${settings.lockTimeout}`, `-c statement_timeout=${settings.statementTimeout}`, baseEnv.PGOPTIONS].filter(Boolean).join(' '),
        PGAPPNAME: baseEnv.PGAPPNAME ?? 'pg-migrate-action (alembic)',
        // Not read by Alembic: for env.py files that want to follow the action's version table setting.
        PGMA_ALEMBIC_VERSION_TABLE: t.table,
        PGMA_ALEMBIC_VERSION_TABLE_SCHEMA: t.schema ?? ''
      }
      return { python, env }
    })()
    return runtime
  }

  return {
    name: 'alembic',

    async loadChain(): Promise<Chain> {
      project = await loadProject(settings.migrationsPath)
      table = resolveVersionTable(settings, project.ini)
      const tableNote = `${versionTableName(table)}${table.schema ? '' : ' (default schema)'}, from ${table.source === 'input' ? 'the alembic-version-table input' : table.source}`
      return toChain(project, settings.migrationsPath, chainNotes(project, tableNote))
    },

    checkChain(_chain: Chain): Problem[] {
      return loaded().project.problems
    },

    async readState(ctx: EngineContext, chain: Chain): Promise<DatabaseState> {
      const { table } = loaded()
      return reconcile(chain, await readVersionRows(ctx.client, table), table)
    },

    pending(chain: Chain, state: DatabaseState): Revision[] {
      const known = new Set(chain.revisions.map((r) => r.id))
      return pendingPath(chain.revisions, state.current.filter((id) => known.has(id)))
    },

    async renderSql(ctx: EngineContext, chain: Chain, state: DatabaseState, pending: Revision[]): Promise<PendingRevision[]> {
      if (pending.length === 0) return []
      const { project, sources } = loaded()
      const rt = await prepare(chain, ctx.log)
      const known = state.current.filter((id) => sources.has(id))
      // Offline ranges take one start; with several branch heads the output also covers revisions
      // already applied on the other branches, which the split below leaves out.
      const target = known.length > 0 ? `${known[0]}:head` : 'head'
      const proc = await runAlembic({
        python: rt.python,
        args: ['upgrade', target, '--sql'],
        cwd: project.ini.dir,
        env: rt.env,
        onVersions: noteVersions(chain, ctx.log, rt.python)
      })
      await registerOfflineSqlSecrets(proc.stdout)
      if (proc.exitCode !== 0) {
        const error = extractError(proc.stderr)
        const reason = redact(error?.summary ?? `exit code ${proc.exitCode}`)
        ctx.log.warning(`Alembic's offline mode (upgrade ${target} --sql) failed, so there is no SQL to plan or lint: ${reason}`)
        return pending.map((revision) => ({
          revision,
          transactional: !sources.get(revision.id)?.autocommit,
          notes: [`no SQL: \`alembic upgrade ${target} --sql\` failed: ${reason}`]
        }))
      }
      const split = splitOfflineSql(proc.stdout)
      const chunks = new Map(split.chunks.map((c) => [c.revision, c]))
      return pending.map((revision, i) => {
        const chunk = chunks.get(revision.id)
        const autocommit = sources.get(revision.id)?.autocommit ?? false
        const notes: string[] = []
        if (!chunk) notes.push(`Alembic's offline output has no section for ${revision.id}`)
        if (i === 0 && !state.versionTableExists && split.preamble) notes.push(`Alembic first creates its version table: ${split.preamble.replace(/\s+/g, ' ')}`)
        const transactional = !autocommit && !chunk?.leavesTransaction
        if (!transactional) notes.push('runs partly outside the migration transaction (autocommit_block)')
        return { revision, sql: chunk?.sql, transactional, notes }
      })
    },

    async apply(ctx: EngineContext, chain: Chain, state: DatabaseState, pending: Revision[]) {
      const { project, table, sources } = loaded()
      const known = state.current.filter((id) => sources.has(id))
      if (pending.length === 0) return { runs: [], current: state.current }
      if (known.length !== state.current.length) {
        throw new ActionError('alembic-unknown-revision', `The database is stamped with a revision no file declares (${state.current.join(', ')}); refusing to run Alembic.`, {
          hint: 'Resolve the unknown-stamped-revision problem first.'
        })
      }
      const rt = await prepare(chain, ctx.log)
      return applyAlembic(ctx, chain, state.current, pending, {
        python: rt.python,
        cwd: project.ini.dir,
        env: rt.env,
        envPy: path.join(project.ini.scriptLocation, 'env.py'),
        sources,
        table,
        onVersions: noteVersions(chain, ctx.log, rt.python)
      })
    }
  }
}
