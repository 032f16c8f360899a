import { ancestorsOf, type GraphSummary } from '../chain/graph.js'
import type { Chain, Problem, Revision } from '../engines/engine.js'

/**
 * The revision graph as a Mermaid flowchart (GitHub renders ```mermaid blocks in job summaries):
 * parents above children, roots, heads, merges, the database's current revision(s), the pending
 * path and what went wrong (the failed revision, revisions missing from the files, drifted ones)
 * marked; plain linear stretches folded into one node so big histories stay readable.
 */

/** Above this many drawn nodes, plain runs of a branched chain are folded. */
export const FOLD_ABOVE = 15

const MAX_LABEL = 48

/** Problem codes whose revisions the database has but the files lack. */
const MISSING_CODES = new Set(['unknown-stamped-revision', 'missing-migration-file', 'missing-parent', 'missing-dependency'])
/** Problem codes whose revisions changed after they were applied. */
const DRIFT_CODES = new Set(['checksum-mismatch'])

type Role = 'root' | 'head' | 'merge' | 'current' | 'pending' | 'failed' | 'missing' | 'drifted' | 'collapsed'

/** What the renderer knows about the database and the run, to mark on the graph. */
export interface GraphMarks {
  /** The revision(s) the database is at. */
  current: string[]
  /** Revisions still to apply (after an apply: those not applied). */
  pending: string[]
  /** The revision whose migration failed in this run. */
  failed?: string
  /** The run's problems; those naming revisions (missing files, checksum drift, …) are marked. */
  problems?: Problem[]
}

interface Node {
  key: string
  label: string
  roles: Role[]
}

/**
 * The flowchart, or undefined when a graph adds nothing to the report: a single revision, or a
 * straight line with nothing wrong in it (the migrations table already says it all).
 */
export function renderRevisionGraph(chain: Chain, graph: GraphSummary, marks: GraphMarks): string | undefined {
  const revisions = uniqueRevisions(chain.revisions)
  const byId = new Map(revisions.map((r) => [r.id, r]))
  const problems = marks.problems ?? []
  const named = (codes: Set<string>): Set<string> => new Set(problems.filter((p) => codes.has(p.code)).flatMap((p) => p.revisions))
  // A missing-parent problem also names the child, which has a file: only ids without one are missing.
  const missing = new Set([...named(MISSING_CODES), ...marks.current].filter((id) => !byId.has(id)))
  const drifted = named(DRIFT_CODES)
  const troubledIds = new Set(problems.flatMap((p) => p.revisions))
  const failed = marks.failed !== undefined && byId.has(marks.failed) ? marks.failed : undefined

  const branched = graph.roots.length > 1 || graph.heads.length > 1 || graph.merges.length > 0 || graph.branchPoints.length > 0 || revisions.some((r) => r.dependsOn.length > 0)
  const troubled = failed !== undefined || missing.size > 0 || revisions.some((r) => r.parents.some((p) => !byId.has(p))) || [...troubledIds].some((id) => byId.has(id))
  if (revisions.length < 2 || !(branched || troubled)) return undefined

  const order = graph.order.length === revisions.length ? graph.order : revisions.map((r) => r.id)
  const children = new Map<string, string[]>(revisions.map((r) => [r.id, []]))
  for (const r of revisions) for (const p of r.parents) children.get(p)?.push(r.id)

  const roots = new Set(graph.roots)
  const heads = new Set(graph.heads)
  const merges = new Set(graph.merges)
  const currentSet = new Set(marks.current)
  // After an apply the "pending" revisions may already be applied; only those still ahead are pending.
  const applied = ancestorsOf(
    revisions,
    marks.current.filter((id) => byId.has(id))
  )
  const pendingSet = new Set(marks.pending.filter((id) => !applied.has(id) && id !== failed))

  const dependedOn = new Set(revisions.flatMap((r) => r.dependsOn))
  const special = (id: string): boolean => {
    const r = byId.get(id)!
    return (
      roots.has(id) ||
      heads.has(id) ||
      merges.has(id) ||
      currentSet.has(id) ||
      id === failed ||
      troubledIds.has(id) ||
      r.parents.length !== 1 ||
      children.get(id)!.length !== 1 ||
      r.dependsOn.length > 0 ||
      dependedOn.has(id)
    )
  }
  // A straight line is folded down to its marked revisions; a branched chain only when it is big.
  const foldFrom = !branched ? 2 : revisions.length > FOLD_ABOVE ? 3 : Infinity

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
    if (run.length >= foldFrom) {
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
    if (drifted.has(id)) roles.push('drifted')
    if (id === failed) roles.push('failed')
    const description = r.description ? `<br/>${escapeLabel(truncate(r.description))}` : ''
    const tagText = roles.length > 0 ? `<br/><i>${roles.join(', ')}</i>` : ''
    nodes.set(key, { key, label: `<b>${escapeLabel(id)}</b>${description}${tagText}`, roles })
  }

  // Parents and dependencies the files do not declare, and revisions the database has without a file.
  const missingKey = (id: string): string => {
    let key = keyOf.get(id)
    if (key) return key
    key = `m${keyOf.size}`
    keyOf.set(id, key)
    const roles: Role[] = ['missing']
    const stamped = currentSet.has(id)
    if (stamped) roles.push('current')
    const what = stamped ? 'stamped, no file' : missing.has(id) ? 'applied, no file' : 'missing file'
    nodes.set(key, { key, label: `<b>${escapeLabel(id)}</b><br/><i>${what}</i>`, roles })
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
  for (const id of missing) missingKey(id)

  const lines = ['flowchart TD']
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
    '  classDef drifted fill:#fff1e5,color:#3d1300,stroke:#bc4c00,stroke-width:3px,stroke-dasharray:2 2',
    '  classDef missing fill:#ffebe9,color:#5c0000,stroke:#cf222e,stroke-dasharray:5 3',
    '  classDef failed fill:#cf222e,color:#ffffff,stroke:#82071e,stroke-width:4px',
    '  classDef collapsed fill:#f6f8fa,color:#24292f'
  )
  // Mermaid lets the later class win (in class-line and classDef order alike): fills after borders,
  // and what went wrong after the healthy states, so a stamped-but-missing or drifted current
  // revision is never drawn green and a failed one never pending.
  for (const role of ['root', 'head', 'merge', 'collapsed', 'pending', 'current', 'drifted', 'missing', 'failed'] as Role[]) {
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
