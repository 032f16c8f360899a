// Interleaved before/after: baseline bundle (/tmp/perf-base) vs this checkout, with both floors and dbmate.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { spawn } from 'node:child_process'
import { generateChains, TABLE_PREFIX } from './lib/chain.mjs'
import { adminUrl, createDatabase, dropDatabase, countTables, PSQL, timeProcess, summarize } from './lib/common.mjs'
import { runAction } from '../scripts/run-action.mjs'
import { runAction as runBase } from '/tmp/perf-base/scripts/run-action.mjs'
import { detectPeers } from './lib/peers.mjs'
const admin = adminUrl()
const ns = process.argv[2].split(',').map(Number)
const rounds = Number(process.argv[3] ?? 3)
const dbmate = detectPeers().find((p) => p.name === 'dbmate' && p.available)
const mem = mkdtempSync(join(tmpdir(), 'cmp-mem-'))
let k = 0
async function action(root, url, dir, expect) {
  const f = join(mem, 'rss')
  const t0 = performance.now()
  const r = await (root === '/tmp/perf-base' ? runBase : runAction)({ inputs: { 'database-url': url, 'migrations-path': dir, engine: 'sql', extensions: '' }, wrap: ['/usr/bin/time', '-f', '%M', '-o', f], node: process.execPath, cwd: root, })
  const ms = performance.now() - t0
  if (r.exitCode !== 0 || r.outputs['applied-count'] !== String(expect)) throw new Error(root + ' failed ' + r.stdout.slice(-1500))
  return { ms, rss: Number(readFileSync(f, 'utf8').trim().split('\n').at(-1)) / 1024 }
}
const out = {}
for (const n of ns) {
  const chains = generateChains(n, { alembic: false })
  const per = join(chains.root, 'per.sql')
  writeFileSync(per, chains.floorFiles.map((f) => `BEGIN;\n${readFileSync(f, 'utf8')}COMMIT;\n`).join(''))
  const s = {}
  const rec = (name, v) => ((s[name] ??= []).push(v))
  for (let r = 0; r <= rounds; r++) {
    const keep = r > 0
    let db = `pgma_bench_cmp_${k++}`; let url = await createDatabase(admin, db)
    let t = await timeProcess(PSQL, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', per, url]); if (t.code) throw new Error(t.stderr); await dropDatabase(admin, db); keep && rec('floor: psql session, BEGIN/COMMIT per migration', t.ms)
    db = `pgma_bench_cmp_${k++}`; url = await createDatabase(admin, db)
    t = await timeProcess(PSQL, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-1', '-f', chains.floorFile, url]); if (t.code) throw new Error(t.stderr); await dropDatabase(admin, db); keep && rec('floor: psql -1 -f', t.ms)
    for (const [label, root] of [['before', '/tmp/perf-base'], ['after', process.cwd()]]) {
      db = `pgma_bench_cmp_${k++}`; url = await createDatabase(admin, db)
      const a = await action(root, url, chains.sqlDir, n)
      if ((await countTables(url, TABLE_PREFIX)) !== n) throw new Error('tables')
      const u = await action(root, url, chains.sqlDir, 0)
      await dropDatabase(admin, db)
      if (keep) { rec(`action ${label}: apply`, a.ms); rec(`action ${label}: apply peak RSS MB`, a.rss); rec(`action ${label}: up to date`, u.ms); rec(`action ${label}: up to date peak RSS MB`, u.rss) }
    }
    if (dbmate) {
      db = `pgma_bench_cmp_${k++}`; url = await createDatabase(admin, db)
      const c = dbmate.migrate(url, chains); t = await timeProcess(c.command, c.args); if (t.code) throw new Error(t.stderr); await dropDatabase(admin, db); keep && rec('dbmate up', t.ms)
    }
    process.stderr.write(`N=${n} round ${r}/${rounds}\n`)
  }
  out[n] = Object.fromEntries(Object.entries(s).map(([name, v]) => [name, summarize(v)]))
  const floor = out[n]['floor: psql session, BEGIN/COMMIT per migration'].median
  console.log(`\nN=${n}`)
  for (const [name, v] of Object.entries(out[n])) console.log(`${name.padEnd(50)} median ${v.median.toFixed(0).padStart(7)}  min ${v.min.toFixed(0).padStart(7)}  max ${v.max.toFixed(0).padStart(7)}  ${/RSS|up to date/.test(name) ? '' : '×floor ' + (v.median / floor).toFixed(2)}`)
}
writeFileSync('/tmp/perf-cmp.json', JSON.stringify(out, null, 1))
