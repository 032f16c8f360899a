import { describe, expect, it } from '@jest/globals'
import { analyzeGraph } from '../../src/chain/graph.js'
import type { Chain, Revision } from '../../src/engines/engine.js'
import { escapeLabel, renderRevisionGraph } from '../../src/report/mermaid.js'

function rev(id: string, parents: string[] = [], description = `step ${id}`, dependsOn: string[] = []): Revision {
  return { id, parents, dependsOn, branchLabels: [], description, file: `versions/${id}.py` }
}
function chainOf(revisions: Revision[]): Chain {
  return { engine: 'alembic', directory: 'db', notes: [], revisions }
}
function render(revisions: Revision[], current: string[] = [], pending: string[] = []): string {
  const chain = chainOf(revisions)
  return renderRevisionGraph(chain, analyzeGraph(revisions).summary, current, pending)
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
    for (const [from, to] of [[a, b], [b, c], [b, d], [c, m], [d, m], [m, n]]) expect(source).toContain(`  ${from} --> ${to}`)
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

  it('folds a long linear run into one node and keeps short ones', () => {
    const long = [rev('r00'), ...Array.from({ length: 30 }, (_, i) => rev(`r${String(i + 1).padStart(2, '0')}`, [`r${String(i).padStart(2, '0')}`]))]
    const source = render(long, ['r10'], long.slice(11).map((r) => r.id))
    const labels = [...nodes(source).values()]
    // root, run r01…r09, current r10, pending run r11…r29, head r30
    expect(labels).toHaveLength(5)
    expect(labels).toContain('r01 … r09<br/>(9 revisions)')
    expect(labels).toContain('r11 … r29<br/>(19 revisions)')
    expect(source).toMatch(/^ {2}c\d+\[\["r11 … r29<br\/>\(19 revisions\)"\]\]$/m)
    const folded = [...nodes(source)].find(([, l]) => l.startsWith('r11'))![0]
    expect(classesOf(source, folded)).toEqual(['collapsed', 'pending'])
    const edges = source.split('\n').filter((l) => l.includes('-->'))
    expect(edges).toHaveLength(4)

    const short = Array.from({ length: 5 }, (_, i) => rev(`s${i}`, i === 0 ? [] : [`s${i - 1}`]))
    expect(nodes(render(short)).size).toBe(5)
  })

  it('shows missing parents and stamped revisions without a file, and depends_on as dashed edges', () => {
    const source = render([rev('a'), rev('b', ['gone']), rev('c', ['a'], 'x', ['a'])], ['ghost'])
    const labels = [...nodes(source).values()]
    expect(labels).toContain('<b>gone</b><br/><i>missing file</i>')
    expect(labels).toContain('<b>ghost</b><br/><i>stamped, no file</i>')
    expect(source).toContain(`  ${keyOf(source, 'a')} -. depends on .-> ${keyOf(source, 'c')}`)
    expect(classesOf(source, keyOf(source, 'ghost'))).toEqual(['missing', 'current'])
  })

  it('escapes labels so quotes, brackets and markup cannot break the diagram', () => {
    const source = render([rev('a"]; click a', [], 'add <script> & "quotes" [x] #1')])
    expect(source).not.toContain('<script>')
    expect(source).toContain('add #60;script#62; #38; #34;quotes#34; #91;x#93; #35;1')
    expect(escapeLabel('plain id_01 (x), y: z/w')).toBe('plain id_01 (x), y: z/w')
    expect(source.split('\n').filter((l) => l.includes('["')).every((l) => /^ {2}\w+\["[^"]*"\]$/.test(l))).toBe(true)
  })

  it('renders an empty chain and a cycle without failing', () => {
    expect(render([])).toContain('no revisions')
    const cycle = render([rev('x', ['y']), rev('y', ['x'])])
    expect(cycle).toContain(`${keyOf(cycle, 'y')} --> ${keyOf(cycle, 'x')}`)
  })
})
