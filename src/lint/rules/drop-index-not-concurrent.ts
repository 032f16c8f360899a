import { list, nodeOf, strings } from '../ast.js'
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
      .map((o) => strings(nodeOf(o, 'List')?.items).at(-1) ?? '?')
      .filter((index) => !schema.isNewIndex(index))
      .map((index) => ({ message: `drops index ${index} under an exclusive lock on its table` }))
  }
})
