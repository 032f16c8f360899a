import { ActionError } from '../errors.js'
import type { Finding } from '../lint/lint.js'

/**
 * A statement that needs a newer pgvector stops the run whatever fail-on-risk says and however it
 * is acknowledged: it cannot succeed on this server.
 */
export function vectorVersionFailure(findings: Finding[]): ActionError | undefined {
  const needing = findings.filter((f) => f.rule === 'vector-feature-unsupported')
  if (needing.length === 0) return undefined
  const [first, ...rest] = needing
  return new ActionError('vector-version-too-old', `Stopped before anything was applied: ${first.file}:${first.line} ${first.message}.`, {
    location: { file: first.file, line: first.line, revision: first.revision },
    hint: first.message.includes('upgrade the pgvector package')
      ? "Upgrade the server's pgvector package, then run ALTER EXTENSION vector UPDATE in this database, and run the job again."
      : 'Run ALTER EXTENSION vector UPDATE in this database (by hand, or in a migration before this one), and run the job again.',
    details: rest.map((f) => `${f.file}:${f.line} ${f.message}`)
  })
}
