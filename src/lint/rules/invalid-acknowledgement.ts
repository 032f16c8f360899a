import { defineRule } from '../rule.js'

export default defineRule({
  id: 'invalid-acknowledgement',
  risk: 'medium',
  title: 'An acknowledgement comment without a reason, or naming an unknown rule',
  saferWay: 'Write `-- pg-migrate:allow <rule-id> reason: <why this is safe>` (in Alembic revisions: `# pg-migrate:allow …`) with a rule id from docs/rules/.',
  docs: {
    why: 'An acknowledgement lets a risky change through the gate, so it must say which rule and why. One without a reason, or with a misspelt rule id, acknowledges nothing.',
    bad: '-- pg-migrate:allow drop-tabel reason: unused since release 42\nCREATE TABLE documents_archive (id bigint PRIMARY KEY);',
    good: '-- pg-migrate:allow drop-table reason: unused since release 42\nCREATE TABLE documents_archive (id bigint PRIMARY KEY);'
  }
})
