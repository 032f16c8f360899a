import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import type pg from 'pg'
// @ts-expect-error -- plain ESM scripts without type declarations
import { compare, CORPUS_DIR, DOC, loadCorpus, renderDoc, renderReadmeSection, SQUAWK_RESULTS } from '../../scripts/lint-corpus.mjs'
import type { PendingRevision } from '../../src/engines/engine.js'
import { pgCatalogReader } from '../../src/lint/catalog.js'
import { lintPending } from '../../src/lint/lint.js'
import { loadSqlParser } from '../../src/sql/parse.js'
import { missingReason } from '../support/capabilities.js'
import { connectClient, createTestDatabase, describeWithDatabase, dropTestDatabases } from '../support/database.js'
import { sqlRevision } from '../unit/lint/helpers.js'

/**
 * The lint corpus against a real server: every case's pending set linted against schema.sql (tables
 * that exist and hold rows; nothing of a case is applied), each finding's rule and risk exactly as the
 * case expects. `node scripts/lint-corpus.mjs` runs squawk on the same cases for docs/lint-corpus.md and
 * the README's comparison, which must stay current and explain every difference.
 */

interface CorpusCase {
  id: string
  revisions: string[]
  lockTimeout: string
  alembic?: string
  noSql?: string
  expect: string[]
}

const corpus = loadCorpus() as { cases: CorpusCase[] }
const { cases } = corpus
let client: pg.Client

beforeAll(async () => {
  if (missingReason(['database'])) return
  client = await connectClient((await createTestDatabase('pgma_corpus')).url)
  await client.query(readFileSync(`${CORPUS_DIR}/schema.sql`, 'utf8'))
})

afterAll(async () => {
  await client?.end()
  await dropTestDatabases()
})

/** The pending set of a case, planned as the engines plan it: a file holding CREATE INDEX CONCURRENTLY runs statement by statement. */
async function pendingOf(c: CorpusCase): Promise<PendingRevision[]> {
  if (c.alembic !== undefined) {
    const revision = sqlRevision('a1', c.revisions[0] ?? '')
    return [
      {
        ...revision,
        revision: { ...revision.revision, file: `migrations/versions/a1_${c.id.split('/')[1]}.py` },
        sql: c.noSql === undefined ? c.revisions[0] : undefined,
        notes: c.noSql ? [c.noSql] : []
      }
    ]
  }
  const parser = await loadSqlParser()
  return c.revisions.map((sql, i) => {
    let transactional = true
    try {
      transactional = !parser.parse(sql).some((s) => s.noTransaction)
    } catch {
      // A syntax error: planned as written, the lint reports it.
    }
    return { ...sqlRevision(String(i + 1).padStart(4, '0'), sql), transactional }
  })
}

describeWithDatabase('the lint corpus, against a target whose tables hold rows', () => {
  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const result = await lintPending(await pendingOf(c), {
      engine: c.alembic !== undefined ? 'alembic' : 'sql',
      lockTimeout: c.lockTimeout,
      catalog: pgCatalogReader(client),
      readSource: () => c.alembic
    })
    expect(result.findings.map((f) => `${f.rule} ${f.risk}`).sort()).toEqual(c.expect)
  })
})

describe('the comparison with squawk on the corpus', () => {
  const results: unknown = JSON.parse(readFileSync(SQUAWK_RESULTS, 'utf8'))

  it('has squawk results for every case as written, and a reason of the right kind for every difference', () => {
    expect((compare(corpus, results) as { problems: string[] }).problems).toEqual([])
  })

  it('is what docs/lint-corpus.md and the README say (regenerate with node scripts/lint-corpus.mjs)', () => {
    expect(readFileSync(DOC, 'utf8')).toBe(renderDoc(corpus, results))
    expect(readFileSync('README.md', 'utf8')).toContain(`<!-- lint-corpus:start -->\n${String(renderReadmeSection(corpus, results))}\n<!-- lint-corpus:end -->`)
  })
})
