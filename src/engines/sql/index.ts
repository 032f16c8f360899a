import { ActionError } from '../../errors.js'
import type { Settings } from '../../inputs.js'
import type { Engine } from '../engine.js'

// Replaced by the SQL engine (issue 3).
export function createSqlEngine(_settings: Settings): Engine {
  throw new ActionError('not-implemented', 'The SQL engine is not implemented yet.')
}
