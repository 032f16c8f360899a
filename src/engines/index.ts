import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ActionError } from '../errors.js'
import type { Settings } from '../inputs.js'
import { createAlembicEngine } from './alembic/index.js'
import type { Engine } from './engine.js'
import { createSqlEngine } from './sql/index.js'

/** `engine: auto` picks Alembic when the migrations directory holds an alembic.ini, plain SQL otherwise. */
export function selectEngine(settings: Settings): Engine {
  const dir = settings.migrationsPath
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ActionError('migrations-path-missing', `Input 'migrations-path' names '${dir}', which is not a directory (working directory: ${process.cwd()}).`, {
      location: { input: 'migrations-path' },
      hint: 'Check out the repository first (actions/checkout) and set migrations-path relative to its root.'
    })
  }
  const hasAlembicIni = existsSync(join(dir, 'alembic.ini'))
  const choice = settings.engine === 'auto' ? (hasAlembicIni ? 'alembic' : 'sql') : settings.engine
  if (choice === 'alembic' && !hasAlembicIni) {
    throw new ActionError('alembic-ini-missing', `engine is 'alembic' but '${dir}' holds no alembic.ini.`, {
      location: { input: 'migrations-path' },
      hint: 'Point migrations-path at the directory that contains alembic.ini, or use engine: sql for plain SQL files.'
    })
  }
  return choice === 'alembic' ? createAlembicEngine(settings) : createSqlEngine(settings)
}
