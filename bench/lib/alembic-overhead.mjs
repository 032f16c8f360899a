// Benchmark 6: what the action adds over a plain `alembic upgrade head` on the same real chain, on a
// green chain and on one that fails at the database half-way, under every Alembic stack available.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runActionTimed } from './action.mjs'
import { pad, writeAlembicProject } from './chain.mjs'
import { countTables, createDatabase, dropDatabase, quantile, summarize, timeProcess } from './common.mjs'
import { alembicEnv } from './peers.mjs'
import { fmtMs } from './report.mjs'

const TABLE_PREFIX = 'ovh_item_'

/**
 * An Alembic project shaped like `alembic init`'s generic template (offline and online branches, URL
 * from DATABASE_URL) with `n` revisions of op.create_table + op.create_index. With `failAt`, that
 * revision indexes a column that does not exist: it fails at the server, after the revisions before it ran.
 */
export function writeOverheadProject(dir, n, failAt) {
  mkdirSync(join(dir, 'versions'), { recursive: true })
  for (let i = 1; i <= n; i++) {
    const table = `${TABLE_PREFIX}${pad(i)}`
    const column = i === failAt ? 'no_such_column' : 'title'
    writeFileSync(
      join(dir, 'versions', `${pad(i)}_create_item.py`),
      `"""create item ${pad(i)}"""\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = "a${pad(i)}"\ndown_revision = ${i === 1 ? 'None' : `"a${pad(i - 1)}"`}\n` +
        `branch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n` +
        `    op.create_table("${table}", sa.Column("id", sa.BigInteger, primary_key=True), sa.Column("title", sa.Text, nullable=False))\n` +
        `    op.create_index("${table}_idx", "${table}", ["${column}"])\n\n\ndef downgrade():\n    op.drop_table("${table}")\n`
    )
  }
  writeAlembicProject(dir)
}

/**
 * Every contender on every (stack, chain) once per round, interleaved after an unrecorded warm-up
 * round, each on a fresh database. `baseline` is another build's dist/index.js, run as a contender of
 * its own (before/after comparisons in one run). Every run is checked: a green run applied all `n`
 * revisions, a failing run failed at `failAt` and left nothing behind (Alembic's one transaction).
 */
export async function benchAlembicOverhead({ admin, peers, n = 40, failAt = 20, rounds, baseline, log }) {
  const alembic = peers.find((p) => p.name === 'alembic' && p.available)
  if (!alembic) return { skipped: 'Alembic is not importable by the bench Python' }
  const root = mkdtempSync(join(tmpdir(), 'pgma-bench-alembic-'))
  const chains = [
    { label: 'green', dir: join(root, 'green'), failAt: undefined },
    { label: `failing at ${failAt}/${n}`, dir: join(root, 'failing'), failAt }
  ]
  for (const c of chains) writeOverheadProject(c.dir, n, c.failAt)
  const stacks = [{ label: 'system Alembic', pythonPath: '' }]
  if (alembicEnv.pythonPath) stacks.push({ label: 'BENCH_ALEMBIC_PYTHONPATH Alembic', pythonPath: alembicEnv.pythonPath })
  for (const s of stacks) {
    const v = await timeProcess(alembicEnv.python, ['-c', 'import alembic, sqlalchemy; print(alembic.__version__, sqlalchemy.__version__)'], { env: { PYTHONPATH: s.pythonPath } })
    const [a, sa] = v.stdout.trim().split(' ')
    s.label = `Alembic ${a} / SQLAlchemy ${sa}`
  }
  const contenders = [
    { name: 'alembic upgrade head', kind: 'plain' },
    { name: 'action (engine: alembic)', kind: 'action' },
    ...(baseline ? [{ name: 'action, baseline bundle', kind: 'action', script: baseline }] : [])
  ]
  const samples = new Map()
  const key = (s, c, k) => `${s.label}|${c.label}|${k.name}`
  let db = 0
  const runOnce = async (stack, chain, contender, record) => {
    const name = `pgma_bench_ovh_${db++}`
    const url = await createDatabase(admin, name)
    const env = { PYTHONPATH: stack.pythonPath, PYTHONDONTWRITEBYTECODE: '1' }
    const label = `${contender.name} (${stack.label}, ${chain.label})`
    let ms
    if (contender.kind === 'plain') {
      const r = await timeProcess(alembicEnv.python, ['-m', 'alembic', 'upgrade', 'head'], { cwd: chain.dir, env: { ...env, DATABASE_URL: url } })
      if ((r.code === 0) !== (chain.failAt === undefined)) throw new Error(`${label} exited with ${r.code}:\n${r.stderr.split('\n').slice(-8).join('\n')}`)
      ms = r.ms
    } else {
      const r = await runActionTimed(
        { 'database-url': url, 'migrations-path': chain.dir, engine: 'alembic', extensions: '', python: alembicEnv.python },
        { env, ...(contender.script ? { script: contender.script } : {}) }
      )
      if ((r.exitCode === 0) !== (chain.failAt === undefined)) throw new Error(`${label} exited with ${r.exitCode}:\n${r.stdout.slice(-2000)}`)
      if (chain.failAt !== undefined && !r.stdout.includes(`Migration a${pad(chain.failAt)} failed`)) {
        throw new Error(`${label}: did not report a${pad(chain.failAt)} as the failed migration:\n${r.stdout.slice(-2000)}`)
      }
      ms = r.ms
    }
    const tables = await countTables(url, TABLE_PREFIX)
    const expected = chain.failAt === undefined ? n : 0
    if (tables !== expected) throw new Error(`${label}: ${tables} tables after the run, expected ${expected}`)
    await dropDatabase(admin, name)
    if (!record) return
    const k = key(stack, chain, contender)
    samples.set(k, [...(samples.get(k) ?? []), ms])
  }
  const everything = async (record) => {
    for (const s of stacks) for (const c of chains) for (const k of contenders) await runOnce(s, c, k, record)
  }
  try {
    await everything(false)
    for (let r = 0; r < rounds; r++) {
      await everything(true)
      log(`  round ${r + 1}/${rounds} done`)
    }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
  return {
    n,
    failAt,
    rounds,
    rows: stacks.flatMap((s) =>
      chains.flatMap((c) => contenders.map((k) => ({ stack: s.label, chain: c.label, name: k.name, kind: k.kind, ...summarize(samples.get(key(s, c, k))) })))
    )
  }
}

export function alembicOverheadTable(result) {
  if (result.skipped) return { title: 'Alembic overhead', headers: ['skipped'], rows: [[result.skipped]] }
  const signed = (x) => `${x >= 0 ? '+' : ''}${fmtMs(x)}`
  const rows = result.rows.map((r) => {
    const plain = result.rows.find((p) => p.stack === r.stack && p.chain === r.chain && p.kind === 'plain')
    // Round by round, the two runs were seconds apart: their difference drifts less than either.
    const paired =
      r === plain
        ? undefined
        : quantile(
            r.samples.map((ms, i) => ms - plain.samples[i]),
            0.5
          )
    return [r.stack, r.chain, r.name, fmtMs(r.median), `${fmtMs(r.min)}–${fmtMs(r.max)}`, r === plain ? '' : signed(r.median - plain.median), r === plain ? '' : signed(paired)]
  })
  return {
    title: `Alembic: the action over plain \`alembic upgrade head\`, ${result.n} revisions, fresh database per run (${result.rounds} rounds)`,
    headers: ['stack', 'chain', 'run', 'median ms', 'min–max ms', 'Δ vs plain: of medians ms', 'median of per-round Δ ms'],
    rows,
    notes: [
      `the failing chain's revision ${result.failAt} indexes a column that does not exist: the server rejects it after ${result.failAt - 1} revisions ran, and Alembic's one transaction rolls them back`,
      "action: engine: alembic, extensions: '' (pgvector pre-created), same interpreter, PYTHONPATH and PYTHONDONTWRITEBYTECODE=1 as the plain run"
    ]
  }
}
