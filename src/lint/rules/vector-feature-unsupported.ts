import { versionAtLeast } from '../../extensions.js'
import { extensionChange, featuresOf, VECTOR_FEATURES } from '../../vector/versions.js'
import type { VectorServer } from '../../vector/server.js'
import type { Body } from '../ast.js'
import type { Hit } from '../rule.js'
import { defineRule } from '../rule.js'
import type { SchemaModel } from '../schema-model.js'

/** The extension's version as the pending set goes: it may create or update the extension itself. */
interface VersionInEffect {
  objects?: string
  library?: string
}

/** One per lint run (the schema model is), carried across its revisions in the order they run. */
const inEffect = new WeakMap<SchemaModel, VersionInEffect>()

export default defineRule({
  id: 'vector-feature-unsupported',
  risk: 'critical',
  title: "Uses a pgvector feature that the server's pgvector version lacks",
  saferWay:
    "Update the extension first: `ALTER EXTENSION vector UPDATE;` (in a migration before this one, or by hand), and where the server's pgvector package itself is older than the feature, upgrade the package (e.g. the pgvector/pgvector image) before that. This finding stops the run whatever fail-on-risk says: the statement would fail.",
  docs: {
    why: 'HNSW came in pgvector 0.5.0; halfvec, sparsevec, bit and L1 indexing in 0.7.0; iterative index scans in 0.8.0. A database whose vector extension is older fails at the statement (access method "hnsw" does not exist, type "halfvec" does not exist), possibly after earlier migrations were applied; an iterative scan setting on an older library is not even an error when set before pgvector loads. The run stops before anything is applied instead, naming the statement.',
    bad: 'CREATE INDEX CONCURRENTLY chunks_embedding_idx ON chunks USING hnsw ((embedding::halfvec(1536)) halfvec_cosine_ops);',
    good: 'ALTER EXTENSION vector UPDATE;\nCREATE INDEX CONCURRENTLY chunks_embedding_idx ON chunks USING hnsw ((embedding::halfvec(1536)) halfvec_cosine_ops);',
    assumes: { description: 'the database at pgvector 0.6.2 and the server shipping 0.8.0', server: { installed: '0.6.2', available: '0.8.0' } }
  },
  checkRevision: ({ statements, schema, server }) => {
    if (!server) return []
    const state = inEffect.get(schema) ?? start(server)
    inEffect.set(schema, state)
    const hits: (Hit & { statementIndex: number })[] = []
    for (const [index, statement] of statements.entries()) {
      const body = (statement.node as unknown as Record<string, Body>)[statement.kind] ?? {}
      const change = extensionChange(statement.kind, body)
      if (change && (change.action === 'update' || state.objects === undefined)) state.objects = change.version ?? server.available
      for (const id of featuresOf(statement.kind, body)) {
        const feature = VECTOR_FEATURES[id]
        // Not created by then: the extensions input creates it before the migrations, at the server's version.
        const have = feature.kind === 'objects' ? (state.objects ?? server.available) : state.library
        if (!have || versionAtLeast(have, feature.since)) continue
        hits.push({ message: missing(feature, have, server), statementIndex: index })
      }
    }
    return hits
  }
})

function start(server: VectorServer): VersionInEffect {
  return { objects: server.installed, library: server.available }
}

function missing(feature: (typeof VECTOR_FEATURES)[keyof typeof VECTOR_FEATURES], have: string, server: VectorServer): string {
  const needs = `uses ${feature.name}, which needs pgvector ${feature.since} (${feature.source})`
  if (feature.kind === 'library') {
    return `${needs}; the server's pgvector library is ${have}: upgrade the pgvector package on the server (e.g. a newer pgvector/pgvector image), then run ALTER EXTENSION vector UPDATE`
  }
  const libraryHasIt = server.available !== undefined && versionAtLeast(server.available, feature.since)
  return libraryHasIt
    ? `${needs}; the vector extension in this database is ${have} while the server ships ${server.available}: run ALTER EXTENSION vector UPDATE first (by hand, or in a migration before this one)`
    : `${needs}; the vector extension in this database is ${have} and the server ships ${server.available ?? 'no newer version'}: upgrade the pgvector package on the server, then run ALTER EXTENSION vector UPDATE`
}
