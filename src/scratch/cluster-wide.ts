import { readFile } from 'node:fs/promises'
import type { Revision } from '../engines/engine.js'
import type { Settings } from '../inputs.js'
import { ScratchUnavailable } from './database.js'

/**
 * A scratch database shares its server with the target, and some objects belong to the server, not
 * to a database: roles and their memberships, tablespaces, databases, server settings,
 * subscriptions (which also reach out to their publisher). A migration that changes one of them,
 * run on a scratch database, changes it for real: a planned CREATE ROLE would create the role (with
 * its password) before anyone approved the plan, and the real run would then fail with "already
 * exists". Such migrations are not run on a scratch database of the target's server at all; the
 * text of the migration file is read, comments and strings included, since a DO block or an Alembic
 * op.execute hides the statement from any parser, and a false alarm only costs the scratch run.
 */
const CLUSTER_WIDE: { pattern: RegExp; what: string }[] = [
  { pattern: /\b(?:CREATE|ALTER|DROP)\s+(?:ROLE|GROUP)\b/i, what: 'a role' },
  { pattern: /\b(?:CREATE|ALTER|DROP)\s+USER\b(?!\s+MAPPING)/i, what: 'a role' },
  { pattern: /(?:^|[;'"(]\s*)(?:GRANT|REVOKE)\b(?:(?!\bON\b)[^;]){0,200}?\b(?:TO|FROM)\b/im, what: 'a role membership' },
  { pattern: /\bREASSIGN\s+OWNED\b/i, what: 'object ownership across databases' },
  { pattern: /\b(?:CREATE|ALTER|DROP)\s+TABLESPACE\b/i, what: 'a tablespace' },
  { pattern: /\b(?:CREATE|ALTER|DROP)\s+DATABASE\b/i, what: 'a database' },
  { pattern: /\bALTER\s+SYSTEM\b/i, what: 'the server configuration' },
  { pattern: /\b(?:CREATE|ALTER|DROP)\s+SUBSCRIPTION\b/i, what: 'a subscription' },
  { pattern: /\b(?:COMMENT|SECURITY\s+LABEL)\s+ON\s+(?:ROLE|DATABASE|TABLESPACE)\b/i, what: 'a server-wide object' }
]

export interface ClusterWideChange {
  file: string
  line: number
  /** The statement's words as written, e.g. `CREATE ROLE`. */
  text: string
  what: string
}

/** The first statement of `revisions` that changes something every database of the server shares. */
export async function findClusterWideChange(revisions: Revision[]): Promise<ClusterWideChange | undefined> {
  for (const revision of revisions) {
    const source = await readFile(revision.file, 'utf8').catch(() => undefined)
    if (source === undefined) continue
    for (const { pattern, what } of CLUSTER_WIDE) {
      const match = pattern.exec(source)
      if (!match) continue
      // The GRANT pattern may start at the `;` or quote before it.
      const index = match.index + match[0].search(/[A-Za-z]/)
      const words =
        source
          .slice(index)
          .match(/^\S+\s+\S+/)?.[0]
          .replace(/\s+/g, ' ') ?? match[0].trim()
      return { file: revision.file, line: source.slice(0, index).split('\n').length, text: words, what }
    }
  }
  return undefined
}

/** Whether the scratch database is on another server than the target, so server-wide changes stay there. */
function scratchOnAnotherServer(settings: Settings): boolean {
  const shadow = settings.shadowDatabaseUrl
  return shadow !== undefined && (shadow.host !== settings.databaseUrl.host || shadow.port !== settings.databaseUrl.port)
}

/**
 * Throws ScratchUnavailable (the check is skipped, with this reason) when `revisions` change a
 * server-wide object and the scratch database would be on the target's server.
 */
export async function refuseClusterWideChanges(revisions: Revision[], settings: Settings): Promise<void> {
  if (scratchOnAnotherServer(settings)) return
  const change = await findClusterWideChange(revisions)
  if (!change) return
  throw new ScratchUnavailable(
    `${change.file}:${change.line} changes ${change.what} (${change.text}), which belongs to the whole server: run on a scratch database of the target's server it would change it for real. Give shadow-database-url a database on another server to compute this`
  )
}
