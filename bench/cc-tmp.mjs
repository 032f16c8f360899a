import { runAction } from '../scripts/run-action.mjs'
import { rmSync } from 'node:fs'
const node = process.env.TEST_NODE24
rmSync('/tmp/perf-cc', { recursive: true, force: true })
const res = { none: [], cache: [], cold: [] }
for (let i = 0; i < 8; i++) {
  for (const [k, env] of [['none', {}], ['cache', { NODE_COMPILE_CACHE: '/tmp/perf-cc' }], ['cold', { NODE_COMPILE_CACHE: '/tmp/perf-cc-cold-' + i }]]) {
    const t = performance.now(); let first
    const r = await runAction({ node, inputs: { 'database-url': process.env.TEST_DATABASE_URL, mode: 'check', extensions: '' }, env, onStdout: () => (first ??= performance.now() - t) })
    if (r.exitCode) throw new Error(r.stdout)
    if (i > 0) res[k].push([performance.now() - t, first])
  }
}
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1].toFixed(0)
for (const k of Object.keys(res)) console.log(k, 'total', med(res[k].map((x) => x[0])), 'first output', med(res[k].map((x) => x[1])))
