import type { SqlStatement } from '../sql/parse.js'
import type { VectorServer } from '../vector/server.js'
import type { SchemaModel, TableFacts, Verdict } from './schema-model.js'

/**
 * The shape of one lint rule (squawk's layout: one module per rule under `rules/`, listed in
 * `registry.ts`). Documentation pages (`docs/rules/<id>.md`) are generated from the same object.
 */

export const RISKS = ['low', 'medium', 'high', 'critical'] as const
export type Risk = (typeof RISKS)[number]

/** `fail-on-risk`: a risk level, or `none` to block on nothing. */
export type RiskThreshold = Risk | 'none'

export function riskRank(risk: Risk): number {
  return RISKS.indexOf(risk)
}

export interface RuleDocs {
  /** Why the change is risky: what happens to the table, to running code, to the deploy. */
  why: string
  /** A migration the rule flags. */
  bad: string
  /** The safer way, as a migration the rule does not flag. */
  good: string
  /** The examples' language; SQL unless the rule is about something else (an Alembic revision). */
  language?: 'sql' | 'python'
  /** What the examples assume of the live database, for rules that need it (the page says it; the rule test lints with it). */
  assumes?: { description: string; tables?: Record<string, Partial<TableFacts>>; server?: Partial<VectorServer> }
}

/** One thing a rule found in a statement. */
export interface Hit {
  /** Specific to this statement, e.g. "drops table documents". */
  message: string
  /** Overrides the rule's risk for this hit (a dimension change on a table with rows is worse). */
  risk?: Risk
  /** The table the hit is about, so the finding can show its size from the live catalog. */
  table?: string
  /** What the target holds of the hit's object, when it is not a table's line ("index x: absent in the target"). */
  facts?: string
}

export interface StatementContext {
  statement: SqlStatement
  /** The statement's parse body (`statement.node[statement.kind]`). */
  body: Record<string, unknown>
  /** What the pending set created so far, and what the live catalog knows. */
  schema: SchemaModel
  /** The engine of the revision: transaction control in Alembic's output is Alembic's own framing. */
  engine: 'sql' | 'alembic'
  /** Connected lint: the server's pgvector and index build settings, as the migration sessions will have them. */
  server?: VectorServer
}

export interface RuleDefinition<Id extends string = string> {
  /** Stable kebab-case id, used in acknowledgements and in the docs page name. */
  id: Id
  /** Parse node types `check` looks at (`DropStmt`, `IndexStmt`, …); other statements skip the rule. */
  appliesTo?: readonly string[]
  risk: Risk
  /** One line: what the rule flags. */
  title: string
  /** What to do instead, one or two sentences. */
  saferWay: string
  docs: RuleDocs
  /**
   * Checks one statement. Absent for the lint's own rules (syntax errors, revisions that could not
   * be linted, invalid acknowledgements), which the linter raises itself.
   */
  check?: (ctx: StatementContext) => Hit[]
  /**
   * Runs once per revision after its statements (rules about the revision as a whole, e.g. a missing
   * lock_timeout). Gets the revision's statements and the action's settings.
   */
  checkRevision?: (ctx: RevisionContext) => (Hit & { statementIndex: number })[]
  /**
   * Reads an Alembic revision file as written (its upgrade() and downgrade() op calls), for what
   * the offline SQL cannot show, e.g. a downgrade that cannot run. Lines are the file's.
   */
  checkSource?: (ctx: SourceContext) => (Hit & { line: number })[]
}

export interface SourceContext {
  /** The revision file's text. */
  source: string
}

export interface RevisionContext {
  statements: SqlStatement[]
  /** The schema model after the revision; `verdicts[i]` is the verdict on statement i's table just before it ran. */
  schema: SchemaModel
  verdicts: (Verdict | undefined)[]
  engine: 'sql' | 'alembic'
  /** Whether the revision runs in one transaction (false: statement by statement, or partly outside one). */
  transactional: boolean
  /** The action's `lock-timeout` input, as given (`0` disables). */
  lockTimeout?: string
  /** Connected lint: the server's pgvector and index build settings, as the migration sessions will have them. */
  server?: VectorServer
}

/** Keeps the id a string literal type, so the registry can derive the union of ids. */
export function defineRule<const Id extends string>(rule: RuleDefinition<Id>): RuleDefinition<Id> {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(rule.id)) throw new Error(`lint rule id '${rule.id}' is not kebab-case`)
  if (rule.check && !rule.appliesTo?.length) throw new Error(`lint rule '${rule.id}' has a check but no appliesTo`)
  return rule
}
