import { realpathSync } from 'node:fs'
import path from 'node:path'
import type { ErrorCode } from './codes.js'
import { ActionError, type ErrorLocation } from './errors.js'

/**
 * The files the action reads for a chain must come from the repository checkout. A pull request can
 * add a symbolic link named like a migration that points at `/proc/self/environ` or a runner's secret
 * file; followed, its content would be shown in the plan, sent to the server and echoed in errors.
 */

/** The repository checkout on a runner; the working directory elsewhere. */
export function defaultWorkspace(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  return env.GITHUB_WORKSPACE || cwd
}

/** Symbolic links resolved, so a link cannot hide where a path really is; the path itself when it does not exist. */
export function realPath(p: string): string {
  try {
    return realpathSync(p)
  } catch {
    return p
  }
}

/** Where `target` really is, when that is outside `workspace`; undefined when it is inside (or is the workspace). */
export function outsideWorkspace(target: string, workspace: string): string | undefined {
  const resolved = realPath(path.resolve(target))
  const fromRoot = path.relative(realPath(path.resolve(workspace)), resolved)
  return fromRoot === '..' || fromRoot.startsWith(`..${path.sep}`) || path.isAbsolute(fromRoot) ? resolved : undefined
}

/**
 * Refuses a file or directory that resolves outside the workspace, before anything reads it.
 * `what` names it for the message ("The migration file db/0001_a.sql").
 */
export function requireInsideWorkspace(target: string, workspace: string, what: string, location: ErrorLocation, code: ErrorCode = 'file-outside-workspace'): void {
  const resolved = outsideWorkspace(target, workspace)
  if (resolved === undefined) return
  throw new ActionError(code, `${what} resolves to ${resolved}, outside the workspace ${realPath(path.resolve(workspace))}; the action reads nothing from outside the checkout.`, {
    location,
    hint: 'Replace the symbolic link with the file itself (or a link that stays inside the repository), and keep every path the action reads inside the checkout.'
  })
}
