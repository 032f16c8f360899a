import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('detach-partition-not-concurrent', () => {
  it('flags DETACH PARTITION without CONCURRENTLY on an existing partitioned table, naming both tables', async () => {
    const found = findingsOf(await lintSql('ALTER TABLE events DETACH PARTITION events_2024;', { tables: { events: {} } }), 'detach-partition-not-concurrent')
    expect(found.map((f) => [f.line, f.risk, f.message])).toEqual([[1, 'medium', 'detaches partition events_2024 from events under an ACCESS EXCLUSIVE lock on both']])
  })

  it('does not flag CONCURRENTLY, FINALIZE, a partitioned table created in the pending set, nor a server older than PostgreSQL 14 (no CONCURRENTLY there)', async () => {
    const safe = 'ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY;\nALTER TABLE events DETACH PARTITION events_2023 FINALIZE;'
    expect(findingsOf(await lintSql(safe, { tables: { events: {} } }), 'detach-partition-not-concurrent')).toEqual([])
    const created =
      "CREATE TABLE logs (at date) PARTITION BY RANGE (at);\nCREATE TABLE logs_2024 PARTITION OF logs FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\nALTER TABLE logs DETACH PARTITION logs_2024;"
    expect(findingsOf(await lintSql(created, { tables: {} }), 'detach-partition-not-concurrent')).toEqual([])
    const old = await lintSql('ALTER TABLE events DETACH PARTITION events_2024;', { tables: { events: {} }, serverVersion: '13.16' })
    expect(findingsOf(old, 'detach-partition-not-concurrent')).toEqual([])
  })
})
