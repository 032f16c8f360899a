import { existsSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import { ActionError } from '../errors.js'
import type { Settings } from '../inputs.js'
import type { Chain, Engine, Problem } from './engine.js'
import { createSqlEngine } from './sql/index.js'
import { echo } from '../echo.js'

/**
 * `engine: auto` picks Alembic when the migrations directory holds an alembic.ini, plain SQL otherwise.
 * The engine's checkChain also reports a migrations path that is empty or outside the workspace.
 * The Alembic engine is its own bundle chunk, loaded only for an Alembic project.
 */
export async function selectEngine(settings: Settings, workspace: string = defaultWorkspace()): Promise<Engine> {
  const dir = settings.migrationsPath
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ActionError(
      'migrations-path-missing',
      `Input 'migrations-path' names '${echo(dir)}' (${echo(path.resolve(dir))}), which is not a directory (working directory: ${process.cwd()}).`,
      {
        location: { input: 'migrations-path' },
        hint: 'Check out the repository first (actions/checkout) and set migrations-path relative to its root.'
      }
    )
  }
  const hasAlembicIni = existsSync(path.join(dir, 'alembic.ini'))
  const choice = settings.engine === 'auto' ? (hasAlembicIni ? 'alembic' : 'sql') : settings.engine
  if (choice === 'alembic' && !hasAlembicIni) {
    throw new ActionError('alembic-ini-missing', `engine is 'alembic' but '${echo(dir)}' holds no alembic.ini.`, {
      location: { input: 'migrations-path' },
      hint: 'Point migrations-path at the directory that contains alembic.ini, or use engine: sql for plain SQL files.'
    })
  }
  if (choice === 'alembic' && settings.transaction === 'all') {
    throw new ActionError('transaction-all-alembic', `Input 'transaction' is 'all', but the chain in '${echo(dir)}' runs with Alembic, whose env.py decides the transactions.`, {
      location: { input: 'transaction' },
      hint: "Remove the transaction input: Alembic's default env.py already runs the whole upgrade in one transaction, unless it sets transaction_per_migration=True."
    })
  }
  const engine: Engine = choice === 'alembic' ? (await import('./alembic/index.js')).createAlembicEngine(settings) : createSqlEngine(settings)
  return { ...engine, checkChain: (chain) => [...migrationsPathProblems(settings, chain, workspace), ...engine.checkChain(chain)] }
}

/** The repository checkout on a runner; the working directory elsewhere. */
function defaultWorkspace(): string {
  return process.env.GITHUB_WORKSPACE || process.cwd()
}

/**
 * Warnings, not errors: a path outside the workspace may be deliberate (a shared checkout), and a new
 * project may have no migrations yet. But both are usually a wrong migrations-path, which would
 * otherwise pass as "nothing to apply".
 */
export function migrationsPathProblems(settings: Settings, chain: Chain, workspace: string): Problem[] {
  const given = settings.migrationsPath
  const resolved = realPath(path.resolve(given))
  const root = realPath(path.resolve(workspace))
  const problems: Problem[] = []
  const fromRoot = path.relative(root, resolved)
  if (fromRoot === '..' || fromRoot.startsWith(`..${path.sep}`) || path.isAbsolute(fromRoot)) {
    problems.push({
      code: 'migrations-path-outside-workspace',
      severity: 'warning',
      message: `migrations-path '${echo(given)}' resolves to ${echo(resolved)}, outside the workspace ${root}.`,
      hint: 'Set migrations-path relative to the repository root, to a directory inside the checkout.',
      revisions: []
    })
  }
  if (chain.revisions.length === 0) {
    const consequence = settings.mode === 'migrate' ? ': nothing will be applied, and the run would still pass' : ''
    problems.push({
      code: 'migrations-path-empty',
      severity: 'warning',
      message: `migrations-path '${echo(given)}' (${echo(resolved)}) holds no migrations${consequence}.`,
      hint: 'An empty migrations directory almost always means a wrong migrations-path or a missing checkout: check the path, relative to the repository root, and that actions/checkout ran first.',
      revisions: []
    })
  }
  return problems
}

/** Symbolic links resolved, so a link cannot hide where the directory really is. */
function realPath(p: string): string {
  try {
    return realpathSync(p)
  } catch {
    return p
  }
}
