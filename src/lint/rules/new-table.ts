import { relationOf, tableKey, type Body } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'new-table',
  appliesTo: ['CreateStmt', 'CreateTableAsStmt'],
  risk: 'low',
  title: 'Creates a table',
  saferWay: 'Nothing to change: a new table blocks nobody. Give it a primary key, and create its indexes in the same pending set while it is still empty.',
  docs: {
    why: 'A new table is invisible to running code and holds no rows, so creating it is low risk; it is listed so the review sees every schema change.',
    bad: 'CREATE TABLE documents (id bigint PRIMARY KEY, title text);',
    good: '-- Nothing to flag: no schema change.\nSELECT 1;'
  },
  check: ({ body }) => {
    const ref = relationOf(body.relation ?? (body.into as Body | undefined)?.rel)
    return ref ? [{ message: `creates table ${tableKey(ref)}` }] : []
  }
})
