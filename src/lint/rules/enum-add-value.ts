import { strings } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'enum-add-value',
  appliesTo: ['AlterEnumStmt'],
  risk: 'medium',
  title: 'ALTER TYPE … ADD VALUE',
  saferWay:
    'Add the value in its own migration and use it only in later ones; on PostgreSQL 11 and older it cannot run in a transaction at all. A text column with a CHECK constraint is easier to change.',
  docs: {
    why: 'The new value cannot be used in the same transaction that adds it ("unsafe use of new value"), and enum values cannot be removed again without recreating the type.',
    bad: "ALTER TYPE document_status ADD VALUE 'archived';",
    good: "ALTER TABLE documents ADD CONSTRAINT documents_status_check CHECK (status IN ('draft', 'published', 'archived')) NOT VALID;"
  },
  check: ({ body }) => (body.newVal !== undefined && body.oldVal === undefined ? [{ message: `adds '${String(body.newVal)}' to enum ${strings(body.typeName).join('.')}` }] : [])
})
