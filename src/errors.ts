import type { ErrorCode } from './codes.js'

/**
 * The one error type for the user's problems: bad input, a server that refused, a broken chain, a
 * failed migration. Anything else that is thrown is a bug in the action and is reported as such.
 */
export interface ErrorLocation {
  /** An action input, when the problem is a bad value. */
  input?: string
  /** A file relative to the working directory, for annotations. */
  file?: string
  line?: number
  column?: number
  /** A migration version or Alembic revision. */
  revision?: string
}

export class ActionError extends Error {
  /** A code from the catalogue (src/codes.ts), e.g. `auth-failed`, `chain-invalid`. */
  readonly code: ErrorCode
  /** What the user should do about it. */
  readonly hint?: string
  readonly location: ErrorLocation
  /** Extra lines for the report (server detail, the statement, …). */
  readonly details: string[]

  constructor(code: ErrorCode, message: string, options: { hint?: string; location?: ErrorLocation; details?: string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ActionError'
    this.code = code
    this.hint = options.hint
    this.location = options.location ?? {}
    this.details = options.details ?? []
  }
}

export function isActionError(error: unknown): error is ActionError {
  return error instanceof ActionError
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
