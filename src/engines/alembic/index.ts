import path from 'node:path'
import { pendingPath } from '../../chain/graph.js'
import { urlForSqlAlchemy } from '../../database-url.js'
import { ActionError } from '../../errors.js'
import type { RepairRequest, Settings } from '../../inputs.js'
import { MIGRATION_APPLICATION_NAMES } from '../../lock.js'
import { migrationPgOptions } from '../context.js'
import type { Logger } from '../../logger.js'
import { redact } from '../../redact.js'
import { loadSqlParser } from '../../sql/parse.js'
import type { ApplyResult, DatabaseState, Engine, EngineContext, LoadedChain, Plan, Problem, Revision, StepOutcome } from '../engine.js'
import { applyAlembic, excerpt, lineInRevision, revisionInTraceback } from './apply.js'

import { planAlembicDowngrade, runAlembicDowngrade, type AlembicDowngradeDeps } from './downgrade.js'
import { offlinePending, readOfflineRun, registerOfflineSqlSecrets } from './offline-sql.js'
import { extractError } from './output.js'
import { chainNotes, loadProject, toChain, type AlembicProject, type RevisionSource } from './project.js'
import { repairAlembic } from './repair.js'
import { runAlembic, type AlembicVersions } from './run.js'
import { AlembicSession } from './session.js'
import { prepareVenv } from './venv.js'
import { readVersionRows, reconcile, resolveVersionTable, versionTableName, type VersionTable } from './version-table.js'
import { defaultWorkspace } from '../../workspace.js'

export interface AlembicEngineOptions {
  /** The environment Alembic runs with (DATABASE_URL is added). Defaults to this process's, so PYTHONPATH and friends carry over. */
  env?: NodeJS.ProcessEnv
  /** Files the chain reads (alembic.ini, revisions, alembic-requirements) must lie inside it. Defaults to GITHUB_WORKSPACE, else the working directory. */
  workspace?: string
}

/** How Alembic runs: the interpreter (a prepared venv's, when alembic-requirements is set) and its environment. */
export interface AlembicRuntime {
  python: string
  env: NodeJS.ProcessEnv
}

/** What the Alembic engine keeps of a loaded chain. */
export interface AlembicChainData {
  project: AlembicProject
  table: VersionTable
  sources: Map<string, RevisionSource>
}

/** The interpreter that wrote the offline SQL, waiting to upgrade (migrate mode); undefined when nothing is pending: no Python runs. */
export type AlembicPlanData = AlembicSession | undefined

export type AlembicEngine = Engine<AlembicChainData, AlembicPlanData, undefined>

/**
 * The Alembic engine: the chain is read statically from alembic.ini and the revision files, the
 * state straight from the version table with `pg`, and only plan (offline `--sql`) and apply run
 * Python.
 */
export function createAlembicEngine(settings: Settings, options: AlembicEngineOptions = {}): AlembicEngine {
  const workspace = options.workspace ?? defaultWorkspace()
  /** The database is the context's: the target's, or a scratch database's (schema change, drift). */
  const prepareRuntime = async (ctx: EngineContext, table: VersionTable, notes: string[]): Promise<AlembicRuntime> => {
    const log = ctx.log
    const baseEnv = options.env ?? process.env
    let python = settings.python
    if (settings.alembicRequirements) {
      const venv = await prepareVenv({ python, requirementsPath: settings.alembicRequirements, env: baseEnv, log, workspace })
      python = venv.python
      notes.push(venv.note)
      log.info(venv.note)
    }
    const env: NodeJS.ProcessEnv = {
      ...baseEnv,
      // Rebuilt from the one parse of the input, so SQLAlchemy reads the same credentials as the action.
      DATABASE_URL: urlForSqlAlchemy(ctx.settings.databaseUrl),
      // libpq drivers (psycopg2, psycopg 3) apply these to Alembic's own session, so the
      // lock-timeout and statement-timeout inputs hold there too; a PGOPTIONS the user set comes later and wins.
      PGOPTIONS: migrationPgOptions(settings, baseEnv.PGOPTIONS),
      // Not the user's PGAPPNAME: it is how a cancelled run finds the interpreter's session to end it, and
      // how the next run recognises one a killed run left running (lock.ts, waitForEarlierMigrations).
      PGAPPNAME: MIGRATION_APPLICATION_NAMES.alembic,
      // Not read by Alembic: for env.py files that want to follow the action's version table setting.
      PGMA_ALEMBIC_VERSION_TABLE: table.table,
      PGMA_ALEMBIC_VERSION_TABLE_SCHEMA: table.schema ?? ''
    }
    return { python, env }
  }

  /** One `alembic <args>` step of verify-downgrade, through the same launcher and environment as apply. */
  const alembicStep = async (ctx: EngineContext, chain: LoadedChain<AlembicChainData>, args: string[]): Promise<StepOutcome> => {
    const notes: string[] = []
    const runtime = await prepareRuntime(ctx, chain.data.table, notes)
    const proc = await ctx.log.group(`alembic ${args.join(' ')}`, () =>
      runAlembic({
        python: runtime.python,
        args,
        cwd: chain.data.project.ini.dir,
        env: runtime.env,
        log: ctx.log,
        echo: true,
        onVersions: noteVersions(notes, ctx.log, runtime.python)
      })
    )
    if (proc.exitCode === 0) return { status: 'ok' }
    // As an apply failure: the revision file and line, the statement sent, the server's DETAIL and HINT.
    const error = extractError(proc.stderr + '\n' + proc.stdout)
    const source = revisionInTraceback(error, chain.data.sources)
    const line = source && lineInRevision(error, source)
    return {
      status: 'failed',
      message: `alembic ${args.join(' ')} failed: ${redact(error?.summary ?? `exit code ${proc.exitCode}`)}`,
      file: source?.revision.file,
      line,
      excerpt: source && line ? await excerpt(source.absolutePath, line) : undefined,
      statement: error?.statement && redact(error.statement),
      detail: error?.detail && redact(error.detail),
      serverHint: error?.hint && redact(error.hint),
      log: proc.log
    }
  }

  /** mode: downgrade runs Alembic twice (offline --sql for the lint, then the downgrade), each through the launcher. */
  const downgradeDeps = async (ctx: EngineContext, chain: LoadedChain<AlembicChainData>): Promise<AlembicDowngradeDeps> => {
    const notes: string[] = []
    const runtime = await prepareRuntime(ctx, chain.data.table, notes)
    const { project, table, sources } = chain.data
    return {
      table,
      sources,
      notes,
      envPy: path.join(project.ini.scriptLocation, 'env.py'),
      alembic: (args, echo) =>
        runAlembic({ python: runtime.python, args, cwd: project.ini.dir, env: runtime.env, log: ctx.log, echo, onVersions: noteVersions(notes, ctx.log, runtime.python) })
    }
  }

  return {
    name: 'alembic',

    async loadChain(): Promise<LoadedChain<AlembicChainData>> {
      const project = await loadProject(settings.migrationsPath, workspace)
      const table = resolveVersionTable(settings, project.ini)
      const tableNote = `${versionTableName(table)}${table.schema ? '' : ' (default schema)'}, from ${table.source === 'input' ? 'the alembic-version-table input' : table.source}`
      const chain = toChain(project, settings.migrationsPath, chainNotes(project, tableNote))
      return {
        ...chain,
        versionTable: { schema: table.schema ?? '', table: table.table },
        data: { project, table, sources: new Map(project.revisions.map((r) => [r.revision.id, r])) }
      }
    },

    checkChain(chain): Problem[] {
      return chain.data.project.problems
    },

    async readState(ctx, chain): Promise<DatabaseState> {
      return reconcile(chain, await readVersionRows(ctx.client, chain.data.table), chain.data.table)
    },

    pending(chain, state): Revision[] {
      const known = new Set(chain.revisions.map((r) => r.id))
      return pendingPath(
        chain.revisions,
        state.current.filter((id) => known.has(id))
      )
    },

    async plan(ctx, chain, state, pending): Promise<Plan<AlembicPlanData>> {
      if (pending.length === 0) return { revisions: [], notes: [], data: undefined }
      const { project, table, sources } = chain.data
      const notes: string[] = []
      const runtime = await prepareRuntime(ctx, table, notes)
      const known = state.current.filter((id) => sources.has(id))
      // Offline ranges take one start; with several branch heads the output also covers revisions
      // already applied on the other branches, which the split below leaves out.
      const target = known.length > 0 ? `${known[0]}:head` : 'head'
      // The SQL parser (WASM) loads while the interpreter starts: the secret scan and lint need it next.
      void loadSqlParser().catch(() => undefined)
      const { session, offline, order } = await AlembicSession.start({
        python: runtime.python,
        cwd: project.ini.dir,
        env: runtime.env,
        offlineTarget: target,
        waitForVerdict: settings.mode === 'migrate',
        onVersions: noteVersions(notes, ctx.log, runtime.python)
      })
      try {
        await registerOfflineSqlSecrets(offline.stdout)
        // A revision that reads the database stops offline generation part-way: what came before it is kept.
        const run = readOfflineRun(offline, sources, path.join(project.ini.scriptLocation, 'env.py'))
        if (run.stopped) {
          ctx.log.warning(
            `Alembic's offline mode (upgrade ${target} --sql) stopped at ${run.stopped.revision ?? 'env.py'}: ${redact(run.stopped.message)}; ` +
              'the SQL of the revisions before it is planned and linted, the rest is not.'
          )
        }
        const revisions = offlinePending(inAlembicOrder(pending, order), run, sources, state.versionTableExists, target).map((p) => ({
          ...p,
          notes: p.notes.map(redact),
          offlineStop: p.offlineStop && { ...p.offlineStop, message: redact(p.offlineStop.message) }
        }))
        return { revisions, notes, data: session, release: () => session.stop() }
      } catch (error) {
        await session.stop()
        throw error
      }
    },

    async apply(ctx, chain, state, plan): Promise<ApplyResult> {
      const session = plan.data
      if (!session || plan.revisions.length === 0) return { runs: [], current: state.current }
      const { project, table, sources } = chain.data
      if (state.current.some((id) => !sources.has(id))) {
        await session.stop()
        throw new ActionError('alembic-unknown-revision', `The database is stamped with a revision no file declares (${state.current.join(', ')}); refusing to run Alembic.`, {
          hint: 'Resolve the unknown-stamped-revision problem first.'
        })
      }
      const result = await applyAlembic(
        ctx,
        chain,
        state.current,
        plan.revisions.map((p) => p.revision),
        {
          session,
          envPy: path.join(project.ini.scriptLocation, 'env.py'),
          sources,
          table,
          // maintenance-work-mem: auto is known only after the lint, while the interpreter was started to plan.
          pgOptions: migrationPgOptions(ctx.settings, (options.env ?? process.env).PGOPTIONS)
        }
      )
      // What planning learned (the versions, a prepared venv) is what this run applied with.
      return { ...result, notes: plan.notes }
    },

    async repair(ctx, chain, revision, request: RepairRequest) {
      const notes: string[] = []
      const runtime = await prepareRuntime(ctx, chain.data.table, notes)
      return repairAlembic(ctx, chain, revision, request, {
        python: runtime.python,
        cwd: chain.data.project.ini.dir,
        env: runtime.env,
        table: chain.data.table,
        onVersions: noteVersions(notes, ctx.log, runtime.python)
      })
    },

    async planDowngrade(ctx, chain, state, target) {
      return planAlembicDowngrade(ctx, chain, state, target, await downgradeDeps(ctx, chain))
    },

    async downgrade(ctx, chain, state, plan) {
      return runAlembicDowngrade(ctx, chain, state, plan, await downgradeDeps(ctx, chain))
    },

    downgradeOne(ctx, chain, revision): Promise<StepOutcome> {
      // `downgrade <target>` undoes every applied descendant of the target, so a parent as the target
      // would also undo a sibling branch; `<rev>@-1` steps back from the head `rev` alone (Alembic 1.8
      // to 1.13). From a merge it is an "Ambiguous walk", but a merge's parents are not descendants of
      // each other: downgrading to its first parent undoes the merge alone and leaves all parents as heads.
      const target = revision.parents.length > 1 ? revision.parents[0] : `${revision.id}@-1`
      return alembicStep(ctx, chain, ['downgrade', target])
    },

    upgradeOne(ctx, chain, revision): Promise<StepOutcome> {
      return alembicStep(ctx, chain, ['upgrade', revision.id])
    },

    async upgradeTo(ctx, chain, revisions): Promise<StepOutcome> {
      // `alembic upgrade <head>` for each head of the set: Alembic applies what is missing below it, in its own order.
      for (const head of headsOf(revisions)) {
        const outcome = await alembicStep(ctx, chain, ['upgrade', head])
        if (outcome.status !== 'ok') return outcome
      }
      return { status: 'ok' }
    }
  }
}

/**
 * The pending revisions in the order Alembic runs them (its topological order of a branched graph
 * differs from the chain's), so the plan, "before the stop" and the lint's walk agree with what
 * apply will do. Revisions Alembic did not list keep their place after the ones it did.
 */
export function inAlembicOrder(pending: Revision[], order: string[] | undefined): Revision[] {
  if (!order) return pending
  const position = new Map(order.map((id, i) => [id, i]))
  return pending
    .map((revision, i) => ({ revision, i }))
    .sort((a, b) => (position.get(a.revision.id) ?? order.length + a.i) - (position.get(b.revision.id) ?? order.length + b.i))
    .map(({ revision }) => revision)
}

/** The revisions of the set that no other revision of the set builds on. */
function headsOf(revisions: Revision[]): string[] {
  const below = new Set(revisions.flatMap((r) => [...r.parents, ...r.dependsOn]))
  return revisions.filter((r) => !below.has(r.id)).map((r) => r.id)
}

/** The launcher reports the interpreter's versions on every run; they belong in the report's chain notes. */
function noteVersions(notes: string[], log: Logger, python: string): (versions: AlembicVersions) => void {
  return (versions) => {
    const note = `Alembic ${versions.alembic}, SQLAlchemy ${versions.sqlalchemy}, Python ${versions.python} (${python})`
    notes.push(note)
    log.info(note)
  }
}
