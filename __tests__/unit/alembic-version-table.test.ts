import { describe, expect, it } from '@jest/globals'
import type { Chain, Revision } from '../../src/engines/engine.js'
import { reconcile, resolveVersionTable, versionTableName } from '../../src/engines/alembic/version-table.js'

function rev(id: string, parents: string[] = []): Revision {
  return { id, parents, dependsOn: [], branchLabels: [], description: `d ${id}`, file: `versions/${id}.py`, line: 3 }
}
// a ─ b ─┬─ c ─┬─ m
//        └─ d ─┘
const chain: Chain = { engine: 'alembic', directory: 'db', notes: [], revisions: [rev('a'), rev('b', ['a']), rev('c', ['b']), rev('d', ['b']), rev('m', ['c', 'd'])] }
const table = { table: 'alembic_version', source: 'default' as const }

describe('resolveVersionTable', () => {
  it('prefers the input, then alembic.ini, then alembic_version in the default schema', () => {
    expect(resolveVersionTable({ alembicVersionTable: { schema: '', table: 'v' } }, { versionTable: 'x' })).toEqual({ schema: undefined, table: 'v', source: 'input' })
    expect(resolveVersionTable({}, { versionTable: 'x', versionTableSchema: 'meta' })).toEqual({ schema: 'meta', table: 'x', source: 'alembic.ini' })
    expect(resolveVersionTable({}, { versionTableSchema: 'meta' })).toEqual({ schema: 'meta', table: 'alembic_version', source: 'alembic.ini' })
    expect(resolveVersionTable({}, {})).toEqual(table)
    expect(versionTableName({ schema: 'meta', table: 'x', source: 'input' })).toBe('meta.x')
  })
})

describe('reconcile', () => {
  it('treats a missing table as an empty database', () => {
    expect(reconcile(chain, undefined, table)).toEqual({ current: [], applied: [], versionTableExists: false, problems: [] })
  })

  it('lists everything below the current revision as applied, parents first', () => {
    const state = reconcile(chain, ['c'], table)
    expect(state.problems).toEqual([])
    expect(state.applied.map((a) => a.id)).toEqual(['a', 'b', 'c'])
    expect(state.applied[2].description).toBe('d c')
  })

  it('accepts two rows on distinct branches', () => {
    const state = reconcile(chain, ['c', 'd'], table)
    expect(state.problems).toEqual([])
    expect(state.applied.map((a) => a.id)).toEqual(['a', 'b', 'c', 'd'])
  })

  it('reports a stamped revision no file declares, naming it', () => {
    const { problems } = reconcile(chain, ['b', 'deadbeef'], table)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ code: 'unknown-stamped-revision', severity: 'error', revisions: ['deadbeef'] })
    expect(problems[0].message).toContain("'deadbeef'")
    expect(problems[0].hint).toContain('alembic stamp')
  })

  it('reports an ancestor stamped next to its descendant', () => {
    const { problems } = reconcile(chain, ['a', 'm'], table)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ code: 'stamped-ancestor-and-descendant', severity: 'error', revisions: ['a', 'm'], file: 'versions/m.py' })
    expect(problems[0].hint).toContain("version_num = 'a'")
  })

  // Scale (issue 7 #17): every walk over the chain must stay linear in its length.
  it('reconciles a long chain stamped at several rows within a time budget for a slow machine', () => {
    const n = 100_000
    const revisions = Array.from({ length: n }, (_, i) => rev(`r${i}`, i === 0 ? [] : [`r${i - 1}`]))
    revisions.push(rev('side', ['r10']))
    const long: Chain = { ...chain, revisions }
    const started = performance.now()
    const state = reconcile(long, [`r${n - 1}`, 'side'], table)
    expect(performance.now() - started).toBeLessThan(5000)
    expect(state.problems).toEqual([])
    expect(state.applied).toHaveLength(n + 1)
    expect(state.applied.slice(0, 2).map((a) => a.id)).toEqual(['r0', 'r1'])
    expect(state.applied.at(-1)!.id).toBe('side')
  })
})
