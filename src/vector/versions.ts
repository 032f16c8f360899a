import { calledFunctions, list, nodeOf, strings, type Body } from '../lint/ast.js'
import { versionAtLeast } from '../extensions.js'

/**
 * What each pgvector version brought that a migration can use, and the advisories of released
 * versions: the two tables the version checks read. Sources are pgvector's CHANGELOG.md
 * (https://github.com/pgvector/pgvector/blob/master/CHANGELOG.md) and the issues linked per entry.
 */

/**
 * `objects`: SQL objects of the extension (types, operator classes, access methods, functions): the
 * extension's own version in the database counts, and `ALTER EXTENSION vector UPDATE` brings them.
 * `library`: settings of the server's pgvector library: only a newer library on the server brings them.
 */
export type FeatureKind = 'objects' | 'library'

export interface VectorFeature {
  name: string
  since: string
  kind: FeatureKind
  source: string
}

const CHANGELOG = 'https://github.com/pgvector/pgvector/blob/master/CHANGELOG.md'

export const VECTOR_FEATURES = {
  hnsw: { name: 'HNSW indexes', since: '0.5.0', kind: 'objects', source: `${CHANGELOG}#050-2023-08-28` },
  halfvec: { name: 'the halfvec type', since: '0.7.0', kind: 'objects', source: `${CHANGELOG}#070-2024-04-29` },
  sparsevec: { name: 'the sparsevec type', since: '0.7.0', kind: 'objects', source: `${CHANGELOG}#070-2024-04-29` },
  bitIndex: { name: 'indexing bit vectors (bit_hamming_ops, bit_jaccard_ops)', since: '0.7.0', kind: 'objects', source: `${CHANGELOG}#070-2024-04-29` },
  l1Index: { name: 'indexing L1 distance (vector_l1_ops)', since: '0.7.0', kind: 'objects', source: `${CHANGELOG}#070-2024-04-29` },
  functions070: {
    name: 'binary_quantize, subvector, l2_normalize, hamming_distance, jaccard_distance',
    since: '0.7.0',
    kind: 'objects',
    source: `${CHANGELOG}#070-2024-04-29`
  },
  iterativeScan: {
    name: 'iterative index scans (hnsw.iterative_scan, ivfflat.iterative_scan and their limits)',
    since: '0.8.0',
    kind: 'library',
    source: `${CHANGELOG}#080-2024-10-30`
  }
} as const satisfies Record<string, VectorFeature>

export type FeatureId = keyof typeof VECTOR_FEATURES

/** What an advisory is about: it concerns a run that does this. */
export type AdvisoryScope = 'hnsw-parallel-build' | 'hnsw-vacuum' | 'ivfflat-build-32-bit'

export interface VectorAdvisory {
  id: string
  title: string
  scope: AdvisoryScope
  /** First affected version; undefined: every version before the fix. */
  from?: string
  fixedIn: string
  source: string
}

export const VECTOR_ADVISORIES: VectorAdvisory[] = [
  {
    id: 'CVE-2026-3172',
    title: 'buffer overflow in parallel HNSW index builds (can leak data of other relations or crash the server)',
    scope: 'hnsw-parallel-build',
    from: '0.6.0',
    fixedIn: '0.8.2',
    source: 'https://github.com/pgvector/pgvector/issues/959'
  },
  {
    id: 'pgvector 0.8.3',
    title: 'possible HNSW index corruption while vacuuming',
    scope: 'hnsw-vacuum',
    from: '0.5.0',
    fixedIn: '0.8.3',
    source: 'https://github.com/pgvector/pgvector/pull/988'
  },
  {
    id: 'pgvector 0.8.4',
    title: '"hnsw graph not repaired" errors and failing inserts while HNSW indexes are vacuumed',
    scope: 'hnsw-vacuum',
    from: '0.5.0',
    fixedIn: '0.8.4',
    source: 'https://github.com/pgvector/pgvector/issues/993'
  },
  {
    id: 'CVE-2026-18022',
    title: 'buffer overflow in IVFFlat index builds on 32-bit servers',
    scope: 'ivfflat-build-32-bit',
    fixedIn: '0.8.6',
    source: 'https://github.com/pgvector/pgvector/issues/1006'
  }
]

/** The advisories a version is affected by. */
export function advisoriesFor(version: string | undefined, scope?: AdvisoryScope): VectorAdvisory[] {
  if (!version) return []
  return VECTOR_ADVISORIES.filter((a) => (!scope || a.scope === scope) && (!a.from || versionAtLeast(version, a.from)) && !versionAtLeast(version, a.fixedIn))
}

/** "CVE-2026-3172 (…, fixed in 0.8.2: <link>)" */
export function describeAdvisory(a: VectorAdvisory): string {
  return `${a.id}: ${a.title}, fixed in ${a.fixedIn} (${a.source})`
}

const ITERATIVE_SCAN_SETTINGS = new Set(['hnsw.iterative_scan', 'ivfflat.iterative_scan', 'hnsw.max_scan_tuples', 'hnsw.scan_mem_multiplier', 'ivfflat.max_probes'])
const FUNCTIONS_070 = new Set(['binary_quantize', 'subvector', 'l2_normalize', 'hamming_distance', 'jaccard_distance'])

/** The pgvector features one statement uses, from its parse tree. */
export function featuresOf(kind: string, body: Body): FeatureId[] {
  const found = new Set<FeatureId>()
  if (kind === 'IndexStmt') {
    const method = String(body.accessMethod ?? '').toLowerCase()
    if (method === 'hnsw') found.add('hnsw')
    for (const elem of list(body.indexParams).map((p) => nodeOf(p, 'IndexElem'))) {
      const opclass = strings(elem?.opclass).at(-1)?.toLowerCase() ?? ''
      if (/^bit_(hamming|jaccard)_ops$/.test(opclass)) found.add('bitIndex')
      if (opclass === 'vector_l1_ops') found.add('l1Index')
      if (opclass.startsWith('halfvec_')) found.add('halfvec')
      if (opclass.startsWith('sparsevec_')) found.add('sparsevec')
    }
  }
  walk(body, (node) => {
    // TypeName and a nested VariableSetStmt (ALTER DATABASE … SET) sit unwrapped under their keys.
    const type = strings((node.typeName as Body | undefined)?.names)
      .at(-1)
      ?.toLowerCase()
    if (type === 'halfvec' || type === 'sparsevec') found.add(type)
    if (ITERATIVE_SCAN_SETTINGS.has(String((node.setstmt as Body | undefined)?.name ?? '').toLowerCase())) found.add('iterativeScan')
    const call = nodeOf(node, 'FuncCall')
    const name = call ? strings(call.funcname).at(-1)?.toLowerCase() : undefined
    if (name === 'set_config') {
      const setting = nodeOf(list(call?.args)[0], 'A_Const')?.sval as Body | undefined
      if (ITERATIVE_SCAN_SETTINGS.has(String(setting?.sval ?? '').toLowerCase())) found.add('iterativeScan')
    }
  })
  if (kind === 'VariableSetStmt' && ITERATIVE_SCAN_SETTINGS.has(String(body.name ?? '').toLowerCase())) found.add('iterativeScan')
  if (calledFunctions(body).some((f) => FUNCTIONS_070.has(f))) found.add('functions070')
  return [...found]
}

function walk(value: unknown, visit: (node: Body) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) walk(v, visit)
  } else if (value && typeof value === 'object') {
    visit(value as Body)
    for (const v of Object.values(value)) walk(v, visit)
  }
}

/** What a statement does to the extension's version: `CREATE EXTENSION vector [VERSION 'x']`, `ALTER EXTENSION vector UPDATE [TO 'x']`. */
export function extensionChange(kind: string, body: Body): { action: 'create' | 'update'; version?: string } | undefined {
  if ((kind !== 'CreateExtensionStmt' && kind !== 'AlterExtensionStmt') || String(body.extname) !== 'vector') return undefined
  let version: string | undefined
  for (const option of list(body.options)) {
    const def = nodeOf(option, 'DefElem')
    if (def?.defname === 'new_version') version = String((nodeOf(def.arg, 'String')?.sval as string | undefined) ?? '') || undefined
  }
  return { action: kind === 'CreateExtensionStmt' ? 'create' : 'update', version }
}
