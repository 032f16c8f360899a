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

/** The repeated-passes order the graph promises (parents first, ties in file order), written the slow, obvious way. */
function passOrder(revisions: Revision[]): string[] {
  const ids = new Set(revisions.map((r) => r.id))
  const done = new Set<string>()
  const order: string[] = []
  let progressed = true
  while (progressed) {
    progressed = false
    for (const r of revisions) {
      if (done.has(r.id) || ![...r.parents, ...r.dependsOn].every((p) => done.has(p) || !ids.has(p))) continue
      done.add(r.id)
      order.push(r.id)
      progressed = true
    }
  }
  return order
}

/** A deterministic pseudo-random generator, so a failure can be reproduced. */
function random(seed: number): () => number {
  let state = seed
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
}

function shuffled<T>(items: T[], next: () => number): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

/** `n` revisions branching every 7th and merging the two open branches every 11th. */
function branchyChain(n: number): Revision[] {
  const revisions = [rev('r0')]
  let tips = ['r0']
  for (let i = 1; i < n; i++) {
    const id = `r${i}`
    if (i % 11 === 0 && tips.length > 1) {
      revisions.push(rev(id, tips.slice(0, 2)))
      tips = [id, ...tips.slice(2)]
    } else {
      const branchFrom = i % 7 === 0 ? tips[0] : tips[tips.length - 1]
      revisions.push(rev(id, [branchFrom]))
      tips = i % 7 === 0 ? [...tips, id] : [...tips.slice(0, -1), id]
    }
  }
  if (tips.length > 1) revisions.push(rev(`r${n}`, tips))
  return revisions
}

describe('graph order', () => {
  it('is the repeated-passes order, also when files list children before their parents', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const next = random(seed)
      const ordered = branchyChain(30 + seed).map((r) =>
        next() < 0.2 && r.parents.length > 0 ? { ...r, dependsOn: [`r${Math.floor(next() * 10)}`].filter((d) => d !== r.id && !r.parents.includes(d)) } : r
      )
      // Drop depends_on edges that would close a cycle: only ancestors' ids (lower numbers) stay.
      const acyclic = ordered.map((r) => ({ ...r, dependsOn: r.dependsOn.filter((d) => Number(d.slice(1)) < Number(r.id.slice(1))) }))
      const files = shuffled(acyclic, next)
      expect(analyzeGraph(files).summary.order).toEqual(passOrder(files))
      expect(pendingPath(files, []).map((r) => r.id)).toEqual(passOrder(files))
    }
  })

  // Behaviour at scale, not a timing: the analysis is linear and takes well under a second, while a
  // quadratic one would run into jest's test timeout here. Its speed is measured in bench/ (graph.mjs).
  const N = 100_000

  it(`analyses ${N} revisions in a straight line`, () => {
    const revisions = Array.from({ length: N }, (_, i) => rev(`r${i}`, i === 0 ? [] : [`r${i - 1}`]))
    const { summary, problems } = analyzeGraph(revisions)
    const pending = pendingPath(revisions, [`r${N / 2 - 1}`])
    expect(problems).toEqual([])
    expect(summary.order).toHaveLength(N)
    expect(summary.heads).toEqual([`r${N - 1}`])
    expect(pending).toHaveLength(N / 2)
    expect(pending[0].id).toBe(`r${N / 2}`)
  })

  it(`analyses ${N} revisions with branches and merges, files in reverse order,`, () => {
    const revisions = branchyChain(N).reverse()
    const { summary, problems } = analyzeGraph(revisions)
    const pending = pendingPath(revisions, ['r0'])
    expect(problems).toEqual([])
    expect(summary.merges.length).toBeGreaterThan(N / 20)
    expect(summary.branchPoints.length).toBeGreaterThan(N / 20)
    expect(summary.heads).toEqual([`r${N}`])
    expect(summary.order[0]).toBe('r0')
    expect(summary.order.at(-1)).toBe(`r${N}`)
    expect(pending).toHaveLength(revisions.length - 1)
  })

  it(`reports a cycle among ${N} revisions`, () => {
    const revisions = Array.from({ length: N }, (_, i) => rev(`r${i}`, i === 0 ? [] : [`r${i - 1}`]))
    revisions[10] = rev('r10', ['r9', `r${N - 1}`])
    const { problems } = analyzeGraph(revisions)
    expect(problems.find((p) => p.code === 'cycle')!.revisions).toHaveLength(N - 10)
  })
})
