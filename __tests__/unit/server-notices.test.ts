import { beforeEach, describe, expect, it } from '@jest/globals'
import { hnswSpill, isWarningNotice, keepNotice, NOTICES_KEPT, noticeText, toServerNotice, type ServerNotice } from '../../src/engines/notices.js'
import type { RevisionRun } from '../../src/engines/engine.js'
import { clearSecretsForTests, registerSecret } from '../../src/redact.js'
import type { RunReport } from '../../src/report/model.js'
import { renderReport } from '../../src/report/render.js'
import { planAnnotations } from '../../src/runner/annotations.js'

const SPILL = 'hnsw graph no longer fits into maintenance_work_mem after 125000 tuples'
const notice = (message: string, extra: Partial<ServerNotice> = {}): ServerNotice => ({ severity: 'NOTICE', message, file: 'm/0002.sql', line: 4, ...extra })

describe('server notices', () => {
  beforeEach(() => clearSecretsForTests())

  it("reads the tuple count of pgvector's HNSW spill notice, and nothing from any other", () => {
    expect(hnswSpill(notice(SPILL))).toBe(125000)
    expect(hnswSpill(notice('relation "t" already exists, skipping'))).toBeUndefined()
    expect(isWarningNotice(notice(SPILL))).toBe(true)
    expect(isWarningNotice(notice('ivfflat index created with little data'))).toBe(true)
    expect(isWarningNotice(notice('anything', { severity: 'WARNING' }))).toBe(true)
    expect(isWarningNotice(notice('relation "t" already exists, skipping'))).toBe(false)
  })

  it('keeps the first NOTICES_KEPT of a run and counts the rest', () => {
    const run: { notices?: ServerNotice[]; noticesLeftOut?: number } = {}
    for (let i = 0; i < NOTICES_KEPT + 3; i++) keepNotice(run, notice(`n${i}`))
    expect(run.notices).toHaveLength(NOTICES_KEPT)
    expect(run.notices![0].message).toBe('n0')
    expect(run.noticesLeftOut).toBe(3)
  })

  it('redacts what a RAISE NOTICE prints, and writes detail and hint on one line', () => {
    registerSecret('s3cr3t-pw')
    const kept = toServerNotice({ severity: 'NOTICE', message: 'connecting with s3cr3t-pw', detail: 'pw s3cr3t-pw', code: '00000' }, { file: 'm/1.sql', line: 2 })
    expect(JSON.stringify(kept)).not.toContain('s3cr3t-pw')
    expect(noticeText(notice(SPILL, { detail: 'Building will take significantly more time.', hint: 'Increase maintenance_work_mem to speed up builds.' }))).toBe(
      `${SPILL}. Building will take significantly more time. Hint: Increase maintenance_work_mem to speed up builds.`
    )
    expect(noticeText(notice('done'))).toBe('done')
  })

  it('annotates warning notices after the failure and before the lint, and counts those GitHub would not show', () => {
    const run: RevisionRun = { id: '0002', description: 'index', file: 'm/0002.sql', status: 'applied', attempts: 1, transactional: true, notes: [] }
    run.notices = Array.from({ length: 12 }, (_, i) => notice(i === 0 ? SPILL : `w${i}`, { severity: i === 0 ? 'NOTICE' : 'WARNING', line: i + 1 }))
    run.notices.push(notice('relation "t" already exists, skipping'))
    const report: RunReport = {
      status: 'success',
      mode: 'migrate',
      startedAt: new Date(0),
      durationMs: 1,
      stages: [],
      problems: [],
      warnings: [],
      apply: { runs: [run], current: ['0002'] }
    }
    const plan = planAnnotations(report, { error: 0, warning: 0, notice: 0 })
    expect(plan.shown).toHaveLength(10)
    expect(plan.shown[0].properties).toEqual({ title: 'Migration 0002: HNSW build spilled out of maintenance_work_mem after 125000 tuples', file: 'm/0002.sql', startLine: 1 })
    expect(plan.leftOut).toMatchObject({ total: 2, of: 12, notices: 2, findings: 0, problems: 0 })

    report.annotationsLeftOut = plan.leftOut
    const summary = renderReport(report)
    expect(summary).toContain('were left out: 2 server notices. Each one is listed in this summary (Server notices).')
    expect(summary).toContain('13 server notices, 12 to act on (see Server notices)')
    expect(summary).toContain('| `0002` | `m/0002.sql:4` | NOTICE | relation &quot;t&quot; already exists, skipping |')
  })
})
