// Benchmark 3: applying a chain of N small migrations to a fresh database.
import { actionMustSucceed, runActionTimed } from './action.mjs'
import { countTables, createDatabase, dropDatabase, mustSucceed, PSQL, quantile, summarize, timeProcess } from './common.mjs'
import { TABLE_PREFIX } from './chain.mjs'
import { alembicEnv } from './peers.mjs'

const psqlArgs = ['-X', '-q', '-v', 'ON_ERROR_STOP=1']

export async function benchMigrations({ admin, chains, n, peers, rounds, log }) {
  const contenders = [
    {
      name: 'psql -1 -f (all files concatenated)',
      kind: 'floor',
      note: 'the physical floor: one connection, one transaction, no history',
      run: (url) => timeProcess(PSQL, [...psqlArgs, '-1', '-f', chains.floorFile, url])
    },
    {
      name: 'psql -1 -f per file (shell loop)',
      kind: 'floor',
      note: `${n} psql processes, one transaction each, no history`,
      run: (url) =>
        timeProcess('bash', ['-c', `for f in "$@"; do "${PSQL}" ${psqlArgs.join(' ')} -1 -f "$f" "$DB" || exit 1; done`, 'loop', ...chains.floorFiles], { env: { DB: url } })
    },
    {
      name: 'action (engine: sql)',
      kind: 'action',
      note: "extensions: '' (pgvector pre-created, as for every tool)",
      run: (url) => runActionTimed({ 'database-url': url, 'migrations-path': chains.sqlDir, engine: 'sql', extensions: '' })
    }
  ]
  for (const peer of peers.filter((p) => p.available && p.migrate)) {
    contenders.push({
      name: peer.name,
      kind: 'peer',
      note: peer.note ?? '',
      run: (url) => {
        const cmd = peer.migrate(url, chains)
        return timeProcess(cmd.command, cmd.args, { env: cmd.env, cwd: cmd.cwd })
      }
    })
  }
  if (peers.some((p) => p.name === 'alembic' && p.available)) {
    contenders.push({
      name: 'action (engine: alembic)',
      kind: 'action',
      note: 'the action driving the same Alembic chain (graph validation, lock, report around `alembic upgrade head`)',
      run: (url) =>
        runActionTimed({ 'database-url': url, 'migrations-path': chains.alembicDir, engine: 'alembic', extensions: '', python: alembicEnv.python }, { env: alembicEnv.env })
    })
  }

  const samples = new Map(contenders.map((c) => [c.name, { ms: [], inProcessPerMigration: [] }]))
  let db = 0
  const runOnce = async (c, record) => {
    const name = `pgma_bench_mig_${db++}`
    const url = await createDatabase(admin, name)
    const result = await c.run(url)
    if (c.kind === 'action') {
      actionMustSucceed(c.name, result)
      if (result.outputs['applied-count'] !== String(n)) throw new Error(`${c.name}: applied ${result.outputs['applied-count']} of ${n}`)
    } else {
      mustSucceed(c.name, result)
    }
    const tables = await countTables(url, TABLE_PREFIX)
    if (tables !== n) throw new Error(`${c.name}: ${tables} of ${n} tables exist after the run`)
    await dropDatabase(admin, name)
    if (!record) return
    const s = samples.get(c.name)
    s.ms.push(result.ms)
    if (c.kind === 'action' && result.outputs.applied) {
      // The action's own per-revision durations (connect + BEGIN … COMMIT for the SQL engine).
      const runs = JSON.parse(result.outputs.applied)
      s.inProcessPerMigration.push(
        quantile(
          runs.map((x) => x.durationMs),
          0.5
        )
      )
    }
  }
  for (const c of contenders) await runOnce(c, false) // warm-up
  for (let r = 0; r < rounds; r++) {
    for (const c of contenders) await runOnce(c, true)
    log(`  round ${r + 1}/${rounds} done`)
  }
  return contenders.map((c) => {
    const s = samples.get(c.name)
    return {
      name: c.name,
      kind: c.kind,
      note: c.note,
      ...summarize(s.ms),
      ...(s.inProcessPerMigration.length ? { reportedPerMigration: summarize(s.inProcessPerMigration) } : {})
    }
  })
}
