#!/usr/bin/env node
// Risk lint benchmark: lints one 50,000-statement migration file with pg-migrate-action's lint and
// with squawk (bench/.peers, `bash bench/setup-peers.sh`) in the same run, interleaved round by
// round, and prints medians and ratios. Not part of the test suite. No database needed.
//
//   node bench/lint.mjs [--statements 50000] [--rounds 5] [--no-write]
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { benchDir, mustSucceed, repoRoot, summarize, timeProcess } from './lib/common.mjs'
import { consoleTable, fmtMs, fmtRatio, markdownTable } from './lib/report.mjs'

const args = process.argv.slice(2)
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback)
const statements = option('--statements', 50_000)
const rounds = option('--rounds', 5)
const write = !args.includes('--no-write')
const log = (m) => process.stderr.write(m + '\n')

/** A realistic mix: new tables, columns, indexes (plain, concurrent, vector), backfills, a few risky statements. */
export function generateMigration(n) {
  const templates = [
    (i) => `CREATE TABLE t${i} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text NOT NULL, embedding vector(384), created_at timestamptz NOT NULL DEFAULT now());`,
    (i) => `ALTER TABLE documents_${i % 500} ADD COLUMN note_${i} text;`,
    (i) => `CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_${i} ON documents_${i % 500} (created_at);`,
    (i) => `CREATE INDEX idx_${i}_title ON t${i - 3} (title);`,
    (i) => `UPDATE documents_${i % 500} SET note_${i - 3} = 'x' WHERE id BETWEEN ${i} AND ${i + 1000};`,
    (i) => `INSERT INTO settings (key, value) VALUES ('k${i}', $$a;b$$) ON CONFLICT (key) DO NOTHING;`,
    (i) => `CREATE INDEX CONCURRENTLY emb_${i} ON documents_${i % 500} USING hnsw (embedding vector_cosine_ops) WITH (m = 16);`,
    (i) => `ALTER TABLE documents_${i % 500} ADD CONSTRAINT fk_${i} FOREIGN KEY (owner_id) REFERENCES owners (id) NOT VALID;`,
    (i) => `COMMENT ON TABLE t${i - 8} IS 'created by migration ${i}';`,
    (i) => (i % 1000 === 9 ? `DROP TABLE IF EXISTS legacy_${i};` : `SELECT ${i};`)
  ]
  const lines = []
  for (let i = 0; i < n; i++) lines.push(templates[i % templates.length](i))
  return lines.join('\n') + '\n'
}

function squawkBinary() {
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch]
  const bin = join(benchDir, '.peers', 'node_modules', '@squawk-cli', `${process.platform}-${arch}`, 'bin', 'squawk')
  return existsSync(bin) ? bin : undefined
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'pgma-bench-lint-'))
  const file = join(work, 'big_migration.sql')
  writeFileSync(file, generateMigration(statements))
  const squawk = squawkBinary()
  const contenders = [
    // tsx compiles the TypeScript sources on start-up; the in-process time (lint-ms) excludes that.
    { name: 'pg-migrate-action lint', command: process.execPath, args: ['--import', 'tsx', join(repoRoot, 'bench/lib/lint-file.ts'), file] },
    ...(squawk ? [{ name: 'squawk', command: squawk, args: ['--reporter', 'json', '--no-assume-in-transaction', file] }] : [])
  ]
  if (!squawk) log('squawk UNAVAILABLE: not installed in bench/.peers (run `bash bench/setup-peers.sh`)')
  const times = Object.fromEntries(contenders.map((c) => [c.name, []]))
  const lintMs = []
  const findings = {}
  const load = loadavg().map((x) => Math.round(x * 100) / 100)
  try {
    for (let round = 0; round <= rounds; round++) {
      for (const c of contenders) {
        const result = await timeProcess(c.command, c.args)
        // squawk exits 1 when it found something: that is a successful lint.
        if (c.name === 'squawk' && result.code === 1) result.code = 0
        mustSucceed(c.name, result)
        if (round === 0) {
          findings[c.name] = JSON.parse(result.stdout.trim() || '[]').length
          continue
        }
        times[c.name].push(result.ms)
        const inProcess = /lint-ms ([\d.]+)/.exec(result.stderr)
        if (inProcess) lintMs.push(Number(inProcess[1]))
      }
      if (round > 0) log(`  round ${round}/${rounds}: ${contenders.map((c) => `${c.name} ${fmtMs(times[c.name].at(-1))} ms`).join(', ')}`)
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  const ours = summarize(times['pg-migrate-action lint'])
  const theirs = squawk ? summarize(times.squawk) : undefined
  const inProcess = summarize(lintMs)
  const table = {
    title: `Linting one ${statements.toLocaleString('en')}-statement migration file (medians of ${rounds} rounds after a warm-up)`,
    headers: ['linter', 'median ms', 'p90 ms', 'findings', '× squawk'],
    rows: [
      [
        'pg-migrate-action lint (process, incl. tsx start-up)',
        fmtMs(ours.median),
        fmtMs(ours.p90),
        String(findings['pg-migrate-action lint']),
        theirs ? fmtRatio(ours.median / theirs.median) : '—'
      ],
      ['pg-migrate-action lint (lintPending only)', fmtMs(inProcess.median), fmtMs(inProcess.p90), '', theirs ? fmtRatio(inProcess.median / theirs.median) : '—'],
      ...(theirs ? [['squawk --reporter json', fmtMs(theirs.median), fmtMs(theirs.p90), String(findings.squawk), '1.00×']] : [])
    ],
    notes: [
      `load average at start ${load.join(', ')}, at end ${loadavg()
        .map((x) => Math.round(x * 100) / 100)
        .join(', ')}; Node ${process.versions.node}`,
      'findings are not comparable one to one: the rule sets differ (squawk has no pgvector rules; it flags every statement without a timeout).'
    ]
  }
  console.log(consoleTable(table))
  if (write) {
    writeFileSync(
      join(benchDir, 'results', 'lint.json'),
      JSON.stringify({ statements, rounds, loadAverageAtStart: load, ours, inProcess, squawk: theirs, findings }, null, 2) + '\n'
    )
    writeFileSync(join(benchDir, 'results', 'lint.md'), markdownTable(table))
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error)
    process.exit(1)
  })
}
