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
})
