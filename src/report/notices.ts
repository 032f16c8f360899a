import type { RevisionRun } from '../engines/engine.js'
import { hnswSpill, isIvfflatLittleData, isWarningNotice, noticeText, noticeWhere, type ServerNotice } from '../engines/notices.js'
import { cell, code, plural, prose, table } from './markdown.js'
import type { RunReport } from './model.js'

/** What the operator should do about a notice the action recognises; undefined for any other. */
export function noticeAdvice(notice: ServerNotice): string | undefined {
  const tuples = hnswSpill(notice)
  if (tuples !== undefined) {
    return (
      `The HNSW graph outgrew maintenance_work_mem after ${tuples.toLocaleString('en-US')} tuples and the build went on on disk, many times slower. ` +
      "Give the next such build more memory with the input `maintenance-work-mem` (a size, or `auto`: the risk lint's estimate from the table, up to `maintenance-work-mem-max`), if the database server has it free."
    )
  }
  if (isIvfflatLittleData(notice)) {
    return 'The IVFFlat index was built on fewer rows than it has lists, so its lists are poor and so is recall. Build it (or `REINDEX` it) once the table holds its data.'
  }
  return undefined
}

/** The title of a notice's annotation: what happened, in a few words. */
export function noticeTitle(run: Pick<RevisionRun, 'id'>, notice: ServerNotice): string {
  const tuples = hnswSpill(notice)
  if (tuples !== undefined) return `Migration ${run.id}: HNSW build spilled out of maintenance_work_mem after ${tuples} tuples`
  if (isIvfflatLittleData(notice)) return `Migration ${run.id}: IVFFlat index built with little data (low recall)`
  return `Migration ${run.id}: server ${notice.severity}`
}

/** Every notice worth a warning annotation at its statement, with its migration, in run order. */
export function warningNotices(report: Pick<RunReport, 'apply'>): { run: RevisionRun; notice: ServerNotice }[] {
  return (report.apply?.runs ?? []).flatMap((run) => (run.notices ?? []).filter(isWarningNotice).map((notice) => ({ run, notice })))
}

/** The Migrations table's note of a run that got notices; the section below lists them. */
export function noticesNote(run: RevisionRun): string | undefined {
  const count = (run.notices?.length ?? 0) + (run.noticesLeftOut ?? 0)
  if (count === 0) return undefined
  const warnings = run.notices?.filter(isWarningNotice).length ?? 0
  return `${plural(count, 'server notice')}${warnings ? `, ${warnings} to act on` : ''} (see Server notices)`
}

/** What the server said (NOTICE, WARNING) while each migration ran, at the statement that raised it. */
export function renderNoticesSection(report: Pick<RunReport, 'apply'>): string {
  const runs = (report.apply?.runs ?? []).filter((r) => r.notices?.length)
  if (runs.length === 0) return ''
  const rows = runs.flatMap((run) =>
    run.notices!.map((n) => {
      const advice = noticeAdvice(n)
      return [code(run.id), code(noticeWhere(n)), `${isWarningNotice(n) ? '⚠️ ' : ''}${n.severity}`, cell(noticeText(n)) + (advice ? `<br>**What to do:** ${cell(advice)}` : '')]
    })
  )
  const leftOut = runs.filter((r) => r.noticesLeftOut).map((r) => `${code(r.id)} sent ${plural(r.noticesLeftOut!, 'more notice')}, left out here and shown in the step log.`)
  const warned = warningNotices(report).length
  const intro = warned ? `${prose(`${plural(warned, 'notice')} marked ⚠️ ${warned === 1 ? 'is' : 'are'} also annotated at ${warned === 1 ? 'its' : 'their'} statement.`)}\n\n` : ''
  return `### Server notices\n\n${intro}${table(['Revision', 'Where', 'Level', 'Message'], rows)}${leftOut.length ? `\n${leftOut.join('\n')}\n` : ''}`
}
