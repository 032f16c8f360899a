// Benchmark 5: how apply and the up-to-date run grow with the chain (N = 50 … 1000), against both
// floors measured in the same rounds, with the action's peak memory.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { actionMustSucceed, runActionTimed } from './action.mjs'
import { generateChains, TABLE_PREFIX } from './chain.mjs'
import { countTables, createDatabase, dropDatabase, mustSucceed, PSQL, summarize, timeProcess } from './common.mjs'
import { fmtMs, fmtRatio } from './report.mjs'

const psqlArgs = ['-X', '-q', '-v', 'ON_ERROR_STOP=1']
const TIME = '/usr/bin/time'

export const FLOOR_SESSION = 'psql, one session, BEGIN/COMMIT per migration'
export const FLOOR_ONE = 'psql -1 -f (all files concatenated)'
export const ACTION_APPLY = 'action apply (engine: sql)'
export const ACTION_APPLY_ALL = 'action apply (transaction: all)'
export const ACTION_UP_TO_DATE = 'action, up to date (nothing pending)'
export const ACTION_APPLY_NODE24 = 'action apply (engine: sql, Node 24)'

/**
 * Every round runs every contender once per N, interleaved; the action's up-to-date run follows its
 * own apply on the same database. Peak memory is the action process's maximum resident set size
 * (GNU time's %M).
 */
export async function benchScale({ admin, ns, peers, rounds, log }) {
  const dbmate = peers.find((p) => p.name === 'dbmate' && p.available)
  // action.yml runs the bundle under Node 24, whose WebAssembly tiering differs from Node 20's.
  const node24 = [process.env.BENCH_NODE24, process.env.TEST_NODE24].find((p) => p && existsSync(p))
  const results = []
  for (const n of ns) {
    const chains = generateChains(n, { alembic: false })
    const perMigration = join(chains.root, 'per-migration.sql')
    writeFileSync(perMigration, chains.floorFiles.map((f) => `BEGIN;\n${readFileSync(f, 'utf8')}COMMIT;\n`).join(''))
    const memDir = mkdtempSync(join(tmpdir(), 'pgma-bench-mem-'))
    const samples = new Map()
    const record = (name, ms, rssMb) => {
      const s = samples.get(name) ?? { ms: [], rssMb: [] }
      s.ms.push(ms)
      if (rssMb !== undefined) s.rssMb.push(rssMb)
      samples.set(name, s)
    }
    let db = 0
    const fresh = async () => {
      const name = `pgma_bench_scale_${n}_${db++}`
      return { name, url: await createDatabase(admin, name) }
    }
    const psql = async (label, args, { url, name }) => {
      const r = mustSucceed(label, await timeProcess(PSQL, [...psqlArgs, ...args, url]))
      await mustHaveTables(label, url, n)
      await dropDatabase(admin, name)
      return r.ms
    }
    const action = async (label, url, expectApplied, { node, inputs = {} } = {}) => {
      const memFile = join(memDir, 'rss')
      const r = actionMustSucceed(
        label,
        await runActionTimed(
          // The checks stay on, as the issue asks of the floor comparison: the default extensions: vector runs the smoke test.
          { 'database-url': url, 'migrations-path': chains.sqlDir, engine: 'sql', extensions: 'vector', ...inputs },
          { wrap: [TIME, '-f', '%M', '-o', memFile], ...(node ? { node } : {}) }
        )
      )
      if (r.outputs['applied-count'] !== String(expectApplied)) throw new Error(`${label}: applied ${r.outputs['applied-count']} of ${expectApplied}`)
      return { ms: r.ms, rssMb: Number(readFileSync(memFile, 'utf8').trim().split('\n').at(-1)) / 1024 }
    }
    const round = async (keep) => {
      const one = await psql(FLOOR_ONE, ['-1', '-f', chains.floorFile], await fresh())
      // Right after its floor, with every check on: the pgvector smoke test, lock, checksums, history rows.
      const allTarget = await fresh()
      const all = await action(ACTION_APPLY_ALL, allTarget.url, n, { inputs: { transaction: 'all' } })
      await mustHaveTables(ACTION_APPLY_ALL, allTarget.url, n)
      await dropDatabase(admin, allTarget.name)
      const session = await psql(FLOOR_SESSION, ['-f', perMigration], await fresh())
      const target = await fresh()
      const applied = await action(ACTION_APPLY, target.url, n)
      await mustHaveTables(ACTION_APPLY, target.url, n)
      const upToDate = await action(ACTION_UP_TO_DATE, target.url, 0)
      await dropDatabase(admin, target.name)
      let appliedNode24
      if (node24) {
        const { url, name } = await fresh()
        appliedNode24 = await action(ACTION_APPLY_NODE24, url, n, { node: node24 })
        await mustHaveTables(ACTION_APPLY_NODE24, url, n)
        await dropDatabase(admin, name)
      }
      let dbmateMs
      if (dbmate) {
        const { url, name } = await fresh()
        const cmd = dbmate.migrate(url, chains)
        dbmateMs = mustSucceed('dbmate', await timeProcess(cmd.command, cmd.args, { env: cmd.env, cwd: cmd.cwd })).ms
        await mustHaveTables('dbmate', url, n)
        await dropDatabase(admin, name)
      }
      if (!keep) return
      record(FLOOR_ONE, one)
      record(ACTION_APPLY_ALL, all.ms, all.rssMb)
      record(FLOOR_SESSION, session)
      record(ACTION_APPLY, applied.ms, applied.rssMb)
      record(ACTION_UP_TO_DATE, upToDate.ms, upToDate.rssMb)
      if (appliedNode24) record(ACTION_APPLY_NODE24, appliedNode24.ms, appliedNode24.rssMb)
      if (dbmateMs !== undefined) record('dbmate up', dbmateMs)
    }
    try {
      await round(false) // warm-up, unrecorded
      for (let r = 0; r < rounds; r++) {
        await round(true)
        log(`  N=${n}: round ${r + 1}/${rounds} done`)
      }
    } finally {
      rmSync(chains.root, { recursive: true, force: true })
      rmSync(memDir, { recursive: true, force: true })
    }
    results.push({
      n,
      rows: [...samples].map(([name, s]) => ({ name, ...summarize(s.ms), ...(s.rssMb.length ? { rssMb: summarize(s.rssMb) } : {}) }))
    })
  }
  return results
}

async function mustHaveTables(label, url, n) {
  const tables = await countTables(url, TABLE_PREFIX)
  if (tables !== n) throw new Error(`${label}: ${tables} of ${n} tables exist after the run`)
}

/** Exponent k of t ∝ N^k between the smallest and the largest N. */
export function growthExponent(results, name) {
  const first = results[0]
  const last = results.at(-1)
  const a = first?.rows.find((r) => r.name === name)
  const b = last?.rows.find((r) => r.name === name)
  if (!a || !b || first.n === last.n) return NaN
  return Math.log(b.median / a.median) / Math.log(last.n / first.n)
}

export function scaleTable(results) {
  const rows = []
  for (const { n, rows: measured } of results) {
    const session = measured.find((r) => r.name === FLOOR_SESSION)
    const one = measured.find((r) => r.name === FLOOR_ONE)
    const lower = Math.min(session.median, one.median)
    for (const r of measured) {
      rows.push([
        String(n),
        r.name,
        fmtMs(r.median),
        `${fmtMs(r.min)}–${fmtMs(r.max)}`,
        r.name === ACTION_UP_TO_DATE ? '' : fmtRatio(r.median / lower),
        r.name === ACTION_UP_TO_DATE ? '' : fmtRatio(r.median / session.median),
        r.rssMb ? `${Math.round(r.rssMb.max)}` : ''
      ])
    }
  }
  const exponent = (name) => growthExponent(results, name).toFixed(2)
  const span = results.length > 1 ? `N=${results[0].n}→N=${results.at(-1).n}` : ''
  return {
    title: `Apply and up-to-date runs by chain length (fresh database per apply; ${results[0]?.rows[0]?.n ?? 0} rounds each)`,
    headers: ['N', 'run', 'median ms', 'min–max ms', '× lower floor', '× per-migration floor', 'peak RSS MB'],
    rows,
    notes: [
      `${FLOOR_SESSION}: the per-migration floor (every migration in its own transaction, one connection, no history)`,
      `${ACTION_APPLY}: default inputs (extensions: vector, so CREATE EXTENSION IF NOT EXISTS and the smoke test run); includes start-up, checks, lock, lint and history rows`,
      `${ACTION_APPLY_ALL}: every migration and its history row in one transaction, same checks; compare with ${FLOOR_ONE}: ${results
        .map(({ n, rows: measured }) => {
          const all = measured.find((r) => r.name === ACTION_APPLY_ALL)
          const one = measured.find((r) => r.name === FLOOR_ONE)
          return `${fmtRatio(all.median / one.median)} at N=${n}`
        })
        .join(', ')}`,
      `${ACTION_UP_TO_DATE}: the same action run again on the database it just migrated`,
      `${ACTION_APPLY_NODE24}: the same apply under Node 24 (action.yml's runtime), when BENCH_NODE24 or TEST_NODE24 names its binary`,
      ...(span
        ? [
            `growth exponent ${span} (t ∝ N^k, medians): action apply ${exponent(ACTION_APPLY)}, per-migration floor ${exponent(FLOOR_SESSION)}, psql -1 -f ${exponent(FLOOR_ONE)}, up to date ${exponent(ACTION_UP_TO_DATE)}`
          ]
        : [])
    ]
  }
}
