// What watching migrations costs (src/watch/): the same apply with the watcher and with it turned
// off (PGMA_TEST_WATCH=off, a variable for tests and this bench only), interleaved round by round.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { actionMustSucceed, runActionTimed } from './action.mjs'
import { generateChains, pad, TABLE_PREFIX } from './chain.mjs'
import { countTables, createDatabase, dropDatabase, quantile, summarize } from './common.mjs'
import { fmtMs, fmtRatio } from './report.mjs'

export const WATCHED = 'watched (default)'
export const UNWATCHED = 'PGMA_TEST_WATCH=off'

/**
 * Two workloads: N small migrations (each over before the watcher's first look at 100 ms, so it costs
 * a timer per migration), and a few slow ones (pg_sleep) that the watcher samples every 200 ms while
 * they run. Each apply gets a fresh database; within a round the order alternates (ABBA over two
 * rounds), so drift and a warm cache favour neither. Reported: whole process and the pipeline's own
 * duration-ms output, medians, their ratio and the median of the per-round ratios.
 */
export async function benchWatchCost({ admin, n, slow, rounds, log }) {
  const workloads = [
    { name: `apply N=${n}`, ...chainDir(n), tables: n },
    { name: `apply ${slow.count} × pg_sleep(${slow.seconds})`, ...sleepyChain(slow.count, slow.seconds), tables: slow.count }
  ]
  const results = []
  let db = 0
  try {
    for (const workload of workloads) {
      const samples = { [WATCHED]: { ms: [], pipelineMs: [] }, [UNWATCHED]: { ms: [], pipelineMs: [] } }
      const once = async (label, record) => {
        const name = `pgma_bench_watch_${db++}`
        const url = await createDatabase(admin, name)
        // The chain lies in a temp directory: the workspace, as a checkout is on a runner.
        const env = { GITHUB_WORKSPACE: workload.root, ...(label === UNWATCHED ? { PGMA_TEST_WATCH: 'off' } : {}) }
        const r = actionMustSucceed(label, await runActionTimed({ 'database-url': url, 'migrations-path': workload.dir, engine: 'sql', extensions: 'vector' }, { env }))
        const tables = await countTables(url, TABLE_PREFIX)
        if (tables !== workload.tables) throw new Error(`${workload.name}, ${label}: ${tables} of ${workload.tables} tables exist after the run`)
        await dropDatabase(admin, name)
        if (!record) return
        samples[label].ms.push(r.ms)
        samples[label].pipelineMs.push(r.pipelineMs)
      }
      await once(WATCHED, false)
      await once(UNWATCHED, false)
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? [WATCHED, UNWATCHED] : [UNWATCHED, WATCHED]
        for (const label of order) await once(label, true)
        log(`  ${workload.name}: round ${round + 1}/${rounds} done`)
      }
      const ratios = (key) => samples[WATCHED][key].map((x, i) => x / samples[UNWATCHED][key][i])
      results.push({
        workload: workload.name,
        rows: [WATCHED, UNWATCHED].map((label) => ({ name: label, ms: summarize(samples[label].ms), pipelineMs: summarize(samples[label].pipelineMs) })),
        roundRatio: { ms: quantile(ratios('ms'), 0.5), pipelineMs: quantile(ratios('pipelineMs'), 0.5) }
      })
    }
  } finally {
    for (const w of workloads) rmSync(w.root, { recursive: true, force: true })
  }
  return results
}

function chainDir(n) {
  const chains = generateChains(n, { alembic: false })
  return { root: chains.root, dir: chains.sqlDir }
}

/** Migrations that each run for `seconds` (a pg_sleep), then create their table. */
function sleepyChain(count, seconds) {
  const root = mkdtempSync(join(tmpdir(), 'pgma-bench-sleepy-'))
  const dir = join(root, 'sql')
  mkdirSync(dir)
  for (let i = 1; i <= count; i++) writeFileSync(join(dir, `${pad(i)}_slow.sql`), `SELECT pg_sleep(${seconds});\nCREATE TABLE ${TABLE_PREFIX}${pad(i)} (id int);\n`)
  return { root, dir }
}

export function watchCostTable(results, rounds) {
  const rows = []
  for (const { workload, rows: measured, roundRatio } of results) {
    const on = measured.find((r) => r.name === WATCHED)
    const off = measured.find((r) => r.name === UNWATCHED)
    for (const r of measured) {
      const watched = r === on
      rows.push([
        workload,
        r.name,
        fmtMs(r.ms.median),
        `${fmtMs(r.ms.min)}–${fmtMs(r.ms.max)}`,
        fmtMs(r.pipelineMs.median),
        watched ? fmtRatio(on.ms.median / off.ms.median) : '',
        watched ? fmtRatio(roundRatio.ms) : '',
        watched ? fmtRatio(on.pipelineMs.median / off.pipelineMs.median) : '',
        watched ? fmtRatio(roundRatio.pipelineMs) : ''
      ])
    }
  }
  return {
    title: `Watching migrations: apply with and without the watcher (interleaved, fresh database per apply; ${rounds} rounds)`,
    headers: ['workload', 'run', 'median ms', 'min–max ms', 'pipeline median ms', '× off (medians)', '× off (median of rounds)', 'pipeline × off', 'pipeline × off (rounds)'],
    rows,
    notes: [
      `${WATCHED}: the bundle as released: lock waits sampled every 200 ms once a migration has run for 100 ms, progress read every 5 s`,
      `${UNWATCHED}: the same bundle with the watcher turned off (a variable for tests and this bench, not an input)`,
      'pipeline: the action’s duration-ms output (start-up excluded); target: ≤ 1.02× for apply N=200'
    ]
  }
}
