import { ActionError } from '../../errors.js'
import type { Settings } from '../../inputs.js'
import type { Engine } from '../engine.js'

// Replaced by the Alembic engine (issue 4).
export function createAlembicEngine(_settings: Settings): Engine {
  throw new ActionError('not-implemented', 'The Alembic engine is not implemented yet.')
}
