import type { Problem, Revision } from '../engines/engine.js'

/**
 * The chain as a graph, checked as a whole before anything runs (Alembic's revision map, Flyway's
 * validate). Engine-neutral: the SQL engine's chain is a line, Alembic's may branch and merge.
 */
export interface GraphSummary {
  roots: string[]
  heads: string[]
  /** Revisions with more than one parent. */
  merges: string[]
  /** Revisions with more than one child. */
  branchPoints: string[]
  /** Parents before children, ties in file order. Empty when the graph has a cycle. */
  order: string[]
}

export interface GraphAnalysis {
  summary: GraphSummary
  problems: Problem[]
}

export function analyzeGraph(revisions: Revision[]): GraphAnalysis {
  const problems: Problem[] = []
  const byId = new Map<string, Revision>()
  for (const revision of revisions) {
    const earlier = byId.get(revision.id)
    if (earlier) {
      problems.push({
        code: 'duplicate-revision',
        severity: 'error',
        message: `Revision '${revision.id}' is declared twice: in ${earlier.file} and in ${revision.file}.`,
        hint: 'Give one of them a new, unique revision id and point its children at it.',
        revisions: [revision.id],
        file: revision.file,
        line: revision.line
      })
      continue
    }
    byId.set(revision.id, revision)
  }
  const unique = [...byId.values()]

  const children = new Map<string, string[]>(unique.map((r) => [r.id, []]))
  for (const revision of unique) {
    for (const parent of revision.parents) {
      if (!byId.has(parent)) {
        problems.push({
          code: 'missing-parent',
          severity: 'error',
          message: `Revision '${revision.id}' (${revision.file}) names parent '${parent}', which no migration file declares.`,
          hint: `Restore the file of revision '${parent}', or correct down_revision of '${revision.id}' to an existing revision.`,
          revisions: [revision.id, parent],
          file: revision.file,
          line: revision.line
        })
      } else {
        children.get(parent)!.push(revision.id)
      }
    }
    for (const dependency of revision.dependsOn) {
      if (!byId.has(dependency)) {
        problems.push({
          code: 'missing-dependency',
          severity: 'error',
          message: `Revision '${revision.id}' (${revision.file}) depends on '${dependency}', which no migration file declares.`,
          hint: `Restore the file of revision '${dependency}', or remove it from depends_on of '${revision.id}'.`,
          revisions: [revision.id, dependency],
          file: revision.file,
          line: revision.line
        })
      }
    }
  }

  const order = topologicalOrder(unique, byId)
  if (order.length < unique.length) {
    const ordered = new Set(order)
    const inCycle = unique.filter((r) => !ordered.has(r.id)).map((r) => r.id)
    problems.push({
      code: 'cycle',
      severity: 'error',
      message: `The revisions ${list(inCycle)} form a cycle: following their parents never reaches a root.`,
      hint: 'One of them names a descendant as its parent; correct its down_revision.',
      revisions: inCycle,
      file: byId.get(inCycle[0])?.file
    })
  }

  const roots = unique.filter((r) => r.parents.length === 0).map((r) => r.id)
  const heads = unique.filter((r) => children.get(r.id)!.length === 0).map((r) => r.id)
  if (roots.length > 1) {
    const [, ...extra] = roots
    problems.push({
      code: 'multiple-roots',
      severity: 'error',
      message: `The chain has ${roots.length} roots (${list(roots)}): ${list(extra)} ${extra.length > 1 ? 'have' : 'has'} no parent, so the files hold more than one independent history.`,
      hint: `Set the parent (down_revision) of ${list(extra)} to the revision it was meant to follow, usually the head of the other chain.`,
      revisions: roots,
      file: byId.get(extra[0])?.file,
      line: byId.get(extra[0])?.line
    })
  }
  if (heads.length > 1 && unique.length > 0) {
    problems.push({
      code: 'multiple-heads',
      severity: 'error',
      message: `The chain has ${heads.length} heads (${list(heads)}): two branches were added and never merged.`,
      hint: `Merge them into one head: \`alembic merge -m "merge heads" ${heads.join(' ')}\` (or give one of them the other as its parent).`,
      revisions: heads,
      file: byId.get(heads[heads.length - 1])?.file,
      line: byId.get(heads[heads.length - 1])?.line
    })
  }

  return {
    summary: {
      roots,
      heads,
      merges: unique.filter((r) => r.parents.length > 1).map((r) => r.id),
      branchPoints: unique.filter((r) => children.get(r.id)!.length > 1).map((r) => r.id),
      order
    },
    problems
  }
}

/** Every revision reachable from `ids` through parents and depends_on, `ids` included. */
export function ancestorsOf(revisions: Revision[], ids: string[]): Set<string> {
  const byId = new Map(revisions.map((r) => [r.id, r]))
  const seen = new Set<string>()
  const stack = [...ids]
  while (stack.length > 0) {
    const id = stack.pop()!
    if (seen.has(id)) continue
    seen.add(id)
    const revision = byId.get(id)
    if (revision) stack.push(...revision.parents, ...revision.dependsOn)
  }
  return seen
}

/** The revisions not yet applied when the database is at `current`, parents first. */
export function pendingPath(revisions: Revision[], current: string[]): Revision[] {
  const applied = ancestorsOf(revisions, current)
  const byId = new Map(revisions.map((r) => [r.id, r]))
  return topologicalOrder(revisions, byId)
    .filter((id) => !applied.has(id))
    .map((id) => byId.get(id)!)
}

/**
 * Kahn's algorithm, linear in revisions + edges. The order is that of repeated passes over the
 * files (take every revision whose parents are taken, in file order, until nothing changes), which
 * keeps the output stable and readable; it is computed without the passes: a revision is taken in
 * the pass of its last-taken parent, or in the next pass when it comes before that parent in the files.
 */
function topologicalOrder(revisions: Revision[], byId: Map<string, Revision>): string[] {
  const canonical = revisions.filter((r) => byId.get(r.id) === r)
  const n = canonical.length
  const position = new Map(canonical.map((r, i) => [r.id, i]))
  const waitingOn = new Int32Array(n)
  const dependents: number[][] = Array.from({ length: n }, () => [])
  canonical.forEach((r, i) => {
    for (const p of [...r.parents, ...r.dependsOn]) {
      const parent = position.get(p)
      if (parent === undefined) continue
      waitingOn[i]++
      dependents[parent].push(i)
    }
  })
  const pass = new Int32Array(n).fill(-1)
  // Of each waiting revision, the last-taken parent so far: its pass and file position.
  const lastPass = new Int32Array(n).fill(-1)
  const lastPosition = new Int32Array(n).fill(-1)
  const ready: number[] = []
  for (let i = 0; i < n; i++) {
    if (waitingOn[i] === 0) {
      pass[i] = 0
      ready.push(i)
    }
  }
  for (let next = 0; next < ready.length; next++) {
    const taken = ready[next]
    for (const child of dependents[taken]) {
      if (pass[taken] > lastPass[child] || (pass[taken] === lastPass[child] && taken > lastPosition[child])) {
        lastPass[child] = pass[taken]
        lastPosition[child] = taken
      }
      if (--waitingOn[child] > 0) continue
      pass[child] = child > lastPosition[child] ? lastPass[child] : lastPass[child] + 1
      ready.push(child)
    }
  }
  // Bucket by pass; filling the buckets in file order keeps ties in file order.
  const passes: string[][] = []
  for (let i = 0; i < n; i++) if (pass[i] >= 0) (passes[pass[i]] ??= []).push(canonical[i].id)
  return passes.flat()
}

function list(ids: string[]): string {
  return ids.map((id) => `'${id}'`).join(', ')
}
