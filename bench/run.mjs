#!/usr/bin/env node
// pg-migrate-action benchmarks: start-up overhead, readiness detection latency, per-migration overhead,
// each against the physical floor and against peer tools measured in the same run on the same server.
// Not part of the test suite: tests check behaviour, this measures it. See bench/README.md.
//
//   npm run bench                 # ~4-5 min on 2 cores
//   npm run bench -- --quick      # ~1 min, fewer rounds and a shorter long wait
//   npm run bench -- --only startup,readiness,migrations --no-write
//   npm run bench -- --only graph --no-write   # graph analysis at 1,000-100,000 revisions, no database
//   npm run bench -- --only alembic --no-write # the action over plain `alembic upgrade head`, green and failing
//   npm run bench -- --only alembic --baseline /tmp/old-dist/index.js   # and another build, interleaved
//   npm run bench -- --only startup --baseline /tmp/old-dist/index.js   # the same for start-up
//   npm run bench -- --only watch --no-write   # apply N=200 with and without the migration watcher, interleaved
//   npm run bench -- --only hnsw --no-write    # an HNSW build, server's maintenance_work_mem vs maintenance-work-mem: auto
//   npm run bench -- --only hnsw --hnsw-rows 100000 --hnsw-dims 128   # a smaller table (default 200,000 × 128)
//   npm run bench -- --only fleet --no-write   # 100 databases × 20 migrations: one step at max-parallel 1, 4, 8 vs a shell loop
//
// The admin URL comes from BENCH_DATABASE_URL or TEST_DATABASE_URL (a superuser: the bench creates and
// drops its own pgma_bench_* databases). Peers are installed by bench/setup-peers.sh into bench/.peers/.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { alembicOverheadTable, benchAlembicOverhead } from './lib/alembic-overhead.mjs'
import { generateChains } from './lib/chain.mjs'
import { adminUrl, benchDir, dropBenchDatabases, machineFacts, repoRoot } from './lib/common.mjs'
import { benchMigrations } from './lib/migrations.mjs'
import { detectPeers } from './lib/peers.mjs'
import { benchGraph, graphTable } from './lib/graph.mjs'
import { benchReadiness } from './lib/readiness.mjs'
import { consoleTable, markdownTable, migrationsTable, readinessTables, startupTable } from './lib/report.mjs'
import { benchScale, scaleTable } from './lib/scale.mjs'
import { benchStartup } from './lib/startup.mjs'
import { benchWatchCost, watchCostTable } from './lib/watch-cost.mjs'
import { benchHnswBuild, hnswBuildTable } from './lib/hnsw-build.mjs'
import { benchFleet, fleetTable } from './lib/fleet.mjs'

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const write = !args.includes('--no-write')
const onlyArg = args.find((a) => a.startsWith('--only'))
const baselineArg = args.indexOf('--baseline')
const baseline = baselineArg >= 0 ? resolve(args[baselineArg + 1]) : undefined
const numberArg = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback)
// Not in the default set: loading the table and building its index twice per round takes minutes.
const only = new Set((onlyArg?.includes('=') ? onlyArg.split('=')[1] : onlyArg ? args[args.indexOf(onlyArg) + 1] : 'startup,readiness,migrations,scale,alembic,watch').split(','))

const config = quick
  ? {
      quick,
      n: 50,
      startupRounds: 4,
      migrationRounds: 2,
      scaleNs: [50, 200, 1000],
      scaleRounds: 2,
      alembicRounds: 3,
      watchRounds: 4,
      hnsw: { rows: numberArg('--hnsw-rows', 200_000), dims: numberArg('--hnsw-dims', 128), rounds: 1 },
      readiness: [
        { label: 'short', ms: 2000, runs: 3 },
        { label: 'long', ms: 6000, runs: 2 }
      ]
    }
  : {
      quick,
      n: 50,
      startupRounds: 9,
      migrationRounds: 7,
      scaleNs: [50, 200, 1000],
      scaleRounds: 5,
      alembicRounds: 7,
      watchRounds: 10,
      hnsw: { rows: numberArg('--hnsw-rows', 200_000), dims: numberArg('--hnsw-dims', 128), rounds: 3 },
      readiness: [
        { label: 'short', ms: 2000, runs: 7 },
        { label: 'long', ms: 15000, runs: 7 }
      ]
    }

const log = (m) => process.stderr.write(m + '\n')

async function main() {
  if (!existsSync(join(repoRoot, 'dist', 'index.js'))) {
    throw new Error('dist/index.js is missing: run `npm run build` first (the bench measures the bundle the runner runs).')
  }
  const admin = adminUrl()
  const began = Date.now()
  const machine = await machineFacts(admin)
  const peers = detectPeers()
  log(
    `pg-migrate-action bench${quick ? ' (--quick)' : ''}: ${machine.cores} cores, Node ${machine.node}, PostgreSQL ${machine.postgres}, pgvector ${machine.pgvector}, commit ${machine.commit}`
  )
  for (const p of peers) log(p.available ? `  peer ${p.name} ${p.version}` : `  peer ${p.name} UNAVAILABLE: ${p.reason}`)
  const peerNames = peers.filter((p) => p.available).map((p) => p.name)

  const chains = generateChains(config.n)
  const results = { machine, config, peers: peers.map(({ name, available, version, reason, note }) => ({ name, available, version, reason, note })) }
  const tables = []
  try {
    await dropBenchDatabases(admin)
    if (only.has('startup')) {
      log(`\n[1/4] start-up overhead: ${config.startupRounds} rounds${baseline ? `, baseline ${baseline}` : ''}`)
      results.startup = await benchStartup({ admin, chains, n: config.n, peers, rounds: config.startupRounds, baseline, log })
      tables.push(startupTable(results.startup, peerNames))
    }
    if (only.has('readiness')) {
      log(`\n[2/4] readiness detection latency: ${config.readiness.map((d) => `${d.runs} × ${d.ms / 1000} s`).join(', ')}`)
      results.readiness = await benchReadiness({ delays: config.readiness, peers, log })
      if (results.readiness.skipped) tables.push({ title: 'Readiness detection latency', headers: ['skipped'], rows: [[results.readiness.skipped]] })
      else tables.push(...readinessTables(results.readiness))
    }
    if (only.has('graph')) {
      log(`\ngraph analysis: 1,000 to 100,000 revisions`)
      results.graph = await benchGraph({ rounds: quick ? 3 : 5, log })
      tables.push(graphTable(results.graph))
    }
    if (only.has('migrations')) {
      log(`\n[3/4] per-migration overhead: ${config.n} migrations, ${config.migrationRounds} rounds, a fresh database per run`)
      results.migrations = await benchMigrations({ admin, chains, n: config.n, peers, rounds: config.migrationRounds, log })
      tables.push(migrationsTable(results.migrations, config.n, results.startup, peerNames))
    }
    if (only.has('scale')) {
      log(`\n[4/4] apply and up-to-date runs at N = ${config.scaleNs.join(', ')}: ${config.scaleRounds} rounds each`)
      results.scale = await benchScale({ admin, ns: config.scaleNs, peers, rounds: config.scaleRounds, log })
      tables.push(scaleTable(results.scale))
    }
    if (only.has('alembic')) {
      log(`\nAlembic overhead: the action vs plain \`alembic upgrade head\`, green and failing chains, ${config.alembicRounds} rounds${baseline ? `, baseline ${baseline}` : ''}`)
      results.alembic = await benchAlembicOverhead({ admin, peers, rounds: config.alembicRounds, baseline, log })
      tables.push(alembicOverheadTable(results.alembic))
    }
    if (only.has('watch')) {
      const slow = { count: 10, seconds: 0.5 }
      log(`\nwatching migrations: apply N=200 and ${slow.count} × pg_sleep(${slow.seconds}), with and without the watcher, ${config.watchRounds} rounds`)
      results.watch = await benchWatchCost({ admin, n: 200, slow, rounds: config.watchRounds, log })
      tables.push(watchCostTable(results.watch, config.watchRounds))
    }
    if (only.has('fleet')) {
      const targets = numberArg('--fleet-databases', 100)
      log(`\nmany databases: ${targets} databases × 20 migrations, one step at max-parallel 1, 4, 8 vs a shell loop`)
      results.fleet = await benchFleet({ admin, targets, migrations: 20, parallels: [1, 4, 8], log })
      tables.push(fleetTable(results.fleet, targets, 20))
    }
    if (only.has('hnsw')) {
      const { rows, dims, rounds } = config.hnsw
      log(`\nHNSW build of ${rows} × vector(${dims}): the server's maintenance_work_mem vs maintenance-work-mem: auto, ${rounds} rounds`)
      results.hnsw = await benchHnswBuild({ admin, rows, dims, rounds, log })
      tables.push(hnswBuildTable(results.hnsw))
    }
  } finally {
    await dropBenchDatabases(admin).catch(() => undefined)
    rmSync(chains.root, { recursive: true, force: true })
  }
  results.totalSeconds = Math.round((Date.now() - began) / 1000)
  machine.loadAverageAtEnd = loadavg().map((x) => Math.round(x * 100) / 100)

  const unavailable = peers.filter((p) => !p.available)
  const header = [
    `Machine: ${machine.cores} cores (${machine.cpu}), ${machine.os}, Node ${machine.node}, PostgreSQL ${machine.postgres} (fsync ${machine.serverSettings.fsync}), pgvector ${machine.pgvector}`,
    `Load average (1, 5, 15 min) at start ${machine.loadAverageAtStart.join(', ')}, at end ${machine.loadAverageAtEnd.join(', ')} on ${machine.cores} cores`,
    `Action: commit ${machine.commit}, dist/index.js ${machine.dist?.sha256} (${machine.dist?.bytes} bytes)`,
    `Peers: ${
      peers
        .filter((p) => p.available)
        .map((p) => `${p.name} ${p.version}`)
        .join(', ') || 'none'
    }${unavailable.length ? `; unavailable: ${unavailable.map((p) => `${p.name} (${p.reason})`).join(', ')}` : ''}`,
    `Medians and p90 (linear interpolation) over ${config.startupRounds} start-up rounds, ${config.migrationRounds} migration rounds; total ${results.totalSeconds} s${quick ? ' (--quick)' : ''}`
  ]
  console.log(header.join('\n'))
  for (const t of tables) console.log(consoleTable(t))

  if (write) {
    const dir = join(benchDir, 'results')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'latest.json'), JSON.stringify(results, null, 2) + '\n')
    writeFileSync(join(dir, 'latest.md'), [`# pg-migrate-action benchmark results`, '', ...header.map((h) => `- ${h}`), '', ...tables.map(markdownTable)].join('\n'))
    log(`\nwrote bench/results/latest.json and bench/results/latest.md`)
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error)
  process.exitCode = 1
})
