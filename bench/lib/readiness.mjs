// Benchmark 2: readiness detection latency — how long after the server can first answer a query does
// each waiter notice? Uses a throwaway cluster (like __tests__/support/scratch-server.ts) that is down
// when the waiters start and is started after a delay.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runActionTimed } from './action.mjs'
import { benchDir, PG_BIN, sleep, summarize, wallNow } from './common.mjs'

const isRoot = process.getuid?.() === 0
const PASSWORD = 'bench-Pa55word'

export function scratchAvailable() {
  if (!existsSync(join(PG_BIN, 'initdb'))) return `no initdb in ${PG_BIN}`
  if (isRoot && spawnSync('id', ['postgres']).status !== 0) return 'running as root and there is no postgres user to run initdb as'
  return undefined
}

class Scratch {
  static async create() {
    const dir = mkdtempSync(join(tmpdir(), 'pgma-bench-scratch-'))
    const port = await freePort()
    const pwfile = join(dir, 'pw')
    writeFileSync(pwfile, PASSWORD + '\n')
    if (isRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }))
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }))
      chownSync(dir, uid, gid)
      chownSync(pwfile, uid, gid)
    }
    chmodSync(dir, 0o700)
    asPostgres(join(PG_BIN, 'initdb'), [
      '-D',
      join(dir, 'data'),
      '-U',
      'postgres',
      `--pwfile=${pwfile}`,
      '--auth-host=scram-sha-256',
      '--auth-local=trust',
      '--no-sync',
      '-E',
      'UTF8'
    ])
    const s = new Scratch()
    s.dir = dir
    s.port = port
    s.url = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`
    return s
  }

  /** Starts without waiting (pg_ctl -W), asynchronously so the bench's event loop keeps timestamping. */
  startAsync(logFile) {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c log_line_prefix='%m ' -c log_timezone=UTC`
    const [cmd, argv] = wrap(join(PG_BIN, 'pg_ctl'), ['-D', join(this.dir, 'data'), '-l', logFile, '-o', options, '-W', 'start'])
    return new Promise((resolve) => spawn(cmd, argv, { stdio: 'ignore' }).on('close', resolve))
  }

  stop() {
    asPostgres(join(PG_BIN, 'pg_ctl'), ['-D', join(this.dir, 'data'), '-m', 'fast', '-w', 'stop'], true)
  }

  destroy() {
    asPostgres(join(PG_BIN, 'pg_ctl'), ['-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop'], true)
    rmSync(this.dir, { recursive: true, force: true })
  }
}

/** `ready to accept connections` in the server log (log_line_prefix '%m ', UTC), as wall-clock ms. */
function logReadyAt(logFile) {
  const text = existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3}) UTC LOG:\s+database system is ready to accept connections/m.exec(text)
  return m ? Date.parse(`${m[1]}T${m[2]}Z`) : undefined
}

/** Spawns a waiter and resolves with its exit time and output. */
function waiter(command, args, env = {}) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise((resolve) => child.on('close', (code) => resolve({ exitAt: wallNow(), code, stdout, stderr })))
}

/**
 * @param {{ delays: Array<{ label: string, ms: number, runs: number }>, peers: object[], log: Function }} options
 */
export async function benchReadiness({ delays, peers, log }) {
  const unavailable = scratchAvailable()
  if (unavailable) return { skipped: unavailable }
  const server = await Scratch.create()
  const dbmate = peers.find((p) => p.name === 'dbmate' && p.available && p.wait)
  const pgIsReady = join(PG_BIN, 'pg_isready')
  const results = []
  try {
    for (const delay of delays) {
      const runs = []
      for (let i = 0; i < delay.runs; i++) {
        server.stop()
        const logFile = join(server.dir, `log-${delay.label}-${i}`)
        const timeoutS = Math.ceil(delay.ms / 1000) + 60
        const spawnedAt = wallNow()
        const probe = waiter(process.execPath, [join(benchDir, 'lib', 'probe.mjs'), server.url, String(timeoutS * 1000)])
        const action = runActionTimed({ 'database-url': server.url, mode: 'check', extensions: '', 'wait-timeout': String(timeoutS) })
        const peerWaits = []
        if (dbmate) {
          const cmd = dbmate.wait(server.url)
          const args = cmd.args.map((a) => (a === '60s' ? `${timeoutS}s` : a))
          peerWaits.push({ name: 'dbmate wait (1 s poll)', done: waiter(cmd.command, args, cmd.env) })
        }
        if (existsSync(pgIsReady)) {
          peerWaits.push({
            name: 'until pg_isready; do sleep 1; done',
            done: waiter('bash', ['-c', `until "${pgIsReady}" -q -h 127.0.0.1 -p ${server.port}; do sleep 1; done`])
          })
        }
        // Stratified phase jitter over one second: with a whole-second delay, waiters that poll once a second
        // would otherwise be phase-locked to the server start and always look equally lucky or unlucky.
        await sleep(delay.ms + Math.round(((i + 0.5) / delay.runs) * 1000))
        const serverStartAt = wallNow()
        await server.startAsync(logFile)
        const [p, a, ...w] = await Promise.all([probe, action, ...peerWaits.map((x) => x.done)])
        const logAt = logReadyAt(logFile)
        if (p.code !== 0) throw new Error(`readiness probe failed: ${p.stdout}${p.stderr}`)
        const probeResult = JSON.parse(p.stdout)
        if (a.exitCode !== 0 || a.readyAt === undefined) throw new Error(`action did not get ready:\n${a.stdout.slice(-1500)}`)
        const attempts = Number(/ready after (\d+) attempt/.exec(a.stdout)?.[1])
        const run = {
          serverStartAfterMs: serverStartAt - spawnedAt,
          tcpAcceptAt: probeResult.tcpAt,
          probeReadyAt: probeResult.queryAt,
          logReadyAt: logAt,
          serverStartToReadyMs: probeResult.queryAt - serverStartAt,
          action: { latencyMs: a.readyAt - probeResult.queryAt, vsLogMs: logAt ? a.readyAt - logAt : null, exitLatencyMs: a.startedAt + a.ms - probeResult.queryAt, attempts },
          peers: Object.fromEntries(
            peerWaits.map((pw, k) => [
              pw.name,
              w[k].code === 0
                ? { latencyMs: w[k].exitAt - probeResult.queryAt, vsLogMs: logAt ? w[k].exitAt - logAt : null }
                : { failed: `${w[k].stdout}${w[k].stderr}`.trim().slice(-300) }
            ])
          )
        }
        runs.push(run)
        log(
          `  ${delay.label} run ${i + 1}/${delay.runs}: action +${run.action.latencyMs.toFixed(1)} ms after the probe's first query (${attempts} attempts)` +
            Object.entries(run.peers)
              .map(([name, r]) => `, ${name.split(' ')[0]} ${r.latencyMs === undefined ? 'failed' : '+' + r.latencyMs.toFixed(0) + ' ms'}`)
              .join('')
        )
      }
      const rows = [
        {
          name: 'pg-migrate-action (retry-delay 100 ms)',
          kind: 'action',
          ...summarize(runs.map((r) => r.action.latencyMs)),
          vsLog: summarize(runs.filter((r) => r.action.vsLogMs != null).map((r) => r.action.vsLogMs))
        }
      ]
      for (const name of Object.keys(runs[0].peers)) {
        const ok = runs.filter((r) => r.peers[name].latencyMs !== undefined)
        rows.push({
          name,
          kind: 'peer',
          ...summarize(ok.map((r) => r.peers[name].latencyMs)),
          vsLog: summarize(ok.filter((r) => r.peers[name].vsLogMs != null).map((r) => r.peers[name].vsLogMs)),
          failures: runs.length - ok.length
        })
      }
      results.push({
        label: delay.label,
        delayMs: delay.ms,
        rows,
        serverStartToReady: summarize(runs.map((r) => r.serverStartToReadyMs)),
        logToProbe: summarize(runs.filter((r) => r.logReadyAt).map((r) => r.probeReadyAt - r.logReadyAt)),
        tcpToProbe: summarize(runs.filter((r) => r.tcpAcceptAt).map((r) => r.probeReadyAt - r.tcpAcceptAt)),
        runs
      })
    }
  } finally {
    server.destroy()
  }
  return { delays: results }
}

function wrap(command, args) {
  return isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]
}

function asPostgres(command, args, allowFailure = false) {
  const [cmd, argv] = wrap(command, args)
  try {
    return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (error) {
    if (allowFailure) return ''
    throw error
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}
