import { ancestorsOf, type GraphSummary } from '../chain/graph.js'
import type { Chain, Revision } from '../engines/engine.js'

/**
 * The revision graph as a Mermaid flowchart (GitHub renders ```mermaid blocks in job summaries):
 * parents above children, roots, heads, merges, the database's current revision(s) and the
 * pending path marked, long linear stretches folded into one node so big histories stay readable.
 */

/** Linear runs longer than this are folded into one node. */
export const COLLAPSE_AFTER = 5

const MAX_LABEL = 48

type Role = 'root' | 'head' | 'merge' | 'current' | 'pending' | 'missing' | 'collapsed'

interface Node {
  key: string
  label: string
  roles: Role[]
}

export function renderRevisionGraph(chain: Chain, graph: GraphSummary, current: string[], pending: string[]): string {
  const lines = ['flowchart TD']
  const revisions = uniqueRevisions(chain.revisions)
  if (revisions.length === 0) {
    lines.push('  empty["no revisions"]')
    return lines.join('\n')
  }
  const byId = new Map(revisions.map((r) => [r.id, r]))
  const order = graph.order.length === revisions.length ? graph.order : revisions.map((r) => r.id)
  const children = new Map<string, string[]>(revisions.map((r) => [r.id, []]))
  for (const r of revisions) for (const p of r.parents) children.get(p)?.push(r.id)

  const roots = new Set(graph.roots)
  const heads = new Set(graph.heads)
  const merges = new Set(graph.merges)
  const currentSet = new Set(current)
  // After an apply the "pending" revisions may already be applied; only those still ahead are pending.
  const applied = ancestorsOf(revisions, current.filter((id) => byId.has(id)))
  const pendingSet = new Set(pending.filter((id) => !applied.has(id)))

  const dependedOn = new Set(revisions.flatMap((r) => r.dependsOn))
  const special = (id: string): boolean => {
    const r = byId.get(id)!
    return (
      roots.has(id) || heads.has(id) || merges.has(id) || currentSet.has(id) ||
      r.parents.length !== 1 || children.get(id)!.length !== 1 || r.dependsOn.length > 0 || dependedOn.has(id)
    )
  }

  // Fold maximal runs of plain revisions (one parent, one child, nothing marked) that share a pending state.
  const groupOf = new Map<string, string>()
  const nodes = new Map<string, Node>()
  const visited = new Set<string>()
  for (const id of order) {
    if (visited.has(id) || special(id)) continue
    const run = [id]
    visited.add(id)
    let next = children.get(id)![0]
    while (next !== undefined && !visited.has(next) && !special(next) && pendingSet.has(next) === pendingSet.has(id) && byId.get(next)!.parents[0] === run[run.length - 1]) {
      run.push(next)
      visited.add(next)
      next = children.get(next)![0]
    }
    // Extend backwards too, in case `order` reached the middle of a run first.
    let previous = byId.get(id)!.parents[0]
    while (previous !== undefined && byId.has(previous) && !visited.has(previous) && !special(previous) && pendingSet.has(previous) === pendingSet.has(id)) {
      run.unshift(previous)
      visited.add(previous)
      previous = byId.get(previous)!.parents[0]
    }
    if (run.length > COLLAPSE_AFTER) {
      const key = `c${nodes.size}`
      for (const member of run) groupOf.set(member, key)
      nodes.set(key, {
        key,
        label: `${escapeLabel(run[0])} … ${escapeLabel(run[run.length - 1])}<br/>(${run.length} revisions)`,
        roles: ['collapsed', ...(pendingSet.has(id) ? (['pending'] as Role[]) : [])]
      })
    }
  }

  const keyOf = new Map<string, string>()
  let n = 0
  for (const id of order) {
    const group = groupOf.get(id)
    if (group) {
      keyOf.set(id, group)
      continue
    }
    const key = `r${n++}`
    keyOf.set(id, key)
    const r = byId.get(id)!
    const roles: Role[] = []
    if (roots.has(id)) roles.push('root')
    if (heads.has(id)) roles.push('head')
    if (merges.has(id)) roles.push('merge')
    if (pendingSet.has(id)) roles.push('pending')
    if (currentSet.has(id)) roles.push('current')
    const description = r.description ? `<br/>${escapeLabel(truncate(r.description))}` : ''
    const tagText = roles.length > 0 ? `<br/><i>${roles.join(', ')}</i>` : ''
    nodes.set(key, { key, label: `<b>${escapeLabel(id)}</b>${description}${tagText}`, roles })
  }

  // Parents and dependencies the files do not declare, and stamped revisions without a file.
  const missingKey = (id: string): string => {
    let key = keyOf.get(id)
    if (key) return key
    key = `m${keyOf.size}`
    keyOf.set(id, key)
    const roles: Role[] = ['missing']
    const stamped = currentSet.has(id)
    if (stamped) roles.push('current')
    nodes.set(key, { key, label: `<b>${escapeLabel(id)}</b><br/><i>${stamped ? 'stamped, no file' : 'missing file'}</i>`, roles })
    return key
  }

  const edges: string[] = []
  const seenEdges = new Set<string>()
  const edge = (from: string, to: string, dashed: boolean): void => {
    if (from === to) return
    const text = dashed ? `  ${from} -. depends on .-> ${to}` : `  ${from} --> ${to}`
    if (seenEdges.has(text)) return
    seenEdges.add(text)
    edges.push(text)
  }
  for (const id of order) {
    const r = byId.get(id)!
    for (const p of r.parents) edge(byId.has(p) ? keyOf.get(p)! : missingKey(p), keyOf.get(id)!, false)
    for (const d of r.dependsOn) edge(byId.has(d) ? keyOf.get(d)! : missingKey(d), keyOf.get(id)!, true)
  }
  for (const id of current) if (!byId.has(id)) missingKey(id)

  for (const node of nodes.values()) {
    lines.push(node.roles.includes('collapsed') ? `  ${node.key}[["${node.label}"]]` : `  ${node.key}["${node.label}"]`)
  }
  lines.push(...edges)
  lines.push(
    '  classDef root stroke:#1f6feb,stroke-width:3px',
    '  classDef head stroke:#8250df,stroke-width:3px',
    '  classDef merge stroke:#bf8700,stroke-width:3px,stroke-dasharray:4 2',
    '  classDef pending fill:#fff8c5,color:#3b2300',
    '  classDef current fill:#dafbe1,color:#0f2e18,stroke:#1a7f37,stroke-width:3px',
    '  classDef missing fill:#ffebe9,color:#5c0000,stroke:#cf222e,stroke-dasharray:5 3',
    '  classDef collapsed fill:#f6f8fa,color:#24292f'
  )
  // Fill roles last so they win over the border-only ones on the same node.
  for (const role of ['root', 'head', 'merge', 'collapsed', 'pending', 'missing', 'current'] as Role[]) {
    const keys = [...nodes.values()].filter((node) => node.roles.includes(role)).map((node) => node.key)
    if (keys.length > 0) lines.push(`  class ${keys.join(',')} ${role}`)
  }
  return lines.join('\n')
}

function uniqueRevisions(revisions: Revision[]): Revision[] {
  const seen = new Set<string>()
  return revisions.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)))
}

function truncate(text: string): string {
  return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text
}

/** Mermaid labels take entity codes; anything beyond a safe set is encoded so quotes, brackets and markup cannot break out. */
export function escapeLabel(text: string): string {
  let out = ''
  for (const ch of text) {
    out += /[A-Za-z0-9 _.,:/+\-()'…]/.test(ch) ? ch : `#${ch.codePointAt(0)};`
  }
  return out
}
