import type { ProblemCode } from '../../src/codes.js'
import { describe, expect, it } from '@jest/globals'
import { analyzeGraph } from '../../src/chain/graph.js'
import type { Chain, Problem, Revision } from '../../src/engines/engine.js'
import { escapeLabel, renderRevisionGraph, type GraphMarks } from '../../src/report/mermaid.js'

function rev(id: string, parents: string[] = [], description = `step ${id}`, dependsOn: string[] = []): Revision {
  return { id, parents, dependsOn, branchLabels: [], description, file: `versions/${id}.py` }
}
function chainOf(revisions: Revision[]): Chain {
  return { engine: 'alembic', directory: 'db', notes: [], revisions }
}
function draw(revisions: Revision[], marks: Partial<GraphMarks> = {}): string | undefined {
  return renderRevisionGraph(chainOf(revisions), analyzeGraph(revisions).summary, { current: [], pending: [], ...marks })
}
function render(revisions: Revision[], current: string[] = [], pending: string[] = [], marks: Partial<GraphMarks> = {}): string {
  const source = draw(revisions, { current, pending, ...marks })
  if (source === undefined) throw new Error('no graph drawn')
  return source
}
function line(length: number, prefix = 'r'): Revision[] {
  const id = (i: number): string => `${prefix}${String(i).padStart(2, '0')}`
  return Array.from({ length }, (_, i) => rev(id(i), i === 0 ? [] : [id(i - 1)]))
}
function problem(code: ProblemCode, revisions: string[]): Problem {
  return { code, severity: 'error', message: code, hint: '', revisions }
}
/** The `class` lines' roles of the node drawn for `id`. */
function rolesOf(source: string, id: string): string[] {
  return classesOf(source, keyOf(source, id))
}
/** node key → label, from `  r0["label"]` lines. */
function nodes(source: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const m of source.matchAll(/^ {2}(\w+)\[\[?"(.*)"\]?\]$/gm)) out.set(m[1], m[2])
  return out
}
function keyOf(source: string, id: string): string {
  for (const [key, label] of nodes(source)) if (label.startsWith(`<b>${id}</b>`)) return key
  throw new Error(`no node for ${id}`)
}
function classesOf(source: string, key: string): string[] {
  return [...source.matchAll(/^ {2}class (\S+) (\w+)$/gm)].filter((m) => m[1].split(',').includes(key)).map((m) => m[2])
}

// a ─ b ─┬─ c ─┬─ m ─ n
//        └─ d ─┘
const branched = [rev('a'), rev('b', ['a']), rev('c', ['b']), rev('d', ['b']), rev('m', ['c', 'd'], 'merge heads'), rev('n', ['m'])]

describe('renderRevisionGraph', () => {
  it('draws every revision with parent → child edges and marks root, merge, head, current and pending', () => {
    const source = render(branched, ['b'], ['c', 'd', 'm', 'n'])
    expect(source.split('\n')[0]).toBe('flowchart TD')
    const [a, b, c, d, m, n] = ['a', 'b', 'c', 'd', 'm', 'n'].map((id) => keyOf(source, id))
    for (const [from, to] of [
      [a, b],
      [b, c],
      [b, d],
      [c, m],
      [d, m],
      [m, n]
    ])
      expect(source).toContain(`  ${from} --> ${to}`)
    expect(classesOf(source, a)).toEqual(['root'])
    expect(classesOf(source, b)).toEqual(['current'])
    expect(classesOf(source, m)).toEqual(['merge', 'pending'])
    expect(classesOf(source, n)).toEqual(['head', 'pending'])
    expect(nodes(source).get(m)).toBe('<b>m</b><br/>merge heads<br/><i>merge, pending</i>')
    for (const role of ['root', 'head', 'merge', 'pending', 'current']) expect(source).toContain(`classDef ${role} `)
  })

  it('does not mark revisions pending once the database is past them (after an apply)', () => {
    const source = render(branched, ['n'], ['c', 'd', 'm', 'n'])
    expect(source).not.toMatch(/class \S+ pending/)
    expect(classesOf(source, keyOf(source, 'n'))).toEqual(['head', 'current'])
  })

  it('folds the plain stretches of a straight line around the current and the failed revision', () => {
    const long = line(31)
    const source = render(
      long,
      ['r10'],
      long.slice(11).map((r) => r.id),
      { failed: 'r11' }
    )
    const labels = [...nodes(source).values()]
    // root, run r01…r09, current r10, failed r11, pending run r12…r29, head r30
    expect(labels).toHaveLength(6)
    expect(labels).toContain('r01 … r09<br/>(9 revisions)')
    expect(labels).toContain('r12 … r29<br/>(18 revisions)')
    expect(source).toMatch(/^ {2}c\d+\[\["r12 … r29<br\/>\(18 revisions\)"\]\]$/m)
    const folded = [...nodes(source)].find(([, l]) => l.startsWith('r12'))![0]
    expect(classesOf(source, folded)).toEqual(['collapsed', 'pending'])
    expect(source.split('\n').filter((l) => l.includes('-->'))).toHaveLength(5)
  })

  it('collapses the plain middle of a 6-revision straight line', () => {
    const source = render(line(6), ['r05'], [], { problems: [problem('checksum-mismatch', ['r01'])] })
    expect([...nodes(source).values()].map((l) => l.replace(/<br\/>.*/, '')).sort()).toEqual(['<b>r00</b>', '<b>r01</b>', '<b>r05</b>', 'r02 … r04'])
  })

  it('draws no graph where it adds nothing: one revision, or a straight line with nothing wrong', () => {
    expect(draw([rev('only')], { current: ['only'] })).toBeUndefined()
    expect(draw(line(6), { current: ['r02'], pending: ['r03', 'r04', 'r05'] })).toBeUndefined()
    expect(draw(line(40), { pending: line(40).map((r) => r.id) })).toBeUndefined()
    expect(draw([])).toBeUndefined()
    // Two roots, a problem, a failure: each makes the graph worth drawing.
    expect(draw([rev('a'), rev('b')])).toBeDefined()
    expect(draw(line(3), { problems: [problem('checksum-mismatch', ['r01'])] })).toBeDefined()
    expect(draw(line(2), { failed: 'r01' })).toBeDefined()
  })

  it('draws the failed revision as failed, never as pending, and never folds it away', () => {
    const big = [...line(20), rev('side', ['r05']), rev('m', ['r19', 'side'], 'merge')]
    const source = render(
      big,
      ['r04'],
      big.slice(5).map((r) => r.id),
      { failed: 'r12' }
    )
    expect(rolesOf(source, 'r12')).toEqual(['failed'])
    expect(nodes(source).get(keyOf(source, 'r12'))).toContain('<i>failed</i>')
    expect([...nodes(source).values()].some((l) => /r1[01] … r1[3-9]/.test(l))).toBe(false)
    expect(source).toContain('classDef failed ')
  })

  it('folds a branched chain only above the node budget, and never the current, missing or drifted revision', () => {
    // a ─ b ─┬─ c1 … c6 ─┬─ m
    //        └─ d ───────┘
    const small = [rev('a'), rev('b', ['a']), ...line(6, 'c').map((r, i) => (i === 0 ? rev(r.id, ['b']) : r)), rev('d', ['b']), rev('m', ['c05', 'd'])]
    expect(nodes(render(small)).size).toBe(small.length)

    const big = [rev('a'), rev('b', ['a']), ...line(20, 'c').map((r, i) => (i === 0 ? rev(r.id, ['b']) : r)), rev('d', ['b']), rev('m', ['c19', 'd'])]
    const source = render(big, ['c08'], [], { problems: [problem('checksum-mismatch', ['c03'])] })
    const labels = [...nodes(source).values()]
    expect(labels.length).toBeLessThan(big.length)
    expect(labels).toContain('c00 … c02<br/>(3 revisions)')
    expect(labels).toContain('c04 … c07<br/>(4 revisions)')
    expect(labels).toContain('c09 … c19<br/>(11 revisions)')
    expect(rolesOf(source, 'c03')).toEqual(['drifted'])
    expect(rolesOf(source, 'c08')).toEqual(['current'])
  })

  it('draws a revision stamped in the database but missing from the files as missing, not green', () => {
    const source = render(line(3), ['ghost'], [], { problems: [problem('unknown-stamped-revision', ['ghost'])] })
    const roles = rolesOf(source, 'ghost')
    expect(roles).toEqual(['current', 'missing'])
    // The later class wins in Mermaid: missing must come after current.
    expect(roles.indexOf('missing')).toBeGreaterThan(roles.indexOf('current'))
    expect(source.indexOf('classDef missing')).toBeGreaterThan(source.indexOf('classDef current'))

    // The SQL engine's applied-but-deleted file: not current, not a parent of anything, still drawn.
    const sql = render(line(3), ['r02'], [], { problems: [problem('missing-migration-file', ['gone'])] })
    expect(nodes(sql).get(keyOf(sql, 'gone'))).toBe('<b>gone</b><br/><i>applied, no file</i>')
    expect(rolesOf(sql, 'gone')).toEqual(['missing'])
  })

  it('marks a drifted head as drifted after head and current, so it is not drawn as a healthy head', () => {
    const source = render(line(4), ['r03'], [], { problems: [problem('checksum-mismatch', ['r03'])] })
    const roles = rolesOf(source, 'r03')
    expect(roles).toEqual(['head', 'current', 'drifted'])
    expect(nodes(source).get(keyOf(source, 'r03'))).toContain('<i>head, current, drifted</i>')
    expect(source.indexOf('classDef drifted')).toBeGreaterThan(source.indexOf('classDef current'))
  })

  it('shows missing parents and stamped revisions without a file, and depends_on as dashed edges', () => {
    const source = render([rev('a'), rev('b', ['gone']), rev('c', ['a'], 'x', ['a'])], ['ghost'])
    const labels = [...nodes(source).values()]
    expect(labels).toContain('<b>gone</b><br/><i>missing file</i>')
    expect(labels).toContain('<b>ghost</b><br/><i>stamped, no file</i>')
    expect(source).toContain(`  ${keyOf(source, 'a')} -. depends on .-> ${keyOf(source, 'c')}`)
    expect(classesOf(source, keyOf(source, 'ghost'))).toEqual(['current', 'missing'])
  })

  it('escapes labels so quotes, brackets and markup cannot break the diagram', () => {
    const source = render([rev('a"]; click a', [], 'add <script> & "quotes" [x] #1'), rev('second root')])
    expect(source).not.toContain('<script>')
    expect(source).toContain('add #60;script#62; #38; #34;quotes#34; #91;x#93; #35;1')
    expect(escapeLabel('plain id_01 (x), y: z/w')).toBe('plain id_01 (x), y: z/w')
    expect(
      source
        .split('\n')
        .filter((l) => l.includes('["'))
        .every((l) => /^ {2}\w+\["[^"]*"\]$/.test(l))
    ).toBe(true)
  })

  it('renders a cycle without failing', () => {
    const revisions = [rev('x', ['y']), rev('y', ['x'])]
    const cycle = render(revisions, [], [], { problems: analyzeGraph(revisions).problems })
    expect(cycle).toContain(`${keyOf(cycle, 'y')} --> ${keyOf(cycle, 'x')}`)
  })
})
