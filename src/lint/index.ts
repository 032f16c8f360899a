/** The risk lint's public interface; the orchestrator and the docs generator use only these. */
export { lintPending, type Finding, type LintOptions, type LintResult } from './lint.js'
export { gate, isBlocking, type GateResult } from './gate.js'
export { pgCatalogReader } from './catalog.js'
export { SchemaModel, type CatalogReader, type TableFacts } from './schema-model.js'
export { RULES, ruleById, isRuleId, type RuleId } from './registry.js'
export { RISKS, riskRank, type Risk, type RiskThreshold, type RuleDefinition } from './rule.js'
export { runLintStage, describeLintStage, findingsJson, lintAnnotations, type LintStageOutcome } from './stage.js'
export { renderLintSection } from '../report/render.js'
