import { alterTableCommands, nodeOf, relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

/** DETACH PARTITION … CONCURRENTLY exists from PostgreSQL 14. */
const CONCURRENT_DETACH_SINCE = 14

export default defineRule({
  id: 'detach-partition-not-concurrent',
  appliesTo: ['AlterTableStmt'],
  risk: 'medium',
  title: 'DETACH PARTITION without CONCURRENTLY (PostgreSQL 14+) on an existing partitioned table',
  saferWay:
    'Use `ALTER TABLE … DETACH PARTITION … CONCURRENTLY` (PostgreSQL 14+, outside a transaction: put it in a file of its own, which the action then runs outside a transaction); if it is interrupted, finish it with `DETACH PARTITION … FINALIZE`.',
  docs: {
    why: 'A plain DETACH PARTITION takes an ACCESS EXCLUSIVE lock on the partitioned table and the partition: every query on any partition waits for it, and it waits for every running query on them first. With CONCURRENTLY the parent only gets a SHARE UPDATE EXCLUSIVE lock, and reads and writes continue.',
    bad: 'ALTER TABLE events DETACH PARTITION events_2024;',
    good: 'ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY;'
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    if (!ref) return []
    // Older servers have no CONCURRENTLY to advise.
    const major = schema.serverVersion === undefined ? undefined : Number.parseInt(schema.serverVersion, 10)
    if (major !== undefined && major < CONCURRENT_DETACH_SINCE) return []
    const parent = tableKey(ref)
    return alterTableCommands(body)
      .filter((c) => c.subtype === 'AT_DetachPartition')
      .map((c) => nodeOf(c.def, 'PartitionCmd'))
      .filter((p) => p && !p.concurrent)
      .flatMap((p) =>
        schema.onTable(
          parent,
          { message: `detaches partition ${tableKey(relationOf(p!.name) ?? { name: '?' })} from ${parent} under an ACCESS EXCLUSIVE lock on both` },
          { ifExists: Boolean(body.missing_ok) }
        )
      )
  }
})
