import { generateChains } from './lib/chain.mjs'
import { createDatabase, adminUrl, dropDatabase } from './lib/common.mjs'
import { runAction } from '../scripts/run-action.mjs'
import { readFileSync } from 'node:fs'
const n = Number(process.argv[2] ?? 200)
const chains = generateChains(n, { alembic: false })
for (const opts of ['', '--max-semi-space-size=1', '']) {
  const url = await createDatabase(adminUrl(), 'pgma_mem_apply')
  const t = performance.now()
  const r = await runAction({ inputs: { 'database-url': url, 'migrations-path': chains.sqlDir, engine: 'sql', extensions: '' }, env: { NODE_OPTIONS: opts }, wrap: ['/usr/bin/time', '-f', '%M', '-o', '/tmp/mem2'] })
  console.log(JSON.stringify(opts), r.exitCode, Math.round(performance.now() - t), 'ms', Math.round(Number(readFileSync('/tmp/mem2', 'utf8').trim().split('\n').at(-1)) / 1024), 'MB')
  await dropDatabase(adminUrl(), 'pgma_mem_apply')
}
