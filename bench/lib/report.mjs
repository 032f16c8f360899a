// Renders results as aligned console tables and as markdown, from the same rows.

export const fmtMs = (x) => (x == null || Number.isNaN(x) ? '—' : x >= 100 ? `${Math.round(x)}` : x >= 10 ? x.toFixed(1) : x.toFixed(2))
export const fmtRatio = (x) => (x == null || !Number.isFinite(x) ? '—' : `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`)

/** @param {{ title: string, headers: string[], rows: string[][], notes?: string[] }} table */
export function consoleTable({ title, headers, rows, notes = [] }) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ')
  return [``, title, '-'.repeat(title.length), line(headers), ...rows.map(line), ...notes.map((n) => `  ${n}`)].join('\n')
}

export function markdownTable({ title, headers, rows, notes = [] }) {
  const esc = (c) => String(c).replace(/\|/g, '\\|')
  return [
    `### ${title}`,
    '',
    `| ${headers.map(esc).join(' | ')} |`,
    `| ${headers.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
    '',
    ...notes.map((n) => `- ${n}`),
    ''
  ].join('\n')
}

// ---------------------------------------------------------------------------------------------

export function startupTable(rows, peerNames) {
  const by = (name) => rows.find((r) => r.name === name)
  const psql = by("psql -c 'select 1'")
  const node = by('node -e ""')
  const peerRows = peerNames.map((p) => rows.find((r) => r.name === `${p} up`)).filter(Boolean)
  const headers = ['run (ready server, nothing to do)', 'median ms', 'p90 ms', '× psql select 1', '× node -e ""', ...peerRows.map((p) => `× ${p.name}`)]
  return {
    title: 'Start-up overhead',
    headers,
    rows: rows.map((r) => [
      r.name,
      fmtMs(r.median),
      fmtMs(r.p90),
      fmtRatio(r.median / psql.median),
      fmtRatio(r.median / node.median),
      ...peerRows.map((p) => (r.kind === 'action' ? fmtRatio(r.median / p.median) : r === p ? '1.00×' : ''))
    ]),
    notes: [
      ...rows
        .filter((r) => r.kind === 'action')
        .map(
          (r) =>
            `${r.name}: first output after ${fmtMs(r.firstOutput.median)} ms (bundle load), first connection attempt after ${fmtMs(r.connect.median)} ms (p90 ${fmtMs(r.connect.p90)}), pipeline (duration-ms output) ${fmtMs(r.pipeline.median)} ms — medians`
        ),
      `smoke-test cost (check vector − check ""): ${fmtMs(by('action check, extensions: vector').median - by('action check, extensions: ""').median)} ms`
    ]
  }
}

export function readinessTables(readiness) {
  return readiness.delays.map((d) => ({
    title: `Readiness detection latency — server started ${d.delayMs / 1000} s after the waiters (${d.runs.length} runs)`,
    headers: ['waiter', 'median ms', 'p90 ms', 'max ms', 'median vs log line ms', 'failures'],
    rows: d.rows.map((r) => [r.name, fmtMs(r.median), fmtMs(r.p90), fmtMs(r.max), fmtMs(r.vsLog?.median), String(r.failures ?? 0)]),
    notes: [
      `latency = moment the waiter noticed (action: its "ready after" log line reaching the bench; peers: process exit) − the probe's first successful SELECT 1`,
      `server start → first possible query: median ${fmtMs(d.serverStartToReady.median)} ms; log "ready to accept connections" → probe's first query: median ${fmtMs(d.logToProbe.median)} ms; first TCP accept → first query: median ${fmtMs(d.tcpToProbe.median)} ms`,
      `action attempts per run: ${d.runs.map((r) => r.action.attempts).join(', ')}; action exit − first query: median ${fmtMs(median(d.runs.map((r) => r.action.exitLatencyMs)))} ms`
    ]
  }))
}

export function migrationsTable(rows, n, startupRows, peerNames) {
  const floor = rows.find((r) => r.kind === 'floor')
  const noop = (name) => {
    if (!startupRows) return undefined
    const map = { 'action (engine: sql)': 'action migrate, extensions: ""', 'psql -1 -f (all files concatenated)': "psql -c 'select 1'" }
    return startupRows.find((r) => r.name === (map[name] ?? `${name} up`))?.median
  }
  const floorNoop = noop(floor.name)
  const peerRows = peerNames.map((p) => rows.find((r) => r.name === p)).filter(Boolean)
  return {
    title: `Applying ${n} migrations (CREATE TABLE … vector(3) + HNSW index each) to a fresh database`,
    headers: ['tool', 'median ms', 'p90 ms', '× psql -1 -f', 'overhead/migration ms', 'marginal/migration ms', ...peerRows.map((p) => `× ${p.name}`)],
    rows: rows.map((r) => {
      const own = noop(r.name)
      const marginal = own !== undefined && floorNoop !== undefined ? (r.median - own - (floor.median - floorNoop)) / n : undefined
      return [
        r.name,
        fmtMs(r.median),
        fmtMs(r.p90),
        fmtRatio(r.median / floor.median),
        r === floor ? '0' : fmtMs((r.median - floor.median) / n),
        r === floor ? '0' : fmtMs(marginal),
        ...peerRows.map((p) => (r.kind === 'action' ? fmtRatio(r.median / p.median) : r === p ? '1.00×' : ''))
      ]
    }),
    notes: [
      `overhead/migration = (tool − psql -1 -f) / ${n}, medians; it includes the tool's fixed start-up spread over ${n} migrations`,
      `marginal/migration = ((tool − tool's own nothing-to-do run) − (psql -1 -f − psql select 1)) / ${n}: the cost of one more migration, start-up excluded`,
      ...rows
        .filter((r) => r.reportedPerMigration)
        .map((r) => `${r.name}: the action's own per-migration duration (applied[].durationMs) median ${fmtMs(r.reportedPerMigration.median)} ms`),
      ...rows.filter((r) => r.note).map((r) => `${r.name}: ${r.note}`)
    ]
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN
}
