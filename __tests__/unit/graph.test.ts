import { describe, expect, it } from '@jest/globals'
import { analyzeGraph, pendingPath } from '../../src/chain/graph.js'
import type { Revision } from '../../src/engines/engine.js'

function rev(id: string, parents: string[] = [], dependsOn: string[] = []): Revision {
  return { id, parents, dependsOn, branchLabels: [], description: id, file: `versions/${id}.py` }
}

describe('analyzeGraph', () => {
  it('accepts a linear chain with one root and one head', () => {
    const { summary, problems } = analyzeGraph([rev('a'), rev('b', ['a']), rev('c', ['b'])])
    expect(problems).toEqual([])
    expect(summary.roots).toEqual(['a'])
    expect(summary.heads).toEqual(['c'])
    expect(summary.order).toEqual(['a', 'b', 'c'])
  })

  it('accepts a branch that is merged again', () => {
    const { summary, problems } = analyzeGraph([rev('a'), rev('b', ['a']), rev('c', ['a']), rev('m', ['b', 'c'])])
    expect(problems).toEqual([])
    expect(summary.merges).toEqual(['m'])
    expect(summary.branchPoints).toEqual(['a'])
    expect(summary.heads).toEqual(['m'])
  })

  it('reports a second root in the middle of history, naming it', () => {
    const { problems } = analyzeGraph([rev('0001'), rev('0002', ['0001']), rev('0003', ['0002']), rev('x1'), rev('x2', ['x1'])])
    const codes = problems.map((p) => p.code)
    expect(codes).toContain('multiple-roots')
    const roots = problems.find((p) => p.code === 'multiple-roots')!
    expect(roots.revisions).toEqual(['0001', 'x1'])
    expect(roots.file).toBe('versions/x1.py')
    expect(roots.hint).toMatch(/'x1'/)
  })

  it('reports several heads and suggests alembic merge with their ids', () => {
    const { problems } = analyzeGraph([rev('a'), rev('b', ['a']), rev('c', ['a'])])
    const heads = problems.find((p) => p.code === 'multiple-heads')!
    expect(heads.revisions).toEqual(['b', 'c'])
    expect(heads.hint).toContain('alembic merge -m "merge heads" b c')
  })

  it('reports a parent that does not exist', () => {
    const { problems } = analyzeGraph([rev('a'), rev('b', ['zzz'])])
    expect(problems.map((p) => p.code)).toContain('missing-parent')
    expect(problems.find((p) => p.code === 'missing-parent')!.message).toContain("'zzz'")
  })

  it('reports duplicate ids and cycles', () => {
    const dup = analyzeGraph([rev('a'), { ...rev('a'), file: 'versions/other.py' }])
    expect(dup.problems.map((p) => p.code)).toEqual(['duplicate-revision'])
    const cycle = analyzeGraph([rev('a'), rev('b', ['a', 'c']), rev('c', ['b'])])
    expect(cycle.problems.map((p) => p.code)).toContain('cycle')
    expect(cycle.summary.order).toEqual(['a'])
  })
})

describe('pendingPath', () => {
  const chain = [rev('a'), rev('b', ['a']), rev('c', ['a']), rev('m', ['b', 'c']), rev('d', ['m'])]

  it('is everything on an empty database', () => {
    expect(pendingPath(chain, []).map((r) => r.id)).toEqual(['a', 'b', 'c', 'm', 'd'])
  })

  it('is the path from each current branch to head', () => {
    expect(pendingPath(chain, ['b']).map((r) => r.id)).toEqual(['c', 'm', 'd'])
    expect(pendingPath(chain, ['b', 'c']).map((r) => r.id)).toEqual(['m', 'd'])
    expect(pendingPath(chain, ['d'])).toEqual([])
  })
})
