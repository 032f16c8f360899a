import { relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'index-on-new-table',
  appliesTo: ['IndexStmt'],
  risk: 'low',
  title: 'Creates an index on a table created in the same pending set',
  saferWay: 'Nothing to change: the table is new and empty, so the build is instant and blocks nobody.',
  docs: {
    why: 'Indexing a table that was created earlier in the same pending set costs nothing; it is listed so the review sees every index.',
    bad: 'CREATE TABLE documents (id bigint PRIMARY KEY, title text);\nCREATE INDEX documents_title_idx ON documents (title);',
    good: '-- Nothing to flag: no index.\nSELECT 1;'
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    const verdict = ref && schema.tableVerdict(tableKey(ref))
    if (!ref || verdict?.presence !== 'new') return []
    return [{ message: `creates index ${String(body.idxname ?? '(unnamed)')} on ${tableKey(ref)}, ${verdict.why ?? 'created in this pending set'}` }]
  }
})
