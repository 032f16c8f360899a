// Benchmark 1: start-up overhead of a run with nothing to do, against a ready server.
import { existsSync } from 'node:fs'
import { actionMustSucceed, runActionTimed } from './action.mjs'
import { createDatabase, mustSucceed, PSQL, summarize, timeProcess } from './common.mjs'

/**
 * Every tool gets its own database with the whole chain already applied (untimed), then each timed
 * round runs every contender once, in the same order, so slow drift of the machine hits all alike.
 */
export async function benchStartup({ admin, chains, n, peers, rounds, baseline, log }) {
  const actionDb = await createDatabase(admin, 'pgma_bench_noop_action')
  const baseInputs = { 'database-url': actionDb, 'migrations-path': chains.sqlDir, engine: 'sql' }
  log(`  preparing: applying the ${n}-migration chain once with each tool (untimed)`)
  const first = actionMustSucceed('action (prepare)', await runActionTimed({ ...baseInputs, extensions: '' }))
  if (first.outputs['applied-count'] !== String(n)) throw new Error(`action (prepare) applied ${first.outputs['applied-count']} of ${n}`)

  /** @type {Array<{ name: string, kind: 'action'|'floor'|'peer', note: string, run: () => Promise<object> }>} */
  const contenders = [
    { name: 'node -e ""', kind: 'floor', note: "Node's own start-up and exit", run: () => timeProcess(process.execPath, ['-e', '']) },
    {
      name: "psql -c 'select 1'",
      kind: 'floor',
      note: 'connect (SCRAM), one query, exit',
      run: () => timeProcess(PSQL, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', actionDb, '-c', 'select 1'])
    },
    action('action migrate, extensions: ""', 'nothing pending; no extension step', { ...baseInputs, extensions: '' }, n),
    action('action migrate, extensions: vector', 'nothing pending; default inputs (CREATE EXTENSION + smoke test)', { ...baseInputs }, n),
    action('action check, extensions: ""', 'wait stage only', { ...baseInputs, mode: 'check', extensions: '' }),
    action('action check, extensions: vector', 'wait + extension + smoke test', { ...baseInputs, mode: 'check', extensions: 'vector' })
  ]
  // action.yml runs the bundle under Node 24; the bench itself may run under another Node.
  const node24 = process.env.BENCH_NODE24 || process.env.TEST_NODE24
  if (node24 && existsSync(node24)) {
    contenders.push(
      { name: 'node24 -e ""', kind: 'floor', note: "Node 24's own start-up and exit", run: () => timeProcess(node24, ['-e', '']) },
      action('action migrate, extensions: "" (Node 24)', 'nothing pending, under Node 24', { ...baseInputs, extensions: '' }, n, node24),
      action('action check, extensions: "" (Node 24)', 'wait stage only, under Node 24', { ...baseInputs, mode: 'check', extensions: '' }, undefined, node24)
    )
  }
  // Another build's bundle (--baseline), interleaved with this one round by round: before/after in one session.
  if (baseline) {
    for (const c of contenders.filter((c) => c.kind === 'action' && !c.name.includes('vector'))) {
      contenders.push({ ...c, name: `${c.name}, baseline`, note: `${c.note}; ${baseline}`, run: () => runActionTimed(c.inputs, { node: c.node, script: baseline }) })
    }
  }
  for (const peer of peers.filter((p) => p.available && p.migrate)) {
    const db = await createDatabase(admin, `pgma_bench_noop_${peer.name.replace(/\W/g, '_')}`)
    const cmd = peer.migrate(db, chains)
    mustSucceed(`${peer.name} (prepare)`, await timeProcess(cmd.command, cmd.args, { env: cmd.env, cwd: cmd.cwd }))
    contenders.push({ name: `${peer.name} up`, kind: 'peer', note: 'nothing pending', run: () => timeProcess(cmd.command, cmd.args, { env: cmd.env, cwd: cmd.cwd }) })
  }

  const samples = new Map(contenders.map((c) => [c.name, { ms: [], firstOutputMs: [], connectMs: [], pipelineMs: [] }]))
  // One warm-up round (page cache, the server's relation caches), not recorded.
  for (const c of contenders) check(c, await c.run())
  for (let r = 0; r < rounds; r++) {
    for (const c of contenders) {
      const result = check(c, await c.run())
      const s = samples.get(c.name)
      s.ms.push(result.ms)
      if (c.kind === 'action') {
        s.firstOutputMs.push(result.firstOutputMs)
        s.connectMs.push(result.connectMs)
        s.pipelineMs.push(result.pipelineMs)
      }
    }
    log(`  round ${r + 1}/${rounds} done`)
  }
  return contenders.map((c) => {
    const s = samples.get(c.name)
    return {
      name: c.name,
      kind: c.kind,
      note: c.note,
      ...summarize(s.ms),
      ...(c.kind === 'action' ? { firstOutput: summarize(s.firstOutputMs), connect: summarize(s.connectMs), pipeline: summarize(s.pipelineMs) } : {})
    }
  })
}

function action(name, note, inputs, expectPending, node) {
  return { name, kind: 'action', note, inputs, node, run: () => runActionTimed(inputs, { node }), expectPending }
}

function check(contender, result) {
  if (contender.kind === 'action') {
    actionMustSucceed(contender.name, result)
    if (contender.expectPending !== undefined && result.outputs['applied-count'] !== '0') {
      throw new Error(`${contender.name}: expected nothing pending, applied ${result.outputs['applied-count']}`)
    }
  } else {
    mustSucceed(contender.name, result)
  }
  return result
}
