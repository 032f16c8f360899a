// An HNSW build on a table that outgrows the server's maintenance_work_mem: the action with the server's
// settings against the same action with `maintenance-work-mem: auto`, interleaved round by round.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { actionMustSucceed, runActionTimed } from './action.mjs'
import { createDatabase, dropDatabase, quantile, summarize, urlFor, withClient } from './common.mjs'
import { fmtMs, fmtRatio } from './report.mjs'

export const SERVER_DEFAULT = "server's maintenance_work_mem"
export const AUTO = 'maintenance-work-mem: auto'
const TEMPLATE = 'pgma_bench_hnsw_template'

/**
 * The table is loaded once into a template database and each build runs on a copy of it (CREATE
 * DATABASE … TEMPLATE), so every run starts from the same rows. Reported: the pipeline's own
 * duration-ms (start-up excluded, the build is nearly all of it), whether the server said the graph
 * spilled (the HNSW notice, read from the log), and what maintenance_work_mem auto chose.
 */
export async function benchHnswBuild({ admin, rows, dims, rounds, log }) {
  const root = mkdtempSync(join(tmpdir(), 'pgma-bench-hnsw-'))
  const dir = join(root, 'sql')
  mkdirSync(dir)
  writeFileSync(join(dir, '0001_items_hnsw.sql'), '-- pg-migrate:no-transaction\nCREATE INDEX CONCURRENTLY items_embedding_idx ON items USING hnsw (embedding vector_l2_ops);\n')
  const samples = { [SERVER_DEFAULT]: [], [AUTO]: [] }
  const facts = { spilled: { [SERVER_DEFAULT]: 0, [AUTO]: 0 }, autoSetting: undefined }
  let db = 0
  try {
    const loadStart = performance.now()
    const template = await createDatabase(admin, TEMPLATE)
    await withClient(template, async (c) => {
      await c.query(`CREATE TABLE items (id int PRIMARY KEY, embedding vector(${dims}))`)
      await c.query(`INSERT INTO items SELECT i, ARRAY(SELECT random() FROM generate_series(1, ${dims}) WHERE i > 0)::vector FROM generate_series(1, ${rows}) i`)
      await c.query('VACUUM ANALYZE items')
    })
    log(`  loaded ${rows} × vector(${dims}) in ${fmtMs(performance.now() - loadStart)} ms`)
    const once = async (label, record) => {
      const name = `pgma_bench_hnsw_${db++}`
      await withClient(admin, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`))
      const url = urlFor(admin, name)
      const inputs = {
        'database-url': url,
        'migrations-path': dir,
        engine: 'sql',
        extensions: 'vector',
        'fail-on-risk': 'none',
        ...(label === AUTO ? { 'maintenance-work-mem': 'auto' } : {})
      }
      const r = actionMustSucceed(label, await runActionTimed(inputs, { env: { GITHUB_WORKSPACE: root } }))
      await dropDatabase(admin, name)
      if (!record) return
      samples[label].push(r.pipelineMs)
      if (/hnsw graph no longer fits into maintenance_work_mem/.test(r.stdout)) facts.spilled[label]++
      facts.autoSetting ??= /maintenance-work-mem: auto set maintenance_work_mem = (\S+)/.exec(r.stdout)?.[1]
      log(`  ${label}: ${fmtMs(r.pipelineMs)} ms`)
    }
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [SERVER_DEFAULT, AUTO] : [AUTO, SERVER_DEFAULT]
      for (const label of order) await once(label, true)
      log(`  round ${round + 1}/${rounds} done`)
    }
  } finally {
    await dropDatabase(admin, TEMPLATE).catch(() => undefined)
    rmSync(root, { recursive: true, force: true })
  }
  const ratios = samples[SERVER_DEFAULT].map((x, i) => x / samples[AUTO][i])
  return { rows, dims, rounds, facts, results: [SERVER_DEFAULT, AUTO].map((label) => ({ name: label, pipelineMs: summarize(samples[label]) })), roundRatio: quantile(ratios, 0.5) }
}

export function hnswBuildTable({ rows, dims, rounds, facts, results, roundRatio }) {
  const [server, auto] = results
  return {
    title: `HNSW build of ${rows.toLocaleString('en')} × vector(${dims}): the server's maintenance_work_mem vs maintenance-work-mem: auto (interleaved, ${rounds} rounds)`,
    headers: ['run', 'median ms', 'min–max ms', 'spilled (HNSW notice)', '× auto (medians)', '× auto (median of rounds)'],
    rows: results.map((r) => [
      r.name === AUTO && facts.autoSetting ? `${r.name} (${facts.autoSetting})` : r.name,
      fmtMs(r.pipelineMs.median),
      `${fmtMs(r.pipelineMs.min)}–${fmtMs(r.pipelineMs.max)}`,
      `${facts.spilled[r.name]} of ${rounds}`,
      r === server ? fmtRatio(server.pipelineMs.median / auto.pipelineMs.median) : '',
      r === server ? fmtRatio(roundRatio) : ''
    ]),
    notes: ['pipeline duration-ms (start-up excluded); a copy of the same loaded table per build; CREATE INDEX CONCURRENTLY, as a migration on a live table would']
  }
}
