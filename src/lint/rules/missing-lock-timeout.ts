import { calledFunctions, list, nodeOf, relationOf, tableKey, type Body } from '../ast.js'
import { defineRule } from '../rule.js'

/** Statements that take a lock other sessions can queue behind. */
const LOCKING = new Set([
  'AlterTableStmt',
  'IndexStmt',
  'DropStmt',
  'RenameStmt',
  'TruncateStmt',
  'ClusterStmt',
  'ReindexStmt',
  'VacuumStmt',
  'CreateTrigStmt',
  'AlterEnumStmt',
  'AlterDomainStmt',
  'LockStmt',
  'RefreshMatViewStmt'
])

/** `0`, `0ms`, `0s`… disable lock_timeout. */
export function disablesTimeout(value: string | undefined): boolean {
  return value !== undefined && /^0+(\.0+)?\s*(us|ms|s|min|h|d)?$/i.test(value.trim())
}

function setsLockTimeout(kind: string, body: Body): boolean {
  if (kind === 'VariableSetStmt') return String(body.name).toLowerCase() === 'lock_timeout'
  if (kind === 'SelectStmt') {
    return calledFunctions(body).includes('set_config') && JSON.stringify(body).includes('"lock_timeout"')
  }
  return false
}

export default defineRule({
  id: 'missing-lock-timeout',
  risk: 'medium',
  title: "Takes locks with no lock_timeout (the action's lock-timeout input is 0 and the migration sets none)",
  saferWay: "Set the `lock-timeout` input (e.g. `10s`, the default), or start the migration with `SET lock_timeout = '5s';`.",
  docs: {
    why: 'A DDL statement (or LOCK TABLE, REFRESH MATERIALIZED VIEW, ALTER DOMAIN … ADD CONSTRAINT) waiting for its lock behind a long-running query blocks every later query on the table for as long as it waits: without lock_timeout, an outage instead of a failed deploy.',
    bad: '-- run with lock-timeout: 0\nALTER TABLE documents ADD COLUMN title text;',
    good: "SET lock_timeout = '5s';\nALTER TABLE documents ADD COLUMN title text;"
  },
  checkRevision: ({ statements, verdicts, lockTimeout }) => {
    if (!disablesTimeout(lockTimeout)) return []
    for (const [i, s] of statements.entries()) {
      const body = s.node[s.kind as keyof typeof s.node] as unknown as Body
      if (setsLockTimeout(s.kind, body)) return []
      if (!LOCKING.has(s.kind) || body.concurrent) continue
      const ref = relationOf(body.relation) ?? (s.kind === 'TruncateStmt' || s.kind === 'LockStmt' ? relationOf(nodeOf(list(body.relations)[0], 'RangeVar')) : undefined)
      // A new table locks nobody out; on an absent one the statement fails without waiting.
      const presence = verdicts[i]?.presence
      if (ref && (presence === 'new' || presence === 'absent')) continue
      return [
        { statementIndex: i, message: `takes locks with no lock_timeout (lock-timeout is ${lockTimeout} and the migration sets none)`, table: ref ? tableKey(ref) : undefined }
      ]
    }
    return []
  }
})
