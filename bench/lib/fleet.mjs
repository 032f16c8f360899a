// Many databases in one step (src/fleet): one step over N databases at max-parallel 1, 4 and 8,
// against the shell loop a team writes today (one run of the action per database, one after another).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { actionMustSucceed, runActionTimed } from './action.mjs'
import { generateChains, TABLE_PREFIX } from './chain.mjs'
import { countTables, createDatabase, dropDatabase } from './common.mjs'
import { fmtMs, fmtRatio } from './report.mjs'

const LOOP = 'shell loop (one run per database)'

/**
 * Each variant gets N fresh databases (pgvector created in each, as the other benches do) and
 * applies the same `migrations`-migration chain to all of them; every database is checked to hold
 * every table afterwards. Wall time of the whole step and peak RSS (`/usr/bin/time -f %M`: of the
 * one process for a fleet, the largest single run for the loop).
 */
export async function benchFleet({ admin, targets, migrations, parallels, log }) {
  const chains = generateChains(migrations, { alembic: false })
  const results = []
  let round = 0
  try {
    for (const variant of [LOOP, ...parallels.map((p) => `one step, max-parallel ${p}`)]) {
      const names = Array.from({ length: targets }, (_, i) => `pgma_bench_fleet_${round}_${i}`)
      round++
      const urls = []
      for (const name of names) urls.push(await createDatabase(admin, name))
      const env = { GITHUB_WORKSPACE: chains.root }
      const timeDir = mkdtempSync(join(tmpdir(), 'pgma-bench-fleet-'))
      const timeFile = join(timeDir, 'rss')
      const wrap = ['/usr/bin/time', '-f', '%M', '-o', timeFile]
      const started = performance.now()
      let peakKb = 0
      if (variant === LOOP) {
        for (const url of urls) {
          actionMustSucceed(variant, await runActionTimed({ 'database-url': url, 'migrations-path': chains.sqlDir, engine: 'sql' }, { env, wrap }))
          peakKb = Math.max(peakKb, Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()))
        }
      } else {
        const parallel = variant.split(' ').pop()
        const inputs = { 'database-url': urls[0], databases: urls.join('\n'), 'max-parallel': parallel, canary: '1', 'migrations-path': chains.sqlDir, engine: 'sql' }
        actionMustSucceed(variant, await runActionTimed(inputs, { env, wrap }))
        peakKb = Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop())
      }
      const ms = performance.now() - started
      rmSync(timeDir, { recursive: true, force: true })
      for (const url of urls) {
        const tables = await countTables(url, TABLE_PREFIX)
        if (tables !== migrations) throw new Error(`${variant}: ${tables} of ${migrations} tables in ${url.replace(/:[^:@/]*@/, ':***@')}`)
      }
      for (const name of names) await dropDatabase(admin, name)
      results.push({ variant, ms, peakKb })
      log(`  ${variant}: ${fmtMs(ms)}, peak RSS ${(peakKb / 1024).toFixed(0)} MB`)
    }
  } finally {
    rmSync(chains.root, { recursive: true, force: true })
  }
  return results
}

export function fleetTable(results, targets, migrations) {
  const loop = results.find((r) => r.variant === LOOP)
  return {
    title: `Many databases: ${targets} databases × a ${migrations}-migration chain, one step vs a shell loop (one round, fresh databases per variant)`,
    headers: ['variant', 'wall ms', '× shell loop', 'peak RSS MB'],
    rows: results.map((r) => [r.variant, fmtMs(r.ms), fmtRatio(r.ms / loop.ms), (r.peakKb / 1024).toFixed(0)]),
    notes: [
      'shell loop: the action run once per database, one after another (what teams write today); peak RSS is the largest single run',
      'one step: databases = the N URLs, canary 1 (the first alone), then at most max-parallel at once; peak RSS of the one process'
    ]
  }
}
