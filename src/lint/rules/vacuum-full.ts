import { defElemTrue } from '../../sql/parse.js'
import { list, nodeOf, relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'vacuum-full',
  appliesTo: ['VacuumStmt'],
  risk: 'high',
  title: 'VACUUM FULL',
  saferWay: 'Let autovacuum work, or use pg_repack / pg_squeeze to compact a table online; never VACUUM FULL in a deploy.',
  docs: {
    why: 'VACUUM FULL rewrites the table into a new file under an ACCESS EXCLUSIVE lock: no reads or writes until it is done, and it needs room for a second copy.',
    bad: 'VACUUM FULL chunks;',
    good: 'VACUUM (ANALYZE) chunks;'
  },
  check: ({ body, schema }) => {
    // `VACUUM (FULL false)` is a plain VACUUM.
    if (!defElemTrue(body.options, 'full') || !body.is_vacuumcmd) return []
    const tables = list(body.rels)
      .map((r) => relationOf(nodeOf(r, 'VacuumRelation')?.relation))
      .filter((r) => r !== undefined)
      .map((r) => tableKey(r!))
    if (tables.length === 0) return [{ message: 'runs VACUUM FULL on every table of the database' }]
    return tables.flatMap((table) => schema.onTable(table, { message: `runs VACUUM FULL on ${table}` }))
  }
})
