import { generateChains } from './lib/chain.mjs'
import { createDatabase, adminUrl, dropDatabase } from './lib/common.mjs'
import { runAction } from '../scripts/run-action.mjs'
const n = Number(process.argv[2] ?? 1000)
const chains = generateChains(n, { alembic: false })
const url = await createDatabase(adminUrl(), 'pgma_prof_apply')
const r = await runAction({ inputs: { 'database-url': url, 'migrations-path': chains.sqlDir, engine: 'sql', extensions: '' }, wrap: [process.execPath, '--cpu-prof', '--cpu-prof-dir=/tmp/perf-prof-apply', '--cpu-prof-interval', '500'], node: '--' })
console.log(r.exitCode, r.durationMs, r.outputs['duration-ms'], r.summary.split('\n').filter(l => /^\| (wait|load chain|lock|validate|lint|apply) /.test(l)).join('\n'))
await dropDatabase(adminUrl(), 'pgma_prof_apply')
