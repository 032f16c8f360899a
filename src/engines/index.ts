import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { ActionError } from '../errors.js'
import type { Settings } from '../inputs.js'
import { defaultWorkspace, outsideWorkspace, realPath } from '../workspace.js'
import type { Chain, Engine, Problem } from './engine.js'
import { createSqlEngine } from './sql/index.js'
import { echo } from '../echo.js'

/**
 * `engine: auto` picks Alembic when the migrations directory holds an alembic.ini, plain SQL otherwise.
 * A migrations path outside the workspace is refused before anything of it is read; the engine's
 * checkChain also reports one that holds no migrations.
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
  const outside = outsideWorkspace(dir, workspace)
  if (outside !== undefined) {
    throw new ActionError(
      'migrations-path-outside-workspace',
      `Input 'migrations-path' names '${dir}', which resolves to ${outside}, outside the workspace ${realPath(path.resolve(workspace))}; the action reads migrations only from the checkout.`,
      {
        location: { input: 'migrations-path' },
        hint: 'Set migrations-path relative to the repository root, to a directory inside the checkout (not a symbolic link that points out of it).'
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
  const engine: Engine =
    choice === 'alembic' ? (await import('./alembic/index.js')).createAlembicEngine(settings, { workspace }) : createSqlEngine(settings, process.cwd(), workspace)
  return { ...engine, checkChain: (chain) => [...migrationsPathProblems(settings, chain), ...engine.checkChain(chain)] }
}

/**
 * A warning, not an error: a new project may have no migrations yet. But it usually means a wrong
 * migrations-path, which would otherwise pass as "nothing to apply".
 */
export function migrationsPathProblems(settings: Settings, chain: Chain): Problem[] {
  const given = settings.migrationsPath
  const resolved = realPath(path.resolve(given))
  const problems: Problem[] = []
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
