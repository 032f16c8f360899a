import type { RuleDefinition } from './rule.js'
import changeColumnType from './rules/change-column-type.js'
import cluster from './rules/cluster.js'
import constraintMissingNotValid from './rules/constraint-missing-not-valid.js'
import createExtension from './rules/create-extension.js'
import createIndexNotConcurrent from './rules/create-index-not-concurrent.js'
import deleteWithoutWhere from './rules/delete-without-where.js'
import detachPartitionNotConcurrent from './rules/detach-partition-not-concurrent.js'
import dropColumn from './rules/drop-column.js'
import dropDatabase from './rules/drop-database.js'
import dropIndexNotConcurrent from './rules/drop-index-not-concurrent.js'
import dropSchema from './rules/drop-schema.js'
import dropTable from './rules/drop-table.js'
import enumAddValue from './rules/enum-add-value.js'
import indexOnNewTable from './rules/index-on-new-table.js'
import invalidAcknowledgement from './rules/invalid-acknowledgement.js'
import ivfflatOnEmptyTable from './rules/ivfflat-on-empty-table.js'
import missingLockTimeout from './rules/missing-lock-timeout.js'
import newNullableColumn from './rules/new-nullable-column.js'
import newTable from './rules/new-table.js'
import notLinted from './rules/not-linted.js'
import notNullColumnWithoutDefault from './rules/not-null-column-without-default.js'
import refusedInTransactionBlock from './rules/refused-in-transaction-block.js'
import reindexNotConcurrent from './rules/reindex-not-concurrent.js'
import renameColumn from './rules/rename-column.js'
import renameTable from './rules/rename-table.js'
import setNotNull from './rules/set-not-null.js'
import syntaxError from './rules/syntax-error.js'
import truncate from './rules/truncate.js'
import unbalancedTransaction from './rules/unbalanced-transaction.js'
import uniqueConstraintWithoutIndex from './rules/unique-constraint-without-index.js'
import unnamedConstraint from './rules/unnamed-constraint.js'
import updateWithoutWhere from './rules/update-without-where.js'
import vacuumFull from './rules/vacuum-full.js'
import validateInSameTransaction from './rules/validate-in-same-transaction.js'
import vectorDimensionChange from './rules/vector-dimension-change.js'
import vectorExtensionWithoutIfNotExists from './rules/vector-extension-without-if-not-exists.js'
import vectorFeatureUnsupported from './rules/vector-feature-unsupported.js'
import vectorIndexMemory from './rules/vector-index-memory.js'
import vectorIndexNotConcurrent from './rules/vector-index-not-concurrent.js'
import vectorIndexTooManyDimensions from './rules/vector-index-too-many-dimensions.js'
import vectorIndexWithoutOpclass from './rules/vector-index-without-opclass.js'
import vectorOpclassMismatch from './rules/vector-opclass-mismatch.js'
import vectorVersionAdvisory from './rules/vector-version-advisory.js'
import volatileDefault from './rules/volatile-default.js'

/**
 * Every lint rule (alphabetical; the docs sort them by risk). `npm run new-rule <id>` adds an entry here;
 * `npm run docs:rules` writes each rule's page from it.
 */
export const RULES = [
  changeColumnType,
  cluster,
  constraintMissingNotValid,
  createExtension,
  createIndexNotConcurrent,
  deleteWithoutWhere,
  detachPartitionNotConcurrent,
  dropColumn,
  dropDatabase,
  dropIndexNotConcurrent,
  dropSchema,
  dropTable,
  enumAddValue,
  indexOnNewTable,
  invalidAcknowledgement,
  ivfflatOnEmptyTable,
  missingLockTimeout,
  newNullableColumn,
  newTable,
  notLinted,
  notNullColumnWithoutDefault,
  refusedInTransactionBlock,
  reindexNotConcurrent,
  renameColumn,
  renameTable,
  setNotNull,
  syntaxError,
  truncate,
  unbalancedTransaction,
  uniqueConstraintWithoutIndex,
  unnamedConstraint,
  updateWithoutWhere,
  vacuumFull,
  validateInSameTransaction,
  vectorDimensionChange,
  vectorExtensionWithoutIfNotExists,
  vectorFeatureUnsupported,
  vectorIndexMemory,
  vectorIndexNotConcurrent,
  vectorIndexTooManyDimensions,
  vectorIndexWithoutOpclass,
  vectorOpclassMismatch,
  vectorVersionAdvisory,
  volatileDefault
] as const

export type RuleId = (typeof RULES)[number]['id']

const BY_ID: ReadonlyMap<string, RuleDefinition<RuleId>> = new Map(RULES.map((rule) => [rule.id, rule as RuleDefinition<RuleId>]))

export function ruleById(id: string): RuleDefinition<RuleId> | undefined {
  return BY_ID.get(id)
}

export function isRuleId(id: string): id is RuleId {
  return BY_ID.has(id)
}
