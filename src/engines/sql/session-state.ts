import type { SqlStatement } from '../../sql/parse.js'

/**
 * Statements that change only the catalog, never the session running them (when they create
 * nothing TEMP). Anything else — SET, DISCARD, PREPARE, LISTEN, DECLARE, DO, CALL, DML and queries
 * (which may call functions or fire triggers that SET or create temp tables), CREATE EXTENSION (its
 * script runs in the session) — may leave state behind, and the session is reset after it.
 */
const CATALOG_ONLY = new Set([
  'AlterDefaultPrivilegesStmt',
  'AlterDomainStmt',
  'AlterEnumStmt',
  'AlterFunctionStmt',
  'AlterObjectSchemaStmt',
  'AlterOwnerStmt',
  'AlterPolicyStmt',
  'AlterRoleStmt',
  'AlterSeqStmt',
  'AlterTableStmt',
  'CommentStmt',
  'CompositeTypeStmt',
  'CreateCastStmt',
  'CreateDomainStmt',
  'CreateEnumStmt',
  'CreateFunctionStmt',
  'CreatePolicyStmt',
  'CreateRoleStmt',
  'CreateSchemaStmt',
  'CreateSeqStmt',
  'CreateStmt',
  'CreateTrigStmt',
  'DefineStmt',
  'DropRoleStmt',
  'DropStmt',
  'GrantRoleStmt',
  'GrantStmt',
  'IndexStmt',
  'RenameStmt',
  'RuleStmt',
  'ViewStmt'
])

/** Whether the session must be reset before it runs the next migration. */
export function mayChangeSessionState(statements: SqlStatement[]): boolean {
  return statements.some((s) => !CATALOG_ONLY.has(s.kind) || createsTemp(s.node))
}

/** A TEMP relation anywhere in the tree (CREATE TEMP TABLE/VIEW/SEQUENCE, CREATE SCHEMA … elements). */
function createsTemp(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(createsTemp)
  if (node === null || typeof node !== 'object') return false
  for (const [key, value] of Object.entries(node)) {
    if (key === 'relpersistence' && value === 't') return true
    if (createsTemp(value)) return true
  }
  return false
}
