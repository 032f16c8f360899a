import { list, nodeOf, relationFromNames, strings, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'drop-index-not-concurrent',
  appliesTo: ['DropStmt'],
  risk: 'medium',
  title: 'DROP INDEX without CONCURRENTLY',
  saferWay: 'Use `DROP INDEX CONCURRENTLY` (outside a transaction; the action detects it), and check no query plan still depends on the index.',
  docs: {
    why: "A plain DROP INDEX takes an ACCESS EXCLUSIVE lock on the index's table; behind a long-running query it waits, and everything else queues behind it.",
    bad: 'DROP INDEX documents_title_idx;',
    good: 'DROP INDEX CONCURRENTLY documents_title_idx;'
  },
  check: ({ body, schema }) => {
    if (body.removeType !== 'OBJECT_INDEX' || body.concurrent) return []
    return list(body.objects)
      .map((o) => tableKey(relationFromNames(strings(nodeOf(o, 'List')?.items))))
      .flatMap((index) => {
        const table = schema.indexTable(index)
        return schema.onObject(
          { kind: 'index', index },
          { message: `drops index ${index}${body.missing_ok ? ' IF EXISTS' : ''} under an exclusive lock on ${table === undefined ? 'its table' : `table ${table}`}`, table },
          { ifExists: Boolean(body.missing_ok) }
        )
      })
  }
})
